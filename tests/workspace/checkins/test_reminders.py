"""The checkin_tomorrow reminder: both sides, once per check-in and scheduled time."""

import datetime

import pytest

from practicum.engagements import agreements
from practicum.notifications import reminders as registry
from practicum.notifications.models import Notification
from practicum.notifications.services import record_due_reminders
from practicum.workspace.checkins import services
from practicum.workspace.checkins.reminders import checkins_tomorrow

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_the_finder_is_registered():
    assert checkins_tomorrow in registry.finders().values()


def test_both_sides_once_per_check_in_within_24_hours(checkins, student, mentor, owner):
    first, second = checkins[0], checkins[1]
    now = first.scheduled_at - 20 * HOUR

    due = list(checkins_tomorrow(now))

    assert {(r.recipient, r.target) for r in due} == {
        (student, first),
        (mentor, first),
        (owner, first),
    }
    assert len(due) == 3
    assert {r.kind for r in due} == {"checkin_tomorrow"}
    assert {r.occurrence for r in due} == {first.scheduled_at.isoformat()}
    assert all(r.url == first.get_absolute_url() for r in due)
    assert second not in {r.target for r in due}


def test_nothing_more_than_24_hours_ahead_or_past(checkins):
    first = checkins[0]
    assert list(checkins_tomorrow(first.scheduled_at - 25 * HOUR)) == []
    assert list(checkins_tomorrow(first.scheduled_at)) == []


def test_recorded_once_however_often_the_job_runs(checkins, student):
    first = checkins[0]
    now = first.scheduled_at - 20 * HOUR

    record_due_reminders(now=now)
    record_due_reminders(now=now + HOUR)

    notes = Notification.objects.filter(kind="checkin_tomorrow")
    assert notes.count() == 3
    assert notes.filter(recipient=student).count() == 1


def test_a_moved_check_in_is_reminded_of_again(checkins, student, mentor):
    first = checkins[0]
    record_due_reminders(now=first.scheduled_at - 20 * HOUR)
    moved = services.reschedule(first, by=student, to=first.scheduled_at + 2 * HOUR, reason="X")

    record_due_reminders(now=moved.scheduled_at - 20 * HOUR)

    assert Notification.objects.filter(kind="checkin_tomorrow", recipient=mentor).count() == 2


def test_none_for_a_cancelled_engagement(checkins, student):
    agreements.cancel(checkins[0].engagement, by=student, reason="Other plans.")
    assert list(checkins_tomorrow(checkins[0].scheduled_at - 20 * HOUR)) == []


def test_query_count_does_not_grow(checkins, django_assert_max_num_queries):
    now = checkins[0].scheduled_at - 20 * HOUR
    with django_assert_max_num_queries(2):
        list(checkins_tomorrow(now))
