"""deliverable_rows (state, history, overdue) and all_accepted_at, the reads other parts use."""

import datetime

import pytest
from django.utils import timezone

from practicum.engagements import agreements, lifecycle
from practicum.engagements.selectors import engagement_for_page
from practicum.workspace.deliverables import services
from practicum.workspace.deliverables.models import Submission
from practicum.workspace.deliverables.selectors import (
    all_accepted_at,
    deliverable_rows,
)
from tests.workspace.deliverables.conftest import set_deliverables

pytestmark = pytest.mark.django_db

LINK = "https://docs.example.com/work"
D = datetime.date


def submit(engagement, student, key="d1"):
    return services.submit(engagement, key, by=student, link=LINK)


def submitted_at(submission, moment):
    Submission.objects.filter(pk=submission.pk).update(submitted_at=moment)


class TestRows:
    def test_one_row_per_deliverable_of_the_terms_in_their_order(self, engagement):
        set_deliverables(
            engagement,
            {"key": "d2", "title": "Slides", "due_on": "2030-02-01", "description": "10 slides"},
            {"key": "d1", "title": "Report", "due_on": None},
        )
        rows = deliverable_rows(engagement)

        assert [r.key for r in rows] == ["d2", "d1"]
        assert rows[0].terms == {
            "key": "d2",
            "title": "Slides",
            "due_on": "2030-02-01",
            "description": "10 slides",
        }
        assert (rows[0].title, rows[0].due_on, rows[0].description) == (
            "Slides",
            D(2030, 2, 1),
            "10 slides",
        )
        assert rows[1].due_on is None
        assert all(r.state == "not_submitted" and r.latest is None for r in rows)

    def test_no_rows_before_the_agreement_is_in_force(self, pending_engagement):
        assert deliverable_rows(pending_engagement) == []

    def test_states_follow_the_latest_submission(self, engagement, student, mentor):
        [row] = deliverable_rows(engagement)
        assert (row.state, row.state_label) == ("not_submitted", "Not submitted")

        first = submit(engagement, student)
        [row] = deliverable_rows(engagement)
        assert (row.state, row.latest, row.waiting) == ("waiting", first, first)
        assert row.state_label == "Submitted — waiting for review"

        services.request_changes(first, by=mentor, feedback="More detail.")
        [row] = deliverable_rows(engagement)
        assert (row.state, row.waiting) == ("changes_requested", None)

        second = submit(engagement, student)
        services.accept(second, by=mentor)
        [row] = deliverable_rows(engagement)
        assert row.state == "accepted"
        assert [s.number for s in row.history] == [1, 2]
        assert row.latest == second

    def test_submissions_of_other_engagements_and_keys_stay_apart(self, engagement, student):
        set_deliverables(engagement, {"key": "d1", "due_on": None}, {"key": "d2", "due_on": None})
        submit(engagement, student, "d2")
        rows = deliverable_rows(engagement)
        assert [len(r.history) for r in rows] == [0, 1]

    def test_a_fixed_number_of_queries(self, engagement, student, django_assert_num_queries):
        set_deliverables(engagement, *({"key": f"d{i}", "due_on": None} for i in range(1, 6)))
        for i in range(1, 6):
            submit(engagement, student, f"d{i}")
            submit(engagement, student, f"d{i}")
        engagement = engagement_for_page(engagement.pk)  # as the page and the API load it
        with django_assert_num_queries(2):
            rows = deliverable_rows(engagement)
            names = [s.submitted_by.name for r in rows for s in r.history]
        assert len(names) == 10


