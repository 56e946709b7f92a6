"""When rounds open and are due: the pure rounds_for over terms, and the selector over a real
engagement (dates edited, deliverables accepted through their own app)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from practicum.completion import services as completion
from practicum.engagements.models import Engagement
from practicum.reviews import selectors
from practicum.reviews.windows import rounds_for
from practicum.workspace.deliverables import services as deliverables
from tests.reviews.conftest import open_final, open_midpoint, set_dates

UTC = datetime.UTC
BERLIN = ZoneInfo("Europe/Berlin")


def terms(starts_on, ends_on):
    return {"starts_on": starts_on, "ends_on": ends_on}


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


class TestRoundsFor:
    def test_midpoint_opens_half_way_and_is_due_seven_days_later(self):
        rounds = rounds_for(terms("2026-03-02", "2026-03-29"), None, "UTC")

        # 27 days apart: half-way rounds down to day 13.
        assert rounds["midpoint"] == (at(2026, 3, 15), at(2026, 3, 22))

    def test_final_opens_when_the_end_date_has_passed_and_is_due_fourteen_days_later(self):
        rounds = rounds_for(terms("2026-03-02", "2026-03-29"), None, "UTC")

        assert rounds["final"] == (at(2026, 3, 30), at(2026, 4, 13))
        assert list(rounds) == ["midpoint", "final"]

    def test_final_opens_when_everything_is_accepted_before_the_end(self):
        accepted = at(2026, 3, 25, 16, 30)
        rounds = rounds_for(terms("2026-03-02", "2026-03-29"), accepted, "UTC")

        assert rounds["final"] == (accepted, accepted + datetime.timedelta(days=14))

    def test_acceptance_after_the_end_date_changes_nothing(self):
        rounds = rounds_for(terms("2026-03-02", "2026-03-29"), at(2026, 4, 2), "UTC")

        assert rounds["final"][0] == at(2026, 3, 30)

    def test_no_midpoint_when_everything_was_accepted_before_half_way(self):
        rounds = rounds_for(terms("2026-03-02", "2026-03-29"), at(2026, 3, 10), "UTC")

        assert list(rounds) == ["final"]

    def test_times_are_midnight_in_the_organizations_time_zone(self):
        rounds = rounds_for(terms("2026-03-02", "2026-03-29"), None, "Europe/Berlin")

        opens, due = rounds["midpoint"]
        assert opens == at(2026, 3, 15, tz=BERLIN)
        assert opens == at(2026, 3, 14, 23)  # in UTC
        # Daylight saving starts on 29 March: the final round still opens at local midnight.
        assert rounds["final"][0] == at(2026, 3, 30, tz=BERLIN) == at(2026, 3, 29, 22)
        assert due == at(2026, 3, 22, tz=BERLIN)

    def test_seven_days_are_seven_calendar_days_across_a_clock_change(self):
        rounds = rounds_for(terms("2026-03-10", "2026-04-09"), None, "Europe/Berlin")

        opens, due = rounds["midpoint"]
        assert opens == at(2026, 3, 25, tz=BERLIN)
        assert due == at(2026, 4, 1, tz=BERLIN)
        assert due - opens == datetime.timedelta(days=7, hours=-1)

    def test_terms_without_dates_have_a_final_round_only_once_accepted(self):
        assert rounds_for({}, None, "UTC") == {}
        accepted = at(2026, 5, 1, 9)
        assert rounds_for({}, accepted, "UTC") == {
            "final": (accepted, accepted + datetime.timedelta(days=14))
        }

    def test_an_unknown_time_zone_counts_as_utc(self):
        rounds = rounds_for(terms("2026-03-02", "2026-03-29"), None, "Mars/Olympus")

        assert rounds["midpoint"][0] == at(2026, 3, 15)


@pytest.mark.django_db
class TestWindowsOfAnEngagement:
    def test_no_rounds_before_the_agreement_is_signed(self, pending_engagement):
        assert selectors.windows_of(pending_engagement) == []

    def test_no_rounds_for_a_cancelled_engagement(self, active_engagement):
        active_engagement.state = Engagement.State.CANCELLED
        assert selectors.windows_of(active_engagement) == []

    def test_rounds_follow_the_terms_in_force_and_the_organizations_zone(self, active_engagement):
        active_engagement.project.timezone = "Europe/Berlin"
        set_dates(active_engagement, datetime.date(2026, 3, 2), datetime.date(2026, 3, 29))

        windows = {w.round: w for w in selectors.windows_of(active_engagement)}

        assert windows["midpoint"].opens_at == at(2026, 3, 15, tz=BERLIN)
        assert windows["final"].opens_at == at(2026, 3, 30, tz=BERLIN)
        assert windows["final"].label == "Final"

    def test_a_completed_engagement_keeps_its_rounds(self, active_engagement, mentor):
        open_midpoint(active_engagement)
        completion.complete(active_engagement, by=mentor, partial=True, reason="Budget cut")
        active_engagement.refresh_from_db()
        assert [w.round for w in selectors.windows_of(active_engagement)] == [
            "midpoint",
            "final",
        ]

    def test_completing_early_opens_the_final_round_at_completion(self, started_engagement, mentor):
        before = timezone.now()
        completion.complete(started_engagement, by=mentor, partial=True, reason="Budget cut")
        started_engagement.refresh_from_db()

        final = selectors.window_of(started_engagement, "final")
        assert before <= final.opens_at <= timezone.now()
        assert final.due_at == final.opens_at + datetime.timedelta(days=14)

    def test_final_opens_when_every_deliverable_is_accepted(
        self, active_engagement, student, mentor
    ):
        before = timezone.now()
        assert selectors.window_of(active_engagement, "final").opens_at > before

        submission = deliverables.submit(
            active_engagement, "d1", by=student, link="https://example.org/report"
        )
        deliverables.accept(submission, by=mentor)

        final = selectors.window_of(active_engagement, "final")
        assert before <= final.opens_at <= timezone.now()
        assert final.due_at == final.opens_at + datetime.timedelta(days=14)

    def test_final_opens_at_the_end_date_when_work_is_still_waiting(self, active_engagement):
        open_final(active_engagement)
        final = selectors.window_of(active_engagement, "final")

        assert final.opens_at <= timezone.now() < final.due_at
