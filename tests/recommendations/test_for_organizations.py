""" "Suggested candidates" on the organization's project page: members only."""

import pytest
from django.test import Client
from django.urls import reverse

from practicum.projects.models import Project
from practicum.recommendations import selectors
from tests.factories import ProjectFactory, SkillFactory

from .conftest import days, make_project, make_student

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def url(project) -> str:
    return f"/projects/{project.pk}/candidates/"


@pytest.fixture
def project(organization, member, python, sql):
    return make_project(
        title="Survey analysis",
        organization=organization,
        mentor=member,
        required=[(python, 3), (sql, 2)],
        starts_on=days(14),
        ends_on=days(41),
        hours_per_week=10,
    )


def suggested(project) -> list[str]:
    project = selectors.project_for_candidates(project.pk)
    return [c.profile.user.name for c in selectors.suggested_candidates(project, limit=10)]


class TestRanking:
    def test_best_fit_first_among_discoverable_students(self, project, python, sql):
        make_student(name="Both", skills=[(python, 3), (sql, 2)], discoverable=True)
        make_student(name="One", skills=[(python, 3)], discoverable=True)
        make_student(name="None", discoverable=True)
        make_student(name="Hidden", skills=[(python, 4), (sql, 4)], discoverable=False)

        assert suggested(project) == ["Both", "One", "None"]

    def test_students_who_cannot_meet_the_dates_or_hours_are_left_out(self, project, python):
        make_student(
            name="Away", skills=[(python, 3)], windows=[(days(60), days(90))], discoverable=True
        )
        make_student(name="Busy", skills=[(python, 3)], weekly_hours=3, discoverable=True)
        make_student(name="Free", discoverable=True)

        assert suggested(project) == ["Free"]

    def test_at_most_ten(self, project):
        for n in range(12):
            make_student(name=f"S{n}", discoverable=True)
        assert len(suggested(project)) == 10

    def test_reasons_are_written_for_the_organization(self, project, python):
        make_student(skills=[(python, 3)], discoverable=True, interests=["survey analysis"])
        project = selectors.project_for_candidates(project.pk)
        (candidate,) = selectors.suggested_candidates(project, limit=10)

        texts = [reason.text for reason in candidate.fit.reasons]
        assert "Has 1 of the 2 required skills at the level asked" in texts
        assert "Missing: SQL (asked: working)" in texts
        assert "Their interests and this project share: survey, analysis" in texts
        for text in texts:
            assert not text.startswith(("You", "Your")), text


class TestProjectPage:
    def test_members_get_the_section_loaded_by_htmx(self, client_for, member, project):
        html = client_for(member).get(project.get_absolute_url()).content.decode()
        assert "Suggested candidates" in html
        assert f'hx-get="{url(project)}"' in html
        assert 'hx-trigger="load"' in html
        assert f'<a href="{url(project)}">' in html  # without JavaScript

    @pytest.mark.parametrize("who", ["anonymous", "student", "outsider"])
    def test_others_do_not(self, client_for, analyst, outsider, project, who):
        client = {
            "anonymous": Client(),
            "student": client_for(analyst),
            "outsider": client_for(outsider),
        }[who]
        html = client.get(project.get_absolute_url()).content.decode()
        assert "Suggested candidates" not in html
        assert url(project) not in html

    @pytest.mark.parametrize(
        "change",
        [{"status": Project.Status.CLOSED}, {"application_deadline": days(-1)}],
        ids=["closed", "deadline passed"],
    )
    def test_not_once_applications_are_over(self, client_for, member, project, change):
        Project.objects.filter(pk=project.pk).update(**change)
        html = client_for(member).get(project.get_absolute_url()).content.decode()
        assert "Suggested candidates" not in html


class TestSection:
    def test_the_url_name(self, project):
        assert reverse("recommendations:candidates", args=[project.pk]) == url(project)

    def test_candidates_with_their_fit_reasons_and_profile_links(
        self, client_for, member, project, python, sql
    ):
        best = make_student(
            name="Ada Lovelace",
            headline="Maths student",
            skills=[(python, 3), (sql, 2)],
            discoverable=True,
        )
        make_student(name="Hidden Person", skills=[(python, 4)], discoverable=False)

        response = client_for(member).get(url(project), headers=HTMX)

        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert "Ada Lovelace" in html
        assert "Maths student" in html
        assert f'href="{best.student_profile.get_absolute_url()}"' in html
        assert f'href="/students/{best.student_profile.pk}/"' in html
        assert "Has all 2 required skills at the level asked" in html
        assert "% fit" in html
        assert "Hidden Person" not in html

    def test_the_profile_link_opens_for_the_member(self, client_for, member, project):
        student = make_student(discoverable=True)
        profile_url = student.student_profile.get_absolute_url()
        assert client_for(member).get(profile_url).status_code == 200

    def test_without_javascript_it_is_a_page(self, client_for, member, project):
        make_student(name="Grace Hopper", discoverable=True)
        html = client_for(member).get(url(project)).content.decode()
        assert "<html" in html
        assert "Grace Hopper" in html
        assert project.get_absolute_url() in html

    def test_a_project_not_taking_applications_says_so(self, client_for, member, project):
        make_student(name="Grace Hopper", discoverable=True)
        Project.objects.filter(pk=project.pk).update(status=Project.Status.CLOSED)

        html = client_for(member).get(url(project), headers=HTMX).content.decode()

        assert "Candidates are suggested while the project takes applications" in html
        assert "Grace Hopper" not in html

    def test_when_nobody_fits_it_says_so(self, client_for, member, project):
        html = client_for(member).get(url(project), headers=HTMX).content.decode()
        assert "No discoverable student can meet this project" in html

    @pytest.mark.parametrize("who", ["student", "outsider"])
    def test_others_get_404(self, client_for, analyst, outsider, project, who):
        client = client_for(analyst if who == "student" else outsider)
        assert client.get(url(project), headers=HTMX).status_code == 404

    def test_a_draft_is_404_for_others_too(self, client_for, outsider, organization):
        draft = ProjectFactory(organization=organization, status=Project.Status.DRAFT)
        assert client_for(outsider).get(url(draft)).status_code == 404

    def test_visitors_are_sent_to_log_in(self, project):
        response = Client().get(url(project))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]

    def test_an_unknown_project_is_404(self, client_for, member):
        assert client_for(member).get("/projects/999999/candidates/").status_code == 404


@pytest.mark.parametrize("count", [5, 40])
def test_the_query_count_does_not_grow_with_the_students(
    client_for, member, project, python, sql, count, django_assert_max_num_queries
):
    extra = SkillFactory()
    for n in range(count):
        make_student(
            skills=[(python, 1 + n % 4), (sql, 2), (extra, 1)],
            windows=[(days(1), days(90))],
            discoverable=True,
        )
    client = client_for(member)

    # session, user, project with its organization, its skills, membership check, index
    # version, index (profiles, skills, windows: built on this first request), the profiles
    # shown with their users, skills and windows, navigation (memberships, institutions)
    with django_assert_max_num_queries(14):
        response = client.get(url(project), headers=HTMX)
    assert len(response.context["candidates"]) == min(count, 10)
