"""The checkin_tomorrow reminder: both sides, once per check-in and scheduled time."""

import datetime

import pytest

from practicum.core.timezones import zone_named
from practicum.engagements import agreements
from practicum.notifications import reminders as registry
from practicum.notifications.models import Notification
from practicum.notifications.services import record_due_reminders
from practicum.workspace.checkins import services
from practicum.workspace.checkins.reminders import checkins_tomorrow, when

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


class TestTheRealInterval:
    """The reminder says when, as it is, in the reader's own time zone."""

    NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)  # a Monday
    BERLIN = zone_named("Europe/Berlin")  # UTC+1 in March

    @pytest.mark.parametrize(
        ("later", "text"),
        [
            (datetime.timedelta(minutes=2), "in 2 minutes"),
            (datetime.timedelta(minutes=1), "in 1 minute"),
            (datetime.timedelta(minutes=59), "in 59 minutes"),
            (datetime.timedelta(hours=5), "today at 15:00"),
            (datetime.timedelta(hours=24), "tomorrow at 10:00"),
            (datetime.timedelta(hours=48), "on Wed 3 Mar at 10:00"),
        ],
    )
    def test_when(self, later, text):
        assert when(self.NOW + later, self.NOW, self.BERLIN) == text

    def test_late_at_night_tomorrow_is_the_readers_tomorrow(self):
        # 23:30 UTC is already the next day in Berlin, still today in New York.
        moment = datetime.datetime(2027, 3, 1, 23, 30, tzinfo=datetime.UTC)
        assert when(moment, self.NOW, self.BERLIN) == "tomorrow at 00:30"
        assert when(moment, self.NOW, zone_named("America/New_York")) == "today at 18:30"

    def test_a_check_in_moved_to_two_minutes_from_now_says_so(self, checkins, student):
        first = checkins[0]
        now = first.scheduled_at - datetime.timedelta(minutes=2)

        record_due_reminders(now=now)

        note = Notification.objects.get(kind="checkin_tomorrow", recipient=student)
        assert note.message.endswith("in 2 minutes.")
        assert "tomorrow" not in note.message
