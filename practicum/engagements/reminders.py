"""Reminders about offers, found by the periodic job (see practicum/notifications/reminders.py)."""

import datetime
from collections.abc import Iterator

from practicum.engagements import notices
from practicum.engagements.models import Application
from practicum.notifications.reminders import Reminder, reminder_finder

OFFER_REMINDER_LEAD = datetime.timedelta(hours=24)
# Offers that expired longer ago than this are not announced: a freshly deployed job must not
# send a burst of news about old offers.
OFFER_EXPIRED_LOOKBACK = datetime.timedelta(days=7)


def _offers():
    return Application.objects.filter(status=Application.Status.OFFERED)


@reminder_finder
def offers_expiring(now: datetime.datetime) -> Iterator[Reminder]:
    """The student, once per offer, when it expires within 24 hours."""
    offers = _offers().filter(
        offer_expires_at__gt=now, offer_expires_at__lte=now + OFFER_REMINDER_LEAD
    )
    for application in offers.select_related("student", "project"):
        yield Reminder(
            application.student,
            "offer_expiring",
            application,
            application.offer_expires_at.isoformat(),
            {"expires_at": application.offer_expires_at},
            url=application.project.get_absolute_url(),
            title=application.project.title,
        )


@reminder_finder
def offers_expired(now: datetime.datetime) -> Iterator[Reminder]:
    """The organization's owners and the project's mentor, once, when an offer went unanswered."""
    offers = _offers().filter(
        offer_expires_at__lte=now, offer_expires_at__gt=now - OFFER_EXPIRED_LOOKBACK
    )
    offers = offers.select_related("student", "project__mentor", "project__organization")
    for application in offers.prefetch_related(notices.OWNERS):
        project = application.project
        for person in notices.organization_side(project):
            yield Reminder(
                person,
                "offer_expired",
                application,
                application.offer_expires_at.isoformat(),
                {"student": application.student.name, "expires_at": application.offer_expires_at},
                url=project.get_absolute_url(),
                title=project.title,
            )
