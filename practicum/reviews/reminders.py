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

from django.db.models import Exists, OuterRef

from practicum.engagements.models import Engagement, Side
from practicum.engagements.notices import OWNERS
from practicum.notifications.reminders import Reminder, reminder_finder
from practicum.notifications.selectors import announced
from practicum.reviews import selectors, services
from practicum.reviews.models import Review, ScheduledRound
from practicum.reviews.windows import FINAL_OPEN_FOR

CLOSING_LEAD = datetime.timedelta(hours=48)
# Reveals older than this are not announced: a freshly deployed job sends no burst of old news.
REVEALED_LOOKBACK = datetime.timedelta(days=7)


def _open_rounds(kind: str, rounds) -> Iterator[tuple]:
    """(engagement, window, sides that wrote) for these stored rounds (models.ScheduledRound)
    of engagements where feedback belongs, leaving out those `kind` was announced for and those
    both sides wrote in: found with the index, so a pass costs what is due, not what is open.
    The engagements, their people and the reviews written are then read in a fixed number of
    queries."""
    one_side = Review.objects.filter(
        engagement_id=OuterRef("engagement_id"), round=OuterRef("round")
    )
    rounds = list(
        rounds.filter(engagement__state__in=selectors.FEEDBACK_STATES)
        .exclude(announced(kind, Engagement, OuterRef("engagement_id"), OuterRef("round")))
        .exclude(
            Exists(one_side.filter(side=Side.STUDENT))
            & Exists(one_side.filter(side=Side.ORGANIZATION))
        )
    )
    if not rounds:
        return
    ids = {r.engagement_id for r in rounds}
    engagements = (
        Engagement.objects.filter(pk__in=ids)
        .select_related("project__organization", "student", "mentor")
        .prefetch_related(OWNERS)
        .in_bulk()
    )
    written = defaultdict(set)
    reviews = Review.objects.filter(engagement_id__in=ids).values_list(
        "engagement_id", "round", "side"
    )
    for engagement_id, round, side in reviews:
        written[engagement_id, round].add(side)
    for r in rounds:
        window = selectors.RoundWindow(r.round, r.opens_at, r.due_at)
        yield engagements[r.engagement_id], window, written[r.engagement_id, r.round]


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
    # No window lasts longer than the final round's: that bounds the index range.
    rounds = ScheduledRound.objects.filter(
        opens_at__gt=now - FINAL_OPEN_FOR, opens_at__lte=now, due_at__gt=now
    )
    for engagement, window, sides in _open_rounds("feedback_open", rounds):
        yield from _reminders(
            engagement, window.round, "feedback_open", skip=sides, due_at=window.due_at
        )


@reminder_finder
def feedback_closing(now: datetime.datetime) -> Iterator[Reminder]:
    rounds = ScheduledRound.objects.filter(
        due_at__gt=now, due_at__lte=now + CLOSING_LEAD, opens_at__lte=now
    )
    for engagement, window, sides in _open_rounds("feedback_closing", rounds):
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
