"""The stored deadlines (Deadline) follow the terms in force and the project's time zone, and
the finders that read them list a deadline only until it is announced (issue 14: every pass
read the terms of every active engagement, 4 s a finder at full scale, to find nothing new)."""

import datetime

import pytest
from django.apps import apps

from practicum.notifications.services import record_due_reminders
from practicum.workspace.deliverables import reminders, schedule
from practicum.workspace.deliverables.models import Deadline
from tests.workspace.deliverables.conftest import set_deliverables

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
DEADLINE = datetime.datetime(2030, 3, 11, tzinfo=UTC)  # d1 due on 10 March 2030, in UTC
HOUR = datetime.timedelta(hours=1)


def stored(engagement) -> list[tuple]:
    return sorted(
        Deadline.objects.filter(engagement=engagement).values_list(
            "deliverable_key", "due_on", "deadline", "occurrence"
        )
    )


def test_a_dated_deliverable_has_its_deadline(dated):
    assert stored(dated) == [("d1", datetime.date(2030, 3, 10), DEADLINE, "d1:2030-03-10")]


def test_new_terms_replace_the_deadlines(dated):
    set_deliverables(
        dated,
        {"key": "d1", "title": "Report", "due_on": "2030-03-20"},
        {"key": "d3", "title": "Slides", "due_on": "2030-04-01"},
    )
    assert [(key, occurrence) for key, _, _, occurrence in stored(dated)] == [
        ("d1", "d1:2030-03-20"),
        ("d3", "d3:2030-04-01"),
    ]


def test_the_project_time_zone_moves_the_deadline(dated):
    dated.project.timezone = "America/New_York"
    dated.project.save()

    assert stored(dated)[0][2] == datetime.datetime(2030, 3, 11, 4, tzinfo=UTC)


def test_the_first_migrate_fills_the_table_from_the_terms(dated):
    expected = stored(dated)
    Deadline.objects.all().delete()

    schedule.fill_after_upgrade(sender=apps.get_app_config("deliverables"))

    assert stored(dated) == expected


class TestAnAnnouncedDeadlineIsNotListedAgain:
    def test_due_soon(self, dated):
        now = DEADLINE - 5 * HOUR
        assert len(list(reminders.deliverables_due_soon(now))) == 1

        record_due_reminders(now=now)

        assert list(reminders.deliverables_due_soon(now + HOUR)) == []

    def test_overdue(self, dated):
        now = DEADLINE + HOUR
        assert len(list(reminders.deliverables_overdue(now))) == 3

        record_due_reminders(now=now)

        assert list(reminders.deliverables_overdue(now + HOUR)) == []

    def test_a_new_due_date_is_listed_again(self, dated):
        record_due_reminders(now=DEADLINE + HOUR)
        set_deliverables(dated, {"key": "d1", "title": "Report", "due_on": "2030-03-20"})

        later = datetime.datetime(2030, 3, 21, 1, tzinfo=UTC)
        assert {r.occurrence for r in reminders.deliverables_overdue(later)} == {"d1:2030-03-20"}
