"""One "today" per engagement: a deliverable's due date passes at midnight in the project's
time zone, for both sides, on the web and in the API (token requests included), whatever the
viewer's own time zone."""

import datetime

import pytest
from django.urls import reverse

from practicum.accounts.models import User
from practicum.core.timezones import today_in, zone_named
from practicum.engagements.models import AgreementVersion
from practicum.projects.models import Project

pytestmark = pytest.mark.django_db

# 25 hours apart: at any moment their calendar days differ.
PROJECT_ZONE, VIEWER_ZONE = "Pacific/Kiritimati", "Pacific/Pago_Pago"


@pytest.fixture
def due_yesterday_in_the_project(active_engagement, student, mentor):
    """Project in Kiritimati (UTC+14); its deliverable was due yesterday there, which is still
    today or later for people in Pago Pago (UTC−11)."""
    Project.objects.filter(pk=active_engagement.project_id).update(timezone=PROJECT_ZONE)
    active_engagement.project.refresh_from_db()
    due = today_in(zone_named(PROJECT_ZONE)) - datetime.timedelta(days=1)
    assert today_in(zone_named(VIEWER_ZONE)) <= due
    version = active_engagement.agreement_versions.get(status=AgreementVersion.Status.CURRENT)
    deliverables = [{**d, "due_on": due.isoformat()} for d in version.terms["deliverables"]]
    AgreementVersion.objects.filter(pk=version.pk).update(
        terms={**version.terms, "deliverables": deliverables}
    )
    User.objects.filter(pk__in=[student.pk, mentor.pk]).update(timezone=VIEWER_ZONE)
    student.refresh_from_db()
    mentor.refresh_from_db()
    return active_engagement


@pytest.mark.parametrize("who", ["student", "mentor"])
def test_the_page_and_the_api_agree_it_is_overdue(
    request, due_yesterday_in_the_project, client_for, api_client_for, who
):
    engagement = due_yesterday_in_the_project
    person = request.getfixturevalue(who)

    page = client_for(person).get(reverse("deliverables:list", args=[engagement.pk]))
    api = api_client_for(person).get(f"/api/v1/engagements/{engagement.pk}/deliverables")

    assert 'class="badge overdue"' in page.content.decode() or "Overdue" in page.content.decode()
    assert [row["is_overdue"] for row in api.json()] == [True]


def test_an_application_deadline_passes_at_the_projects_midnight(
    project, student, client_for, api_client_for
):
    """The deadline was yesterday in Kiritimati; a student in Pago Pago (still on that day or
    the day before) sees the project closed on the page and in the API alike."""
    deadline = today_in(zone_named(PROJECT_ZONE)) - datetime.timedelta(days=1)
    Project.objects.filter(pk=project.pk).update(
        timezone=PROJECT_ZONE, application_deadline=deadline
    )
    User.objects.filter(pk=student.pk).update(timezone=VIEWER_ZONE)
    student.refresh_from_db()

    page = client_for(student).get(project.get_absolute_url()).content.decode()
    api = api_client_for(student).get(f"/api/v1/projects/{project.pk}").json()

    assert "The application deadline has passed" in page
    assert (api["accepting_applications"], api["places_left"]) == (False, 0)
