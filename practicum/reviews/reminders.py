"""Reminders about feedback rounds, found by the periodic job (see
practicum/notifications/reminders.py). The occurrence is the round, so each person hears about
each round of an engagement once per kind.

- feedback_open: both sides, when a round opens (a side that already wrote is not reminded).
- feedback_closing: the people of a side that has not written, 48 hours before the round is due.
- reviews_revealed: both sides, when a round is revealed. Rounds revealed by both submitting
  were announced in that transaction (same key, so nothing is sent twice); rounds whose window
  closed are revealed here first, the periodic job being the only clock the platform has.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import CharField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from practicum.engagements.models import AgreementVersion, Engagement
from practicum.engagements.notices import OWNERS
from practicum.notifications.reminders import Reminder, reminder_finder
from practicum.reviews import selectors, services
from practicum.reviews.models import Review
from practicum.reviews.windows import FINAL_OPEN_FOR

CLOSING_LEAD = datetime.timedelta(hours=48)
# Completed engagements are looked at this long after completion (their final round can open
# at the end date, after an early completion); older ones have nothing left to announce.
COMPLETED_LOOKBACK = datetime.timedelta(days=60)
# Reveals older than this are not announced: a freshly deployed job sends no burst of old news.
REVEALED_LOOKBACK = datetime.timedelta(days=7)


def _engagements(now: datetime.datetime):
    """Active engagements, and those completed lately, that may still have a round open: the
    last one is due FINAL_OPEN_FOR after the day after the end date at the latest (windows.py),
    so engagements whose terms ended longer ago are left out by the database (with a few days'
    slack for the time zones); the windows themselves are computed for the rest."""
    ended_after = (now - FINAL_OPEN_FOR - datetime.timedelta(days=3)).date().isoformat()
    reviewable = (
        AgreementVersion.objects.filter(status=AgreementVersion.Status.CURRENT)
        # As text, so both databases compare ISO dates as strings.
        .annotate(ends_on=Cast(KT("terms__ends_on"), CharField()))
        .filter(Q(ends_on__isnull=True) | Q(ends_on="") | Q(ends_on__gte=ended_after))
        .values("engagement_id")
    )
    return (
        Engagement.objects.filter(
            Q(state=Engagement.State.ACTIVE)
            | Q(state=Engagement.State.COMPLETED, state_changed_at__gte=now - COMPLETED_LOOKBACK),
            pk__in=reviewable,
        )
        .select_related("project__organization", "student", "mentor")
        .prefetch_related(OWNERS)
    )


def _open_rounds(now: datetime.datetime):
    """(engagement, window, sides that wrote) for every round open at `now` that still waits
    for a review. Windows depend on each engagement's terms and accepted deliverables, read
    for all engagements at once; so are the reviews: a fixed number of queries."""
    engagements = list(_engagements(now))
    windows = selectors.windows_of_many(engagements)
    written = defaultdict(set)
    reviews = Review.objects.filter(engagement__in=engagements).values_list(
        "engagement_id", "round", "side"
    )
    for engagement_id, round, side in reviews:
        written[engagement_id, round].add(side)
    for engagement in engagements:
        for window in windows[engagement.pk]:
            sides = written[engagement.pk, window.round]
            if window.opens_at <= now < window.due_at and len(sides) < 2:
                yield engagement, window, sides


def _reminders(engagement, round: str, kind: str, *, skip=(), **context) -> Iterator[Reminder]:
    for side, people in services.people_of(engagement).items():
        if side in skip:
            continue
        for person in people:
            yield Reminder(
                person,
                kind,
                engagement,
                round,
                {"round": round, **context},
                url=services.feedback_url(engagement),
                title=engagement.project.title,
            )


@reminder_finder
def feedback_open(now: datetime.datetime) -> Iterator[Reminder]:
    for engagement, window, sides in _open_rounds(now):
        yield from _reminders(
            engagement, window.round, "feedback_open", skip=sides, due_at=window.due_at
        )


@reminder_finder
def feedback_closing(now: datetime.datetime) -> Iterator[Reminder]:
    for engagement, window, sides in _open_rounds(now):
        if now >= window.due_at - CLOSING_LEAD:
            yield from _reminders(
                engagement, window.round, "feedback_closing", skip=sides, due_at=window.due_at
            )


@reminder_finder
def reviews_revealed(now: datetime.datetime) -> Iterator[Reminder]:
    services.reveal_closed_rounds(now=now)
    revealed = (
        Review.objects.filter(revealed_at__gte=now - REVEALED_LOOKBACK, revealed_at__lte=now)
        .values_list("engagement_id", "round")
        .distinct()
    )
    rounds = defaultdict(set)
    for engagement_id, round in revealed:
        rounds[engagement_id].add(round)
    engagements = (
        Engagement.objects.filter(pk__in=rounds)
        .select_related("project__organization", "student", "mentor")
        .prefetch_related(OWNERS)
    )
    for engagement in engagements:
        for round in sorted(rounds[engagement.pk]):
            yield from _reminders(engagement, round, "reviews_revealed")
