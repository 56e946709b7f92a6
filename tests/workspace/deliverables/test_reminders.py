"""The reminder finders: due soon (the student, 48 hours ahead, nothing submitted yet) and
overdue (both sides, once per deliverable and due date)."""

import datetime

import pytest

from practicum.engagements import agreements
from practicum.notifications.models import Notification
from practicum.notifications.services import record_due_reminders
from practicum.workspace.deliverables import reminders, services
from tests.workspace.deliverables.conftest import set_deliverables

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# d1 is due on 10 March 2030: it becomes late at midnight between the 10th and the 11th.
DEADLINE = datetime.datetime(2030, 3, 11, tzinfo=UTC)


def found(finder, now):
    return sorted((r.recipient.pk, r.kind, r.occurrence) for r in finder(now))


class TestDueSoon:
    def test_the_student_48_hours_ahead(self, dated, student):
        assert found(reminders.deliverables_due_soon, DEADLINE - datetime.timedelta(hours=49)) == []
        assert found(reminders.deliverables_due_soon, DEADLINE - datetime.timedelta(hours=48)) == [
            (student.pk, "deliverable_due_soon", "d1:2030-03-10")
        ]
        assert found(reminders.deliverables_due_soon, DEADLINE - datetime.timedelta(hours=1)) == [
            (student.pk, "deliverable_due_soon", "d1:2030-03-10")
        ]
        assert found(reminders.deliverables_due_soon, DEADLINE) == []

    def test_the_reminder_says_what_and_where(self, dated):
        [reminder] = reminders.deliverables_due_soon(DEADLINE - datetime.timedelta(hours=5))
        assert reminder.title == "Report"
        assert reminder.target == dated
        assert reminder.url == f"/engagements/{dated.pk}/deliverables/"
        assert reminder.context["due_on"] == datetime.date(2030, 3, 10)

    def test_not_once_something_was_submitted(self, dated, student):
        services.submit(dated, "d1", by=student, link="https://example.com/r")
        assert found(reminders.deliverables_due_soon, DEADLINE - datetime.timedelta(hours=5)) == []

    def test_the_deadline_is_in_the_organizations_time_zone(self, dated, student):
        dated.project.timezone = "America/New_York"  # UTC-4 in March 2030 (after the change)
        dated.project.save(update_fields=["timezone"])
        local_deadline = datetime.datetime(2030, 3, 11, 4, tzinfo=UTC)
        now = local_deadline - datetime.timedelta(hours=48)
        assert found(reminders.deliverables_due_soon, now) == [
            (student.pk, "deliverable_due_soon", "d1:2030-03-10")
        ]
        assert found(reminders.deliverables_due_soon, now - datetime.timedelta(minutes=1)) == []

    def test_only_active_engagements(self, dated, student):
        agreements.cancel(dated, by=student, reason="Changed plans")
        assert found(reminders.deliverables_due_soon, DEADLINE - datetime.timedelta(hours=5)) == []


class TestOverdue:
    def test_both_sides_once_the_deadline_passed(self, dated, student, mentor, owner):
        assert found(reminders.deliverables_overdue, DEADLINE - datetime.timedelta(seconds=1)) == []
        occurrence = "d1:2030-03-10"
        assert found(reminders.deliverables_overdue, DEADLINE) == sorted(
            (person.pk, "deliverable_overdue", occurrence) for person in (student, mentor, owner)
        )

    def test_recorded_once_however_often_the_job_runs(self, dated, student, mentor, owner):
        for hours in (1, 2, 30):
            record_due_reminders(now=DEADLINE + datetime.timedelta(hours=hours))
        overdue = Notification.objects.filter(kind="deliverable_overdue")
        assert sorted(overdue.values_list("recipient", flat=True)) == sorted(
            [student.pk, mentor.pk, owner.pk]
        )

    def test_a_new_due_date_is_a_new_occasion(self, dated, student, mentor, owner):
        record_due_reminders(now=DEADLINE + datetime.timedelta(hours=1))
        set_deliverables(dated, {"key": "d1", "title": "Report", "due_on": "2030-03-20"})
        record_due_reminders(now=datetime.datetime(2030, 3, 21, 1, tzinfo=UTC))
        keys = Notification.objects.filter(kind="deliverable_overdue", recipient=student)
        assert sorted(k.rsplit(":", 1)[1] for k in keys.values_list("key", flat=True)) == [
            "2030-03-10",
            "2030-03-20",
        ]

    def test_the_due_soon_reminder_is_recorded_once_too(self, dated, student):
        for hours in (40, 20, 3):
            record_due_reminders(now=DEADLINE - datetime.timedelta(hours=hours))
        assert list(
            Notification.objects.filter(kind="deliverable_due_soon").values_list(
                "recipient", flat=True
            )
        ) == [student.pk]

    def test_not_when_submitted_on_time_or_accepted(self, dated, student, mentor):
        submission = services.submit(dated, "d1", by=student, link="https://example.com/r")
        # Submitted today, long before 2030: on time.
        assert found(reminders.deliverables_overdue, DEADLINE + datetime.timedelta(hours=1)) == []
        services.accept(submission, by=mentor)
        assert found(reminders.deliverables_overdue, DEADLINE + datetime.timedelta(hours=1)) == []

    def test_old_deadlines_are_not_announced(self, dated):
        assert found(reminders.deliverables_overdue, DEADLINE + datetime.timedelta(days=8)) == []
