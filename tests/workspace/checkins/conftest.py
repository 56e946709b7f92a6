import datetime

import pytest
from django.utils import timezone

from practicum.engagements.lifecycle import ends_on
from practicum.workspace.checkins.models import CheckIn
from tests.fixtures_engagements import local_today, set_dates


def move_to_past(checkin: CheckIn, hours: int = 1) -> CheckIn:
    """Put the check-in's time `hours` in the past (its slot too), as if time had passed."""
    moment = timezone.now() - datetime.timedelta(hours=hours)
    CheckIn.objects.filter(pk=checkin.pk).update(scheduled_at=moment, originally_at=moment)
    checkin.refresh_from_db()
    return checkin


@pytest.fixture
def engagement(active_engagement):
    """Active: both signed version 1 (weekly on Mondays at 10:00 UTC, 4 weeks from day 14)."""
    return active_engagement


@pytest.fixture
def checkins(engagement):
    return list(CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at"))


@pytest.fixture
def checkin(checkins):
    """The first check-in, still to come."""
    return checkins[0]


@pytest.fixture
def past_checkin(checkins):
    """The first check-in, its time just passed and no outcome recorded: the engagement began
    yesterday."""
    engagement = checkins[0].engagement
    set_dates(engagement, local_today(engagement) - datetime.timedelta(days=1), ends_on(engagement))
    return move_to_past(checkins[0])
