"""The stored round windows (ScheduledRound) agree with selectors.windows_of() after every kind
of change that moves a window, made through the real services; and the reminder finders that
read them list an occasion only until it is announced (issue 14: a quiet pass listed all 40,000
reminders of every open round again, 7 s, to find each already recorded)."""

import datetime

import pytest
from django.apps import apps

from practicum.completion import services as completion
from practicum.engagements import agreements
from practicum.notifications.services import record_due_reminders
from practicum.reviews import reminders, schedule, selectors
from practicum.reviews.models import ScheduledRound
from tests.completion.conftest import accept_every_deliverable
from tests.fixtures_engagements import (
    local_today,
    make_offered,
    set_dates,
    sign_both,
    start_today,
)
from tests.reviews.conftest import open_final, open_midpoint, submit, window

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def other_engagement(active_engagement, mentor, owner, other_student):
    """A second active engagement of the same organization, with another student."""
    from practicum.engagements import services as engagement_services
    from tests.factories import ApplicationFactory, ProjectFactory

    project = ProjectFactory(organization=active_engagement.project.organization, mentor=mentor)
    offered = make_offered(ApplicationFactory(project=project, student=other_student))
    engagement = engagement_services.accept_offer(offered, by=other_student)
    return sign_both(engagement, other_student, owner)


def stored(engagement) -> list[tuple]:
    return sorted(
        ScheduledRound.objects.filter(engagement=engagement).values_list(
            "round", "opens_at", "due_at"
        )
    )


def computed(engagement) -> list[tuple]:
    engagement.refresh_from_db()
    return sorted((w.round, w.opens_at, w.due_at) for w in selectors.windows_of(engagement))


class TestTheStoredWindowsFollowTheirInputs:
    def test_none_before_the_agreement_is_signed(self, pending_engagement):
        assert stored(pending_engagement) == []

    def test_both_rounds_once_signed(self, active_engagement):
        assert [r for r, *_ in stored(active_engagement)] == ["final", "midpoint"]
        assert stored(active_engagement) == computed(active_engagement)

    def test_new_dates_move_them(self, active_engagement):
        before = stored(active_engagement)
        open_midpoint(active_engagement)

        assert stored(active_engagement) != before
        assert stored(active_engagement) == computed(active_engagement)

    def test_an_accepted_amendment_moves_them(self, active_engagement, student, mentor):
        before = stored(active_engagement)
        later = (local_today(active_engagement) + datetime.timedelta(days=90)).isoformat()
        proposal = agreements.propose_amendment(
            active_engagement,
            by=mentor,
            changes={"ends_on": later},
            reason="More to do",
            full_name=mentor.name,
        )
        assert stored(active_engagement) == before  # a proposal changes nothing yet

        agreements.accept_amendment(
            active_engagement, proposal.number, by=student, full_name=student.name
        )

        assert stored(active_engagement) != before
        assert stored(active_engagement) == computed(active_engagement)

    def test_every_deliverable_accepted_opens_the_final_round_early(
        self, active_engagement, student, mentor
    ):
        start_today(active_engagement)
        final_before = dict((r, o) for r, o, _ in stored(active_engagement))["final"]

        accept_every_deliverable(active_engagement, student, mentor)

        assert dict((r, o) for r, o, _ in stored(active_engagement))["final"] < final_before
        assert stored(active_engagement) == computed(active_engagement)

    def test_completion_opens_the_final_round(self, active_engagement, student, mentor):
        start_today(active_engagement)
        accept_every_deliverable(active_engagement, student, mentor)
        completion.complete(active_engagement, by=mentor)

        assert stored(active_engagement) == computed(active_engagement)

    def test_the_project_time_zone_moves_them(self, active_engagement):
        before = stored(active_engagement)
        project = active_engagement.project
        project.timezone = "Pacific/Auckland"
        project.save(update_fields=["timezone"])

        assert stored(active_engagement) != before
        assert stored(active_engagement) == computed(active_engagement)

    def test_a_cancelled_engagement_has_none(self, active_engagement, student):
        agreements.cancel(active_engagement, by=student, reason="Found a job")

        assert stored(active_engagement) == []


def test_the_first_migrate_fills_the_table_from_the_data(active_engagement, other_engagement):
    expected = {e.pk: stored(e) for e in (active_engagement, other_engagement)}
    ScheduledRound.objects.all().delete()  # as before the table existed

    # What migrate's post_migrate signal calls for this app.
    schedule.fill_after_upgrade(sender=apps.get_app_config("reviews"))

    assert {e.pk: stored(e) for e in (active_engagement, other_engagement)} == expected
    assert all(expected.values())


def test_rebuild_agrees_with_what_the_signals_keep(active_engagement, other_engagement):
    open_final(other_engagement)
    kept = sorted(
        ScheduledRound.objects.values_list("engagement_id", "round", "opens_at", "due_at")
    )

    assert schedule.rebuild() == 2
    assert (
        sorted(ScheduledRound.objects.values_list("engagement_id", "round", "opens_at", "due_at"))
        == kept
    )


class TestAnAnnouncedRoundIsNotListedAgain:
    def test_feedback_open(self, active_engagement, other_engagement):
        open_midpoint(active_engagement)
        now = window(active_engagement, "midpoint").opens_at + HOUR
        assert {r.target.pk for r in reminders.feedback_open(now)} == {active_engagement.pk}

        record_due_reminders(now=now)

        assert list(reminders.feedback_open(now + HOUR)) == []
        # A round opening later is still found.
        set_dates(
            other_engagement,
            local_today(other_engagement) - datetime.timedelta(days=10),
            local_today(other_engagement) + datetime.timedelta(days=10),
        )
        assert {r.target.pk for r in reminders.feedback_open(now + HOUR)} == {other_engagement.pk}

    def test_feedback_closing(self, active_engagement, mentor):
        open_midpoint(active_engagement)
        midpoint = window(active_engagement, "midpoint")
        submit(active_engagement, "midpoint", mentor, now=midpoint.opens_at)
        lead = midpoint.due_at - 2 * reminders.CLOSING_LEAD / 3
        assert len(list(reminders.feedback_closing(lead))) == 1

        record_due_reminders(now=lead)

        assert list(reminders.feedback_closing(lead + HOUR)) == []
