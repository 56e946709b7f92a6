"""The rules that span apps, kept by the lifecycle (engagements/lifecycle.py): offers die when
their project fills or closes, nothing changes after an engagement ends, one notion of today.
Every rule was first written here as a failing test."""

import ast
import datetime
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from practicum.completion import services as completion
from practicum.core.errors import Conflict
from practicum.engagements import agreements, lifecycle, services
from practicum.engagements.models import AgreementVersion, Application, Engagement
from practicum.notifications.models import Notification
from practicum.projects import selectors as project_selectors
from practicum.projects import status as project_status
from practicum.projects.models import Project
from practicum.workspace.checkins import services as checkins
from practicum.workspace.checkins.models import CheckIn
from practicum.workspace.deliverables import services as deliverables
from practicum.workspace.learning import services as learning
from practicum.workspace.progress import services as progress
from tests.factories import ApplicationFactory
from tests.fixtures_engagements import make_offered, start_today

pytestmark = pytest.mark.django_db

S = Application.Status


def offers_on(project, n):
    return [make_offered(ApplicationFactory(project=project)) for _ in range(n)]


class TestOffersDieWithTheirPlace:
    def test_the_last_place_withdraws_every_other_offer_at_once(self, project):
        first, second, third = offers_on(project, 3)

        services.accept_offer(first, by=first.student)

        for application in (second, third):
            application.refresh_from_db()
            assert application.status == S.WITHDRAWN
            assert application.withdrawn_reason == "project_full"
        project.refresh_from_db()
        assert (project.status, project.closed_reason, project.places_taken) == (
            Project.Status.CLOSED,
            Project.ClosedReason.FULL,
            1,
        )

    def test_the_students_are_told_why(self, project):
        first, second = offers_on(project, 2)

        services.accept_offer(first, by=first.student)

        told = Notification.objects.get(kind="offer_withdrawn")
        assert told.recipient == second.student
        assert "all places are filled" in told.message
        assert not Notification.objects.filter(
            kind="offer_withdrawn", recipient=first.student
        ).exists()

    def test_a_place_left_keeps_the_other_offers(self, project):
        Project.objects.filter(pk=project.pk).update(capacity=2)
        first, second = offers_on(project, 2)

        services.accept_offer(first, by=first.student)

        second.refresh_from_db()
        assert second.status == S.OFFERED
        services.accept_offer(second, by=second.student)
        assert Engagement.objects.count() == 2

    @pytest.mark.parametrize(
        ("action", "reason"), [("close", "project_closed"), ("archive", "project_archived")]
    )
    def test_closing_or_archiving_withdraws_the_open_offers(self, project, owner, action, reason):
        (offer,) = offers_on(project, 1)
        waiting = ApplicationFactory(project=project)

        project_status.change(project, action, by=owner)

        offer.refresh_from_db()
        assert (offer.status, offer.withdrawn_reason) == (S.WITHDRAWN, reason)
        waiting.refresh_from_db()
        # Every applicant gets an answer: one still waiting is declined, with why.
        assert (waiting.status, waiting.declined_reason) == (S.REJECTED, reason)

    @pytest.mark.parametrize("status", [Project.Status.CLOSED, Project.Status.ARCHIVED])
    def test_no_offer_is_made_on_a_closed_or_archived_project(self, project, owner, status):
        application = ApplicationFactory(project=project)
        Project.objects.filter(pk=project.pk).update(status=status)

        with pytest.raises(Conflict) as caught:
            services.make_offer(application, by=owner)

        assert caught.value.code == "project_not_open"
        application.refresh_from_db()
        assert application.status == S.SUBMITTED

    def test_no_offer_is_accepted_on_a_closed_project(self, project, owner):
        (offer,) = offers_on(project, 1)
        # Closed without going through the lifecycle, so the offer is still standing.
        Project.objects.filter(pk=project.pk).update(status=Project.Status.CLOSED)

        with pytest.raises(Conflict) as caught:
            services.accept_offer(offer, by=offer.student)

        assert caught.value.code == "project_not_open"
        assert not Engagement.objects.exists()

    def test_cancelling_never_revives_an_old_offer(self, project, owner):
        first, second = offers_on(project, 2)
        engagement = services.accept_offer(first, by=first.student)

        agreements.cancel(engagement, by=first.student, reason="My exams moved")

        second.refresh_from_db()
        assert second.status == S.WITHDRAWN
        with pytest.raises(Conflict) as caught:
            services.accept_offer(second, by=second.student)
        assert caught.value.code == "offer_withdrawn"
        project.refresh_from_db()
        assert (project.status, project.places_taken) == (Project.Status.CLOSED, 0)

    def test_the_project_page_never_says_full_beside_a_place_left(self, project, owner):
        (offer,) = offers_on(project, 1)
        engagement = services.accept_offer(offer, by=offer.student)
        agreements.cancel(engagement, by=offer.student, reason="My exams moved")

        html = Client().get(project.get_absolute_url()).content.decode()

        assert "All places are filled" not in html
        assert "1 left" not in html
        assert "Closed to new applications." in html
        project.refresh_from_db()
        api = Client().get(f"/api/v1/projects/{project.pk}").json()
        assert (api["places_left"], api["accepting_applications"]) == (0, False)

    def test_reopening_after_a_cancellation_fills_again(self, project, owner):
        (offer,) = offers_on(project, 1)
        engagement = services.accept_offer(offer, by=offer.student)
        agreements.cancel(engagement, by=offer.student, reason="My exams moved")
        project_status.change(project, "reopen", by=owner)

        (again,) = offers_on(project, 1)
        services.accept_offer(again, by=again.student)

        project.refresh_from_db()
        assert (project.status, project.closed_reason, project.places_taken) == (
            "closed",
            "full",
            1,
        )
        assert project_selectors.places_left(project) == 0


