"""Reminders about check-ins, found by the periodic job (practicum/notifications/reminders.py)."""

import datetime
from collections.abc import Iterator

from practicum.notifications.reminders import Reminder, reminder_finder
from practicum.workspace.checkins import selectors
from practicum.workspace.checkins.services import iso

CHECKIN_REMINDER_LEAD = datetime.timedelta(hours=24)


@reminder_finder
def checkins_tomorrow(now: datetime.datetime) -> Iterator[Reminder]:
    """Both sides (the student, the mentor, the organization's owners), once per check-in and
    time, when a check-in of an active engagement takes place within 24 hours. A check-in moved
    to a new time gets a new reminder for it."""
    for checkin in selectors.due_between(now, now + CHECKIN_REMINDER_LEAD):
        engagement = checkin.engagement
        for person in selectors.people_of(engagement):
            yield Reminder(
                person,
                "checkin_tomorrow",
                checkin,
                iso(checkin.scheduled_at),
                {"scheduled_at": checkin.scheduled_at},
                url=checkin.get_absolute_url(),
                title=engagement.project.title,
            )
