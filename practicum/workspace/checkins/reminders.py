"""Reminders about check-ins, found by the periodic job (practicum/notifications/reminders.py)."""

import datetime
from collections.abc import Iterator

from django.utils import timezone
from django.utils.formats import date_format

from practicum.core.timezones import zone_named
from practicum.notifications.reminders import Reminder, reminder_finder
from practicum.workspace.checkins import selectors
from practicum.workspace.checkins.services import iso

CHECKIN_REMINDER_LEAD = datetime.timedelta(hours=24)


def when(moment: datetime.datetime, now: datetime.datetime, zone: datetime.tzinfo) -> str:
    """How far off `moment` is, in the reader's zone: "in 2 minutes", "in 45 minutes",
    "today at 15:00", "tomorrow at 10:00", or "on Tue 3 Feb at 10:00"."""
    minutes = max(round((moment - now).total_seconds() / 60), 1)
    if minutes < 60:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    local, today = timezone.localtime(moment, zone), timezone.localtime(now, zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today + datetime.timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"on {date_format(local, 'D j M')} at {clock}"


@reminder_finder
def checkins_tomorrow(now: datetime.datetime) -> Iterator[Reminder]:
    """Both sides (the student, the mentor, the organization's owners), once per check-in and
    time, when a check-in of an active engagement takes place within 24 hours, saying when in
    each person's own time zone. A check-in moved to a new time gets a new reminder for it."""
    for checkin in selectors.due_between(now, now + CHECKIN_REMINDER_LEAD):
        engagement = checkin.engagement
        for person in selectors.people_of(engagement):
            yield Reminder(
                person,
                "checkin_tomorrow",
                checkin,
                iso(checkin.scheduled_at),
                {
                    "scheduled_at": checkin.scheduled_at,
                    "when": when(checkin.scheduled_at, now, zone_named(person.timezone)),
                },
                url=checkin.get_absolute_url(),
                title=engagement.project.title,
            )
