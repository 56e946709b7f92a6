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

Job = Callable[[datetime.datetime], int]
_jobs: dict[str, Job] = {}


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


def periodic_job(func: Job) -> Job:
    """Register work for every periodic pass that is more than listing reminders (a decorator):
    `job(now) -> int`, the number of things it recorded. Jobs run before the digests are
    queued, so what they notify makes that day's digest; one that fails is logged and skipped.
    Any number of schedulers may run a job at once: it must be safe to repeat."""
    _jobs[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def jobs() -> dict[str, Job]:
    return dict(_jobs)
