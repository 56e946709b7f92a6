"""Both sides submitting at the same moment reveal the round once; the mentor and an owner
writing for the organization at the same moment leave one review."""

import datetime

from practicum.engagements.models import EngagementEvent
from practicum.reviews.models import Review
from tests.reviews.conftest import submit, window


def test_both_sides_at_once_reveal_once(engagement, student, mentor, concurrently):
    now = window(engagement, "midpoint").opens_at + datetime.timedelta(hours=1)

    results = concurrently.run(
        [
            lambda: submit(engagement, "midpoint", student, now=now),
            lambda: submit(engagement, "midpoint", mentor, now=now),
        ]
    )

    assert all(isinstance(r, Review) for r in results), results

    def outcome():
        return (
            Review.objects.filter(revealed_at__isnull=False).count(),
            EngagementEvent.objects.filter(kind="reviews_revealed").count(),
        )

    assert concurrently.read(outcome) == (2, 1)


def test_mentor_and_owner_at_once_leave_one_review(engagement, mentor, owner, concurrently):
    now = window(engagement, "midpoint").opens_at + datetime.timedelta(hours=1)

    results = concurrently.run(
        [
            lambda: submit(engagement, "midpoint", mentor, now=now),
            lambda: submit(engagement, "midpoint", owner, now=now),
        ]
    )

    assert all(isinstance(r, Review) for r in results), results

    def outcome():
        return (
            Review.objects.count(),
            EngagementEvent.objects.filter(kind="review_submitted").count(),
        )

    assert concurrently.read(outcome) == (1, 1)