@pytest.fixture(params=["cancelled", "completed"])
def ended(request, active_engagement, student, mentor):
    """An engagement that is over, with an amendment still open from before the end."""
    engagement = active_engagement
    agreements.propose_amendment(
        engagement,
        by=mentor,
        changes={"hours_per_week": 8},
        reason="Lighter weeks",
        full_name=mentor.name,
    )
    if request.param == "cancelled":
        agreements.cancel(engagement, by=student, reason="Called off")
    else:
        start_today(engagement)
        completion.complete(engagement, by=mentor, partial=True, reason="Stopped early")
    engagement.refresh_from_db()
    assert engagement.state == request.param
    return engagement


class TestNothingChangesAfterTheEnd:
    def number(self, engagement):
        return engagement.agreement_versions.get(status=AgreementVersion.Status.PROPOSED).number

    def test_no_amendment_is_proposed(self, ended, student):
        with pytest.raises(Conflict) as caught:
            agreements.propose_amendment(
                ended, by=student, changes={"hours_per_week": 6}, reason="x", full_name=student.name
            )
        assert caught.value.code == "not_active"

    def test_no_open_amendment_is_accepted(self, ended, student):
        with pytest.raises(Conflict) as caught:
            agreements.accept_amendment(
                ended, self.number(ended), by=student, full_name=student.name
            )
        assert caught.value.code == "engagement_not_active"
        assert ended.agreement_versions.filter(status="proposed").count() == 1

    def test_no_open_amendment_is_rejected(self, ended, student):
        with pytest.raises(Conflict) as caught:
            agreements.reject_amendment(ended, self.number(ended), by=student)
        assert caught.value.code == "engagement_not_active"

    def test_no_check_in_is_moved(self, active_engagement, student):
        checkin = CheckIn.objects.filter(engagement=active_engagement).first()
        agreements.cancel(active_engagement, by=student, reason="Called off")
        checkin.refresh_from_db()
        with pytest.raises(Conflict) as caught:
            checkins.reschedule(
                checkin,
                by=student,
                to=checkin.scheduled_at + datetime.timedelta(hours=2),
                reason="Clash",
            )
        assert caught.value.code == "engagement_not_active"

    def test_no_deliverable_is_submitted(self, ended, student):
        with pytest.raises(Conflict) as caught:
            deliverables.submit(ended, "d1", by=student, link="https://example.org/late")
        assert caught.value.code == "engagement_not_active"

    def test_no_update_is_posted(self, ended, student):
        with pytest.raises(Conflict) as caught:
            progress.post_update(ended, by=student, done="More", hours=1)
        assert caught.value.code == "engagement_not_active"

    def test_no_learning_item_is_added(self, ended, student):
        with pytest.raises(Conflict) as caught:
            learning.add_item(ended, by=student, kind="goal", title="A new goal")
        assert caught.value.code == "engagement_not_active"

    def test_no_second_ending(self, ended, student, mentor):
        with pytest.raises(Conflict) as caught:
            agreements.cancel(ended, by=student, reason="Again")
        assert caught.value.code == "not_cancellable"
        with pytest.raises(Conflict) as caught:
            completion.complete(ended, by=mentor, partial=True, reason="Again")
        assert caught.value.code == "engagement_not_active"

    def test_over_http_it_is_a_409_with_its_code(self, ended, api_client_for, student):
        response = api_client_for(student).post(
            f"/api/v1/engagements/{ended.pk}/amendments/{self.number(ended)}/accept",
            {"full_name": student.name},
            content_type="application/json",
        )
        assert response.status_code == 409
        assert response.json()["code"] == "engagement_not_active"


