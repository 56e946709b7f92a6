"""/api/v1/ for projects: the same rules as the pages, errors as {"code", "message", "fields"}."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from practicum.api.urls import api
from practicum.engagements.models import Application
from practicum.projects.models import Project
from tests.factories import ApplicationFactory, ProjectFactory, ProjectSkillFactory, SkillFactory

from .conftest import days

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def as_json(data) -> dict:
    def default(value):
        return value.isoformat()

    return json.loads(json.dumps(data, default=default))


def post(client, url, data=None):
    return client.post(url, as_json(data or {}), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, as_json(data), content_type="application/json")


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert isinstance(body["fields"], dict)
    return body


class TestList:
    def test_anyone_browses_open_projects(self, project):
        ProjectFactory(status=Project.Status.DRAFT)
        ProjectSkillFactory(project=project, skill=SkillFactory(name="Statistics"))

        response = Client().get(f"{BASE}/projects")

        assert response.status_code == 200
        body = response.json()
        assert (body["count"], body["page"], body["num_pages"], body["page_size"]) == (1, 1, 1, 20)
        item = body["results"][0]
        assert item["id"] == project.pk
        assert item["url"] == f"/projects/{project.pk}/"
        assert item["organization"]["slug"] == project.organization.slug
        assert item["compensation_amount"] == 60000
        assert item["compensation_display"] == "600.00 EUR"
        assert item["hourly_display"] == "15.00 EUR"
        assert item["skills"][0]["skill"]["name"] == "Statistics"
        assert item["skills"][0]["min_level_name"] == "Working"

    def test_filters_search_and_sort(self, db):
        ProjectFactory(title="Data cleaning", hours_per_week=5, estimated_hours=20)
        ProjectFactory(title="Data viz", hours_per_week=20)
        ProjectFactory(
            title="Bookkeeping",
            description="",
            summary="",
            hours_per_week=5,
            estimated_hours=20,
            objectives=["Reconcile"],
            learning_outcomes=[],
        )

        response = Client().get(
            f"{BASE}/projects", {"q": "data", "max_hours_per_week": 10, "sort": "newest"}
        )
        assert [p["title"] for p in response.json()["results"]] == ["Data cleaning"]

    def test_skills_are_repeated_parameters(self, db):
        python, sql = SkillFactory.create_batch(2)
        ProjectSkillFactory(project__title="Python", skill=python)
        ProjectSkillFactory(project__title="SQL", skill=sql)
        response = Client().get(f"{BASE}/projects", {"skills": [python.pk, sql.pk]})
        assert sorted(p["title"] for p in response.json()["results"]) == ["Python", "SQL"]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"max_hours_per_week": "many"}, "max_hours_per_week"),
            ({"min_weeks": 5, "max_weeks": 2}, "max_weeks"),
            ({"skills": 999999}, "skills"),
            ({"category": "nope"}, "category"),
            ({"sort": "random"}, "sort"),
            ({"starts_from": "soon"}, "starts_from"),
            ({"page": 0}, "page"),
        ],
    )
    def test_bad_filter_values_are_422(self, db, params, field):
        body = assert_error(Client().get(f"{BASE}/projects", params), 422, "invalid")
        assert field in body["fields"]

    def test_pages(self, db):
        ProjectFactory.create_batch(21)
        second = Client().get(f"{BASE}/projects", {"page": 2}).json()
        assert (second["count"], second["num_pages"], len(second["results"])) == (21, 2, 1)
        assert Client().get(f"{BASE}/projects", {"page": 3}).json()["results"] == []


class TestDetail:
    def test_a_published_project_is_public(self, project):
        response = Client().get(f"{BASE}/projects/{project.pk}")
        body = response.json()
        assert response.status_code == 200
        assert body["title"] == project.title
        assert body["deliverables"] == [
            {"title": "Findings report", "description": "", "due_on": project.ends_on.isoformat()}
        ]
        assert body["mentor"] == {"id": project.mentor_id, "name": project.mentor.name}
        assert body["places_left"] == 1
        assert body["accepting_applications"] is True
        assert body["closed_message"] == ""
        assert body["description_html"].startswith("<p>")

    def test_a_draft_is_visible_to_members_only(self, api_client_for, draft, owner, outsider):
        url = f"{BASE}/projects/{draft.pk}"
        assert api_client_for(owner).get(url).status_code == 200
        assert_error(api_client_for(outsider).get(url), 404, "not_found")
        assert_error(Client().get(url), 404, "not_found")

    def test_a_session_counts_too(self, client_for, draft, mentor):
        assert client_for(mentor).get(f"{BASE}/projects/{draft.pk}").status_code == 200

    def test_unknown(self, db):
        assert_error(Client().get(f"{BASE}/projects/999999"), 404, "not_found")


class TestCreate:
    def url(self, organization):
        return f"{BASE}/organizations/{organization.slug}/projects"

    def test_a_member_creates_a_draft_with_nested_rows(
        self, api_client_for, mentor, organization, full_data, skill
    ):
        response = post(api_client_for(mentor), self.url(organization), full_data)

        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "draft"
        assert body["deliverables"][0]["title"] == "Findings report"
        assert body["skills"][0]["skill"]["id"] == skill.pk
        assert body["checkin_time"] == "14:30:00"
        assert Project.objects.get(pk=body["id"]).organization == organization

    def test_only_a_title_is_needed(self, api_client_for, owner, organization):
        response = post(api_client_for(owner), self.url(organization), {"title": "Idea"})
        assert response.status_code == 201
        assert response.json()["objectives"] == []

    def test_bad_input_is_422_with_fields(self, api_client_for, owner, organization):
        response = post(
            api_client_for(owner),
            self.url(organization),
            {"title": "X", "currency": "ABC", "skills": [{"skill": 999999, "min_level": 9}]},
        )
        body = assert_error(response, 422, "invalid")
        assert body["fields"]["currency"] == [
            "Choose a currency from the list (an ISO 4217 code such as EUR)."
        ]
        assert body["fields"]["skills"] == ["Skill 1: choose a skill from the list."]

    def test_a_wrong_type_is_422(self, api_client_for, owner, organization):
        response = post(
            api_client_for(owner), self.url(organization), {"title": "X", "starts_on": "soon"}
        )
        assert "starts_on" in assert_error(response, 422, "invalid")["fields"]

    def test_a_student_may_not(self, api_client_for, student, organization):
        response = post(api_client_for(student), self.url(organization), {"title": "X"})
        assert_error(response, 403, "not_a_member")

    def test_a_member_of_another_organization_may_not(self, api_client_for, outsider, organization):
        response = post(api_client_for(outsider), self.url(organization), {"title": "X"})
        assert_error(response, 403, "not_a_member")
        assert not Project.objects.exists()

    def test_anonymous_may_not(self, organization):
        assert_error(post(Client(), self.url(organization), {"title": "X"}), 401, "unauthenticated")

    def test_unknown_organization(self, api_client_for, owner):
        response = post(
            api_client_for(owner), f"{BASE}/organizations/nope/projects", {"title": "X"}
        )
        assert_error(response, 404, "not_found")


class TestUpdate:
    def test_a_member_changes_some_fields(self, api_client_for, mentor, project):
        response = patch(
            api_client_for(mentor),
            f"{BASE}/projects/{project.pk}",
            {"title": "Renamed", "screening_questions": ["Why us?"]},
        )
        assert response.status_code == 200, response.content
        assert response.json()["title"] == "Renamed"
        project.refresh_from_db()
        assert project.screening_questions == ["Why us?"]
        assert project.summary  # left out, so kept

    def test_a_published_project_must_stay_valid(self, api_client_for, owner, project):
        response = patch(api_client_for(owner), f"{BASE}/projects/{project.pk}", {"objectives": []})
        body = assert_error(response, 422, "invalid")
        assert body["fields"] == {"objectives": ["Add at least one objective."]}

    def test_terms_are_locked_after_an_offer(self, api_client_for, owner, project):
        ApplicationFactory(
            project=project, status=Application.Status.OFFERED, offered_at=timezone.now()
        )
        response = patch(
            api_client_for(owner), f"{BASE}/projects/{project.pk}", {"compensation_amount": 1}
        )
        body = assert_error(response, 409, "locked_after_offer")
        assert "agreement amendment" in body["message"]
        assert list(body["fields"]) == ["compensation_amount"]

    def test_an_outsider_gets_403_on_a_published_project(self, api_client_for, outsider, project):
        response = patch(api_client_for(outsider), f"{BASE}/projects/{project.pk}", {"title": "X"})
        assert_error(response, 403, "not_a_member")

    def test_an_outsider_gets_404_on_a_draft(self, api_client_for, outsider, draft):
        response = patch(api_client_for(outsider), f"{BASE}/projects/{draft.pk}", {"title": "X"})
        assert_error(response, 404, "not_found")


class TestStatusChanges:
    def test_publish(self, api_client_for, owner, draft):
        response = post(api_client_for(owner), f"{BASE}/projects/{draft.pk}/publish")
        assert response.status_code == 200
        assert response.json()["status"] == "open"

    def test_publish_lists_every_problem(self, api_client_for, owner, draft):
        Project.objects.filter(pk=draft.pk).update(objectives=[], application_deadline=days(-1))
        response = post(api_client_for(owner), f"{BASE}/projects/{draft.pk}/publish")
        body = assert_error(response, 422, "invalid")
        assert set(body["fields"]) == {"objectives", "application_deadline"}

    def test_close_reopen_archive(self, api_client_for, mentor, project):
        client = api_client_for(mentor)
        for action, status in [("close", "closed"), ("reopen", "open"), ("archive", "archived")]:
            response = post(client, f"{BASE}/projects/{project.pk}/{action}")
            assert response.status_code == 200, response.content
            assert response.json()["status"] == status

    def test_an_illegal_transition_is_409(self, api_client_for, owner, project):
        response = post(api_client_for(owner), f"{BASE}/projects/{project.pk}/publish")
        body = assert_error(response, 409, "illegal_transition")
        assert body["message"] == "An open project cannot be published."

    def test_reopen_refused_says_why(self, api_client_for, owner, project):
        Project.objects.filter(pk=project.pk).update(places_taken=1)
        client = api_client_for(owner)
        post(client, f"{BASE}/projects/{project.pk}/close")
        body = assert_error(
            post(client, f"{BASE}/projects/{project.pk}/reopen"), 409, "cannot_reopen"
        )
        assert "capacity" in body["fields"]

    def test_a_student_may_not(self, api_client_for, student, project):
        response = post(api_client_for(student), f"{BASE}/projects/{project.pk}/close")
        assert_error(response, 403, "not_a_member")

    def test_anonymous_may_not(self, project):
        assert_error(post(Client(), f"{BASE}/projects/{project.pk}/close"), 401, "unauthenticated")


def test_every_endpoint_is_in_the_openapi_schema():
    schema = api.get_openapi_schema()
    paths = schema["paths"]
    expected = {
        "/api/v1/projects": ["get"],
        "/api/v1/projects/{project_id}": ["get", "patch"],
        "/api/v1/organizations/{slug}/projects": ["post"],
        "/api/v1/projects/{project_id}/publish": ["post"],
        "/api/v1/projects/{project_id}/close": ["post"],
        "/api/v1/projects/{project_id}/reopen": ["post"],
        "/api/v1/projects/{project_id}/archive": ["post"],
    }
    for path, methods in expected.items():
        for method in methods:
            operation = paths[path][method]
            assert "projects" in operation["tags"]
            ok = 201 if method == "post" and path.endswith("/projects") else 200
            assert "$ref" in str(operation["responses"][ok]["content"]), (path, method)
    # Public reads: credentials are optional (the empty requirement).
    assert {} in paths["/api/v1/projects/{project_id}"]["get"]["security"]
    assert "ProjectOut" in schema["components"]["schemas"]
    assert "ErrorOut" in schema["components"]["schemas"]


class TestUnpaid:
    """Issue 12, money: publishing needs a pay amount or the explicit unpaid choice."""

    def test_publishing_without_pay_or_the_choice_is_422(self, api_client_for, owner, draft):
        Project.objects.filter(pk=draft.pk).update(compensation_amount=None)
        response = post(api_client_for(owner), f"{BASE}/projects/{draft.pk}/publish")
        body = assert_error(response, 422, "invalid")
        assert set(body["fields"]) == {"compensation_amount"}

    def test_unpaid_is_published_and_shown_as_such(self, api_client_for, owner, draft):
        client = api_client_for(owner)
        changed = patch(
            client,
            f"{BASE}/projects/{draft.pk}",
            {"compensation_amount": None, "unpaid": True},
        )
        assert changed.status_code == 200, changed.content
        assert post(client, f"{BASE}/projects/{draft.pk}/publish").status_code == 200
        body = Client().get(f"{BASE}/projects/{draft.pk}").json()
        assert body["unpaid"] is True
        assert body["compensation_display"] == "Unpaid — for academic credit"

    def test_an_outsider_cannot_mark_it_unpaid(self, api_client_for, outsider, draft):
        response = patch(api_client_for(outsider), f"{BASE}/projects/{draft.pk}", {"unpaid": True})
        assert response.status_code in (403, 404)
        draft.refresh_from_db()
        assert draft.unpaid is False
