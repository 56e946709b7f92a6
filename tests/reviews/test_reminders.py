"""Reminder finders: feedback_open, feedback_closing and reviews_revealed, each once per round
and person, recorded through the periodic job's own recording step."""

import datetime

import pytest

from practicum.notifications.models import Notification
from practicum.notifications.services import record_due_reminders
from practicum.reviews import reminders
from tests.reviews.conftest import submit, window

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def recipients(finder, now) -> list[tuple[str, int, str]]:
    return sorted((r.kind, r.recipient.pk, r.occurrence) for r in finder(now))


def told(kind) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "key"))


class TestFeedbackOpen:
    def test_both_sides_are_told_when_a_round_opens(self, engagement, student, mentor, owner):
        midpoint = window(engagement, "midpoint")

        assert recipients(reminders.feedback_open, midpoint.opens_at - HOUR) == []
        assert recipients(reminders.feedback_open, midpoint.opens_at) == sorted(
            ("feedback_open", person.pk, "midpoint") for person in (student, mentor, owner)
        )

    def test_a_side_that_wrote_is_not_told(self, engagement, student, mentor, owner):
        now = window(engagement, "midpoint").opens_at + HOUR
        submit(engagement, "midpoint", student, now=now)

        assert {r[1] for r in recipients(reminders.feedback_open, now)} == {mentor.pk, owner.pk}

    def test_recorded_once(self, engagement):
        now = window(engagement, "midpoint").opens_at + HOUR
        record_due_reminders(now=now)
        record_due_reminders(now=now + HOUR)

        assert len(told("feedback_open")) == 3

    def test_the_final_round_is_found_until_its_last_hour(self, engagement, student):
        # The finder leaves engagements long past their end date to the database; a final round
        # open until two weeks after the end date must still be found on its last day.
        final = window(engagement, "final")
        last_hour = final.due_at - HOUR
        assert ("feedback_open", student.pk, "final") in recipients(
            reminders.feedback_open, last_hour
        )
        assert recipients(reminders.feedback_open, final.due_at) == []

    def test_nothing_for_engagements_not_active(self, pending_engagement):
        far = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
        assert recipients(reminders.feedback_open, far) == []


class TestFeedbackClosing:
    def test_the_side_that_has_not_written_hears_48_hours_before(
        self, engagement, student, mentor, owner
    ):
        midpoint = window(engagement, "midpoint")
        submit(engagement, "midpoint", mentor, now=midpoint.opens_at + HOUR)
        lead = midpoint.due_at - datetime.timedelta(hours=48)

        assert recipients(reminders.feedback_closing, lead - HOUR) == []
        assert recipients(reminders.feedback_closing, lead) == [
            ("feedback_closing", student.pk, "midpoint")
        ]
        assert recipients(reminders.feedback_closing, midpoint.due_at) == []

    def test_nobody_once_both_wrote(self, engagement, student, mentor):
        midpoint = window(engagement, "midpoint")
        submit(engagement, "midpoint", mentor, now=midpoint.opens_at)
        submit(engagement, "midpoint", student, now=midpoint.opens_at)

        assert recipients(reminders.feedback_closing, midpoint.due_at - HOUR) == []


class TestRevealedWhenTheWindowCloses:
    def test_both_sides_hear_once_when_a_window_closes_with_a_review(
        self, engagement, student, mentor, owner
    ):
        midpoint = window(engagement, "midpoint")
        submit(engagement, "midpoint", student, now=midpoint.opens_at)

        assert recipients(reminders.reviews_revealed, midpoint.due_at - HOUR) == []
        record_due_reminders(now=midpoint.due_at)
        record_due_reminders(now=midpoint.due_at + HOUR)

        assert [r for r, _ in told("reviews_revealed")] == sorted([student.pk, mentor.pk, owner.pk])
        assert {k.rsplit(":", 1)[1] for _, k in told("reviews_revealed")} == {"midpoint"}

    def test_an_empty_window_reveals_nothing(self, engagement):
        due = window(engagement, "midpoint").due_at

        assert recipients(reminders.reviews_revealed, due + HOUR) == []

    def test_a_reveal_by_both_submitting_is_not_announced_twice(self, engagement, student, mentor):
        midpoint = window(engagement, "midpoint")
        submit(engagement, "midpoint", student, now=midpoint.opens_at)
        submit(engagement, "midpoint", mentor, now=midpoint.opens_at)
        assert len(told("reviews_revealed")) == 3

        record_due_reminders(now=midpoint.opens_at + HOUR)
        record_due_reminders(now=midpoint.due_at + HOUR)

        assert len(told("reviews_revealed")) == 3