class TestOverdue:
    DUE = "2030-03-10"

    @pytest.fixture
    def dated(self, engagement):
        set_deliverables(engagement, {"key": "d1", "due_on": self.DUE})
        return engagement

    def overdue(self, engagement, today):
        return deliverable_rows(engagement, today=today)[0].is_overdue

    def test_not_on_the_due_date_itself(self, dated):
        assert not self.overdue(dated, D(2030, 3, 10))
        assert self.overdue(dated, D(2030, 3, 11))

    def test_a_submission_by_the_due_date_keeps_it_on_time(self, dated, student, mentor):
        submission = submit(dated, student)
        submitted_at(submission, datetime.datetime(2030, 3, 10, 12, tzinfo=datetime.UTC))
        assert not self.overdue(dated, D(2030, 3, 20))
        # Changes requested after an on-time submission are the review loop, not lateness.
        services.request_changes(submission, by=mentor, feedback="Fix the chart.")
        assert not self.overdue(dated, D(2030, 3, 20))

    def test_a_late_submission_is_still_overdue_until_accepted(self, dated, student, mentor):
        submission = submit(dated, student)
        submitted_at(submission, datetime.datetime(2030, 3, 12, 9, tzinfo=datetime.UTC))
        assert self.overdue(dated, D(2030, 3, 12))
        services.accept(submission, by=mentor)
        assert not self.overdue(dated, D(2030, 3, 12))

    def test_the_due_date_ends_in_the_organizations_time_zone(self, dated, student):
        dated.project.timezone = "Pacific/Auckland"  # UTC+13 in March
        dated.project.save(update_fields=["timezone"])
        submission = submit(dated, student)
        # 11:30 UTC on the 10th is 00:30 on the 11th in Auckland: one day late there.
        submitted_at(submission, datetime.datetime(2030, 3, 10, 11, 30, tzinfo=datetime.UTC))
        assert self.overdue(dated, D(2030, 3, 11))
        submitted_at(submission, datetime.datetime(2030, 3, 10, 10, 30, tzinfo=datetime.UTC))
        assert not self.overdue(dated, D(2030, 3, 11))

    def test_today_defaults_to_the_organizations_date(self, engagement):
        engagement.project.timezone = "Pacific/Kiritimati"  # UTC+14
        moment = datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC)
        assert lifecycle.today_of(engagement, moment) == D(2030, 1, 2)
        yesterday = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
        set_deliverables(engagement, {"key": "d1", "due_on": yesterday})
        engagement.project.timezone = "UTC"
        assert deliverable_rows(engagement)[0].is_overdue

    def test_no_due_date_is_never_overdue(self, engagement):
        set_deliverables(engagement, {"key": "d1", "due_on": None})
        assert not self.overdue(engagement, D(2099, 1, 1))


class TestAllAcceptedAt:
    def test_none_until_every_deliverable_is_accepted(self, engagement, student, mentor):
        set_deliverables(engagement, {"key": "d1", "due_on": None}, {"key": "d2", "due_on": None})
        assert all_accepted_at(engagement) is None
        first = services.accept(submit(engagement, student, "d1"), by=mentor)
        assert all_accepted_at(engagement) is None
        waiting = submit(engagement, student, "d2")
        assert all_accepted_at(engagement) is None
        services.request_changes(waiting, by=mentor, feedback="Almost.")
        assert all_accepted_at(engagement) is None
        last = services.accept(submit(engagement, student, "d2"), by=mentor)

        assert all_accepted_at(engagement) == last.reviewed_at
        assert last.reviewed_at >= first.reviewed_at

    def test_the_latest_acceptance_counts_whatever_the_order(self, engagement, student, mentor):
        set_deliverables(engagement, {"key": "d1", "due_on": None}, {"key": "d2", "due_on": None})
        one = services.accept(submit(engagement, student, "d1"), by=mentor)
        two = services.accept(submit(engagement, student, "d2"), by=mentor)
        later = two.reviewed_at + datetime.timedelta(hours=1)
        Submission.objects.filter(pk=one.pk).update(reviewed_at=later)
        assert all_accepted_at(engagement) == later

    def test_none_without_deliverables(self, engagement, pending_engagement):
        set_deliverables(engagement)
        assert all_accepted_at(engagement) is None
        assert all_accepted_at(pending_engagement) is None

    def test_a_deliverable_added_by_an_amendment_must_be_accepted_too(
        self, engagement, student, mentor
    ):
        services.accept(submit(engagement, student, "d1"), by=mentor)
        assert all_accepted_at(engagement) is not None
        agreements.propose_amendment(
            engagement,
            by=mentor,
            changes={
                "deliverables": [
                    {"key": "d1", "title": "Findings report", "due_on": None},
                    {"title": "Slides", "due_on": "2030-05-01"},
                ]
            },
            reason="Slides for the board as well.",
            full_name=mentor.name,
        )
        agreements.accept_amendment(engagement, 2, by=student, full_name=student.name)

        assert [r.key for r in deliverable_rows(engagement)] == ["d1", "d2"]
        assert deliverable_rows(engagement)[0].state == "accepted"  # the key stayed
        assert all_accepted_at(engagement) is None
