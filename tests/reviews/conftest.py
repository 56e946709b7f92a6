"""Helpers for feedback tests: put an engagement's dates where a round is open now, write
reviews through the real service, and make the deliverables accepted through their app."""

import datetime

import pytest

from practicum.reviews import rubric, selectors, services
from tests.fixtures_engagements import local_today, set_dates

STUDENT_SCORES = {c.key: 4 for c in rubric.ABOUT_ORGANIZATION}
ORGANIZATION_SCORES = {c.key: 4 for c in rubric.ABOUT_STUDENT}


def open_midpoint(engagement):
    """Half-way is today in the organization's time zone: the mid-point round is open now."""
    today = local_today(engagement)
    return set_dates(
        engagement, today - datetime.timedelta(days=10), today + datetime.timedelta(days=10)
    )


def open_final(engagement):
    """The end date was yesterday: the final round is open now (the mid-point is closed)."""
    today = local_today(engagement)
    return set_dates(
        engagement, today - datetime.timedelta(days=20), today - datetime.timedelta(days=1)
    )


def window(engagement, round):
    return selectors.window_of(engagement, round)


def submit(engagement, round, person, *, now=None, **fields):
    side = "student" if person.pk == engagement.student_id else "organization"
    data = {
        "scores": dict(STUDENT_SCORES if side == "student" else ORGANIZATION_SCORES),
        "strengths": f"Strengths from the {side}",
        "to_improve": f"To improve from the {side}",
        "recommend": True if rubric.asks_recommend(side, round) else None,
        "private_note": f"PRIVATE NOTE OF THE {side.upper()}",
    }
    data.update(fields)
    return services.submit_review(engagement, round, by=person, now=now, **data)


@pytest.fixture
def engagement(active_engagement):
    return active_engagement


@pytest.fixture
def midpoint(engagement):
    return open_midpoint(engagement)


@pytest.fixture
def final(engagement):
    return open_final(engagement)
