"""Services that take `now=` write their event at that moment, so the log (which the timeline
and the reciprocity index read) agrees with the rows they changed."""

import datetime

import pytest

from practicum.completion import services as completion
from practicum.engagements.models import EngagementEvent
from practicum.workspace.checkins import services as checkins
from practicum.workspace.checkins.models import CheckIn

pytestmark = pytest.mark.django_db


def test_a_check_in_outcome_is_logged_when_it_was_recorded(active_engagement, mentor):
    checkin = CheckIn.objects.filter(engagement=active_engagement).order_by("scheduled_at")[0]
    recorded = checkin.scheduled_at + datetime.timedelta(minutes=40)
    checkins.record_outcome(checkin, by=mentor, outcome="held", now=recorded)

    event = EngagementEvent.objects.get(engagement=active_engagement, kind="checkin_held")
    assert event.at == recorded


def test_completion_is_logged_when_it_happened_and_calls_off_later_check_ins(
    active_engagement, mentor
):
    slots = list(CheckIn.objects.filter(engagement=active_engagement).order_by("scheduled_at"))
    completed = slots[1].scheduled_at - datetime.timedelta(hours=1)
    completion.complete(
        active_engagement, by=mentor, partial=True, reason="Done early", now=completed
    )

    event = EngagementEvent.objects.get(engagement=active_engagement, kind="completed")
    assert event.at == completed
    statuses = dict(
        CheckIn.objects.filter(engagement=active_engagement).values_list("pk", "status")
    )
    assert statuses[slots[0].pk] == CheckIn.Status.SCHEDULED  # before the completion
    assert all(statuses[c.pk] == CheckIn.Status.CANCELLED for c in slots[1:])