class TestCompletionWaitsForTheStart:
    def test_not_before_the_agreed_start(self, active_engagement, mentor):
        starts = lifecycle.starts_on(active_engagement)
        with pytest.raises(Conflict) as caught:
            completion.complete(active_engagement, by=mentor, partial=True, reason="Too soon")
        assert caught.value.code == "not_started"
        assert f"{starts:%-d %b %Y}" in caught.value.message
        active_engagement.refresh_from_db()
        assert active_engagement.state == Engagement.State.ACTIVE

    def test_from_the_first_day_on(self, started_engagement, mentor):
        completion.complete(started_engagement, by=mentor, partial=True, reason="Stopped")
        started_engagement.refresh_from_db()
        assert started_engagement.state == Engagement.State.COMPLETED

    def test_the_first_day_is_the_projects_day(self, active_engagement, mentor):
        """Auckland is ahead of UTC: on the day the work starts there, it is still the day
        before in UTC, and completion is allowed."""
        Project.objects.filter(pk=active_engagement.project_id).update(timezone="Pacific/Auckland")
        active_engagement.project.refresh_from_db()
        starts = lifecycle.starts_on(active_engagement)
        # 20:00 UTC the day before the start = the start day's morning in Auckland.
        now = datetime.datetime.combine(
            starts - datetime.timedelta(days=1), datetime.time(20), datetime.UTC
        )
        assert lifecycle.today_of(active_engagement, now) == starts
        assert timezone.localdate(now, datetime.UTC) < starts
        completion.complete(active_engagement, by=mentor, partial=True, reason="Quick", now=now)


def _state_writes(path: Path) -> list[str]:
    """Assignments to `.state`/`.status` (tuples too) and `.update(state=…/status=…)` calls."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                # An object's own attribute (an error's HTTP `self.status`) is no state change.
                mine = isinstance(element, ast.Attribute) and (
                    isinstance(element.value, ast.Name) and element.value.id == "self"
                )
                if (
                    isinstance(element, ast.Attribute)
                    and element.attr in ("state", "status")
                    and not mine
                ):
                    found.append(f"{path.name}:{node.lineno}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and any(k.arg in ("state", "status") for k in node.keywords)
        ):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_every_state_change_goes_through_a_transition_table():
    """No code outside the transition tables writes a state: engagements/lifecycle.py for the
    lifecycle, core/state_machine.py (TransitionTable.move / move_all) for the other machines."""
    root = Path(__file__).resolve().parents[2] / "practicum"
    owners = {root / "engagements" / "lifecycle.py", root / "core" / "state_machine.py"}
    found = [
        write
        for path in sorted(root.rglob("*.py"))
        if path not in owners and "migrations" not in path.parts
        for write in _state_writes(path)
    ]
    assert found == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "a.state = 1\nb.status, c = 2, 3\nQ.objects.update(status='x')\nd.status == 4\n"
        "self.status = 5\n"
    )
    assert _state_writes(sample) == ["sample.py:1", "sample.py:2", "sample.py:3"]


def test_a_second_student_cannot_take_a_withdrawn_offer_over_http(project, api_client_for):
    first, second = offers_on(project, 2)
    services.accept_offer(first, by=first.student)

    response = api_client_for(second.student).post(f"/api/v1/applications/{second.pk}/accept")

    assert response.status_code == 409
    assert response.json()["code"] == "offer_withdrawn"
