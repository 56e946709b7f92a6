"""The registry of reminder finders, read by the periodic job (manage.py run_periodic).

A finder is a function `finder(now) -> Iterable[Reminder]` listing the reminders that are due at
`now`. It may list the same reminder on every pass for as long as it is due: the periodic job
records each one through notify(), whose unique key makes repeats do nothing. So a finder needs
no memory of what it already sent; the `occurrence` says which occasion a reminder is about
(e.g. the deadline it warns of), and a new occasion gets a new reminder.

Apps register finders in their own `reminders.py` (imported at start-up by
NotificationsConfig.ready):

    from practicum.notifications.reminders import Reminder, reminder_finder

    @reminder_finder
    def checkins_tomorrow(now):
        for checkin in upcoming_checkins(now, within=timedelta(hours=24)):
            for person in (checkin.student, checkin.mentor):
                yield Reminder(person, "checkin_tomorrow", checkin, checkin.starts_at.isoformat())
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from django.db.models import Prefetch

from practicum.accounts.models import Membership


class Reminder(NamedTuple):
    recipient: object
    kind: str
    target: object
    occurrence: str
    context: dict | None = None
    url: str | None = None
    title: str | None = None


Finder = Callable[[datetime.datetime], Iterable[Reminder]]

_finders: dict[str, Finder] = {}


def reminder_finder(func: Finder) -> Finder:
    """Register a finder (a decorator). Registering the same function again replaces it."""
    _finders[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def finders() -> dict[str, Finder]:
    return dict(_finders)


def due_reminders(finder: Finder, now: datetime.datetime) -> Iterator[Reminder]:
    # Finders may yield plain (recipient, kind, target, occurrence, context) tuples too.
    for reminder in finder(now):
        yield Reminder(*reminder)


# --- Offers ------------------------------------------------------------------------------------
# These belong to practicum.engagements (as practicum/engagements/reminders.py) and can move there
# unchanged once that app is finished; they live here as the registry's first users.

OFFER_REMINDER_LEAD = datetime.timedelta(hours=24)
# Offers that expired longer ago than this are not announced: a freshly deployed job must not
# send a burst of news about old offers.
OFFER_EXPIRED_LOOKBACK = datetime.timedelta(days=7)


def _offers():
    from practicum.engagements.models import Application

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
    owners = Membership.objects.filter(role=Membership.Role.OWNER).select_related("user")
    offers = offers.select_related(
        "student", "project__mentor", "project__organization"
    ).prefetch_related(
        Prefetch("project__organization__memberships", queryset=owners, to_attr="owners")
    )
    for application in offers:
        project = application.project
        people = {m.user for m in project.organization.owners}
        if project.mentor is not None:
            people.add(project.mentor)
        for person in sorted(people, key=lambda p: p.pk):
            yield Reminder(
                person,
                "offer_expired",
                application,
                application.offer_expires_at.isoformat(),
                {"student": application.student.name, "expires_at": application.offer_expires_at},
                url=project.get_absolute_url(),
                title=project.title,
            )
