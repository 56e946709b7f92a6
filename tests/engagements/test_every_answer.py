"""Every applicant gets an answer: when a project closes, fills or is archived, the applications
nobody decided on are declined by the lifecycle, each with the student's notification and a
courteous note on their application; offers are withdrawn as before, decisions stay."""

import pytest
from django.urls import reverse
from django.utils import timezone

from practicum.engagements import lifecycle, services
from practicum.engagements.models import Application
from practicum.notifications.models import Notification
from practicum.projects import status as project_status
from practicum.projects.models import Project
from tests.factories import ApplicationFactory, ProjectFactory

from .conftest import make_offered

pytestmark = pytest.mark.django_db

S = Application.Status


@pytest.fixture
def waiting(project):
    """One of each status on the project."""
    return {
        status: ApplicationFactory(project=project, status=status)
        for status in (S.SUBMITTED, S.SHORTLISTED, S.REJECTED, S.WITHDRAWN, S.DECLINED)
    }


def refreshed(application):
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    ("action", "reason"), [("close", "project_closed"), ("archive", "project_archived")]
)
def test_closing_or_archiving_declines_those_still_waiting(project, owner, waiting, action, reason):
    offer = make_offered(ApplicationFactory(project=project))
    before = timezone.now()

    project_status.change(project, action, by=owner)

    for status in (S.SUBMITTED, S.SHORTLISTED):
        application = refreshed(waiting[status])
        assert (application.status, application.declined_reason) == (S.REJECTED, reason)
        assert application.answered_at >= before
        assert Notification.objects.filter(
            kind="application_declined", recipient=application.student
        ).exists()
    # Decisions already made stay as they were; the open offer is withdrawn (not declined).
    for status in (S.REJECTED, S.WITHDRAWN, S.DECLINED):
        assert (refreshed(waiting[status]).status, waiting[status].declined_reason) == (status, "")
    offer = refreshed(offer)
    assert (offer.status, offer.withdrawn_reason, offer.declined_reason) == (
        S.WITHDRAWN,
        reason,
        "",
    )
    assert Notification.objects.filter(kind="application_declined").count() == 2


def test_filling_the_last_place_declines_the_others(project, owner):
    offer = make_offered(ApplicationFactory(project=project))
    other = ApplicationFactory(project=project)

    services.accept_offer(offer, by=offer.student)

    assert refreshed(offer).status == S.ACCEPTED
    other = refreshed(other)
    assert (other.status, other.declined_reason) == (S.REJECTED, "project_full")
    note = Notification.objects.get(kind="application_declined", recipient=other.student)
    assert note.context == {"because": "all its places are filled"}


def test_an_answered_time_already_given_is_kept(project, owner):
    shortlisted = ApplicationFactory(project=project)
    services.shortlist(shortlisted, by=owner)
    first_answer = refreshed(shortlisted).answered_at

    project_status.change(project, "close", by=owner)

    assert refreshed(shortlisted).answered_at == first_answer


def test_it_is_a_move_of_the_platform_in_the_table(project):
    move = lifecycle.APPLICATION.by_action["decline_unanswered"]

    assert move.who == lifecycle.Who.PLATFORM
    assert move.sources == {S.SUBMITTED, S.SHORTLISTED}
    assert move.target == S.REJECTED


def test_another_projects_applicants_are_untouched(project, owner, organization):
    elsewhere = ApplicationFactory(project=ProjectFactory(organization=organization))

    project_status.change(project, "close", by=owner)

    assert refreshed(elsewhere).status == S.SUBMITTED


def test_the_student_reads_a_courteous_note(client_for, project, owner, application):
    project_status.change(project, "close", by=owner)

    html = client_for(application.student).get(
        reverse("engagements:application", args=[application.pk])
    )

    text = html.content.decode()
    assert f"Thank you for applying to “{project.title}”" in text
    assert "The project no longer takes applicants (the organization closed it)" in text
    assert "find another project" in text


def test_the_api_says_why(api_client_for, project, owner, application):
    project_status.change(project, "archive", by=owner)

    body = api_client_for(application.student).get(f"/api/v1/applications/{application.pk}")

    assert body.json()["status"] == "rejected"
    assert body.json()["declined_reason"] == "project_archived"
    assert body.json()["answered_at"] is not None


def test_closing_over_the_api_declines_too(api_client_for, project, owner, application):
    response = api_client_for(owner).post(f"/api/v1/projects/{project.pk}/close")

    assert response.status_code == 200, response.content
    assert Project.objects.get(pk=project.pk).status == Project.Status.CLOSED
    assert refreshed(application).declined_reason == "project_closed"
