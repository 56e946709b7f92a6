"""/api/v1/recommendations/projects and /api/v1/projects/{id}/candidates."""

import pytest
from django.test import Client

from practicum.matching import ReasonCode
from practicum.projects.models import Project
from tests.factories import ProjectFactory, SkillFactory

from .conftest import days, make_project, make_student

pytestmark = pytest.mark.django_db

FOR_ME = "/api/v1/recommendations/projects"
COMPONENTS = {"required", "preferred", "text", "availability", "learning"}


def candidates_url(project) -> str:
    return f"/api/v1/projects/{project.pk}/candidates"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert isinstance(body["fields"], dict)
    return body


class TestRecommendedProjects:
    def test_the_students_best_fits_with_scores_components_and_reasons(
        self, api_client_for, analyst, python
    ):
        match = make_project(title="Match", required=[(python, 3)])
        make_project(title="Other", required=[(SkillFactory(), 3)])
        make_project(title="Unreachable", hours_per_week=40)

        response = api_client_for(analyst).get(FOR_ME)

        assert response.status_code == 200, response.content
        body = response.json()
        assert body["profile_is_blank"] is False
        assert [r["project"]["title"] for r in body["results"]] == ["Match", "Other"]
        first = body["results"][0]
        assert first["project"]["id"] == match.pk
        assert first["project"]["url"] == match.get_absolute_url()
        assert first["project"]["organization"]["slug"] == match.organization.slug
        assert first["project"]["starts_on"] == match.starts_on.isoformat()
        assert 0 < first["score"] <= 1
        assert first["percent"] == round(first["score"] * 100)
        assert set(first["components"]) == COMPONENTS
        assert set(first["weights"]) == COMPONENTS
        assert first["reasons"][0] == {
            "code": "skills_all_met",
            "component": "required",
            "params": {"count": 1},
            "text": "You have the required skill at the level asked",
        }
        assert first["top_reasons"][0] == first["reasons"][0]
        assert first["eligible"] is True

    def test_the_limit(self, api_client_for, analyst):
        ProjectFactory.create_batch(4)
        body = api_client_for(analyst).get(FOR_ME, {"limit": 3}).json()
        assert len(body["results"]) == 3

    @pytest.mark.parametrize("limit", ["0", "51", "many"])
    def test_a_bad_limit_is_422(self, api_client_for, analyst, limit):
        body = assert_error(api_client_for(analyst).get(FOR_ME, {"limit": limit}), 422, "invalid")
        assert "limit" in body["fields"]

    def test_a_blank_profile_says_so(self, api_client_for):
        ProjectFactory()
        body = api_client_for(make_student()).get(FOR_ME).json()
        assert body == {"profile_is_blank": True, "results": []}

    def test_the_browser_session_works_too(self, client_for, analyst):
        ProjectFactory()
        assert client_for(analyst).get(FOR_ME).status_code == 200

    def test_non_students_get_403(self, api_client_for, member):
        assert_error(api_client_for(member).get(FOR_ME), 403, "not_a_student")

    def test_visitors_get_401(self):
        assert_error(Client().get(FOR_ME), 401, "unauthenticated")


class TestCandidates:
    @pytest.fixture
    def project(self, organization, member, python):
        return make_project(organization=organization, mentor=member, required=[(python, 3)])

    def test_members_get_discoverable_students_with_scores_and_reasons(
        self, api_client_for, member, project, python
    ):
        best = make_student(name="Ada", headline="Maths", skills=[(python, 3)], discoverable=True)
        make_student(name="Bo", discoverable=True)
        make_student(name="Hidden", skills=[(python, 4)], discoverable=False)
        make_student(name="Away", windows=[(days(100), days(120))], discoverable=True)

        response = api_client_for(member).get(candidates_url(project))

        assert response.status_code == 200, response.content
        results = response.json()["results"]
        assert [r["student"]["name"] for r in results] == ["Ada", "Bo"]
        first = results[0]
        profile = best.student_profile
        assert first["student"] == {
            "profile_id": profile.pk,
            "url": profile.get_absolute_url(),
            "name": "Ada",
            "headline": "Maths",
        }
        assert first["percent"] == round(first["score"] * 100)
        assert set(first["components"]) == COMPONENTS
        assert first["reasons"][0] == {
            "code": "skills_all_met",
            "component": "required",
            "params": {"count": 1},
            "text": "Has the required skill at the level asked",
        }
        assert not any(r["text"].startswith(("You", "Your")) for r in first["reasons"])
        assert all(set(r) == {"code", "component", "params", "text"} for r in first["reasons"])

    def test_the_limit(self, api_client_for, member, project):
        for _ in range(4):
            make_student(discoverable=True)
        body = api_client_for(member).get(candidates_url(project), {"limit": 2}).json()
        assert len(body["results"]) == 2

    @pytest.mark.parametrize("limit", ["0", "51"])
    def test_a_bad_limit_is_422(self, api_client_for, member, project, limit):
        response = api_client_for(member).get(candidates_url(project), {"limit": limit})
        assert_error(response, 422, "invalid")

    def test_a_project_not_taking_applications_is_409(self, api_client_for, member, project):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-1))
        assert_error(api_client_for(member).get(candidates_url(project)), 409, "project_not_open")

    @pytest.mark.parametrize("who", ["student", "outsider"])
    def test_others_get_404(self, api_client_for, analyst, outsider, project, who):
        client = api_client_for(analyst if who == "student" else outsider)
        assert_error(client.get(candidates_url(project)), 404, "not_found")

    def test_an_unknown_project_is_404(self, api_client_for, member):
        assert_error(
            api_client_for(member).get("/api/v1/projects/999999/candidates"), 404, "not_found"
        )

    def test_visitors_get_401(self, project):
        assert_error(Client().get(candidates_url(project)), 401, "unauthenticated")


def test_the_endpoints_are_documented():
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/recommendations/projects" in schema["paths"]
    assert "/api/v1/projects/{project_id}/candidates" in schema["paths"]


def test_the_reason_codes_are_an_enum_in_the_schema():
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    reason = schemas["FitReasonOut"]
    assert reason["required"] == ["code", "component", "params", "text"]
    assert reason["properties"]["code"]["$ref"] == "#/components/schemas/ReasonCode"
    assert schemas["ReasonCode"]["enum"] == [code.value for code in ReasonCode]
    # Each code's parameters are named where a client reads the schema.
    assert (
        "skill_one_level_short: skill_id, skill, min_level, level"
        in (reason["properties"]["params"]["description"])
    )
    fit = schemas["FitOut"]["properties"]
    for field in ("reasons", "top_reasons"):
        assert fit[field]["items"]["$ref"] == "#/components/schemas/FitReasonOut"
