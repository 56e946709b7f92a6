"""The rounds API: the same rules as the pages, with machine-readable error codes."""

import json

import pytest
from django.test import Client

from practicum.api.urls import api
from practicum.engagements.models import Application
from practicum.matching import UnmatchedReason
from practicum.projects.models import Project
from practicum.rounds.models import MatchRound
from tests.factories import MembershipFactory, ProjectFactory

from .conftest import later, pass_deadline, student_of

pytestmark = pytest.mark.django_db

API = "/api/v1"


def send(client, method: str, path: str, data=None):
    if method == "get":
        return client.get(f"{API}{path}")
    return getattr(client, method)(
        f"{API}{path}", json.dumps(data or {}), content_type="application/json"
    )


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


@pytest.fixture
def as_staff(api_client_for, staff):
    return api_client_for(staff)


class TestRound:
    def test_create(self, as_staff, institution):
        response = send(
            as_staff,
            "post",
            "/rounds",
            {
                "name": "Spring",
                "institution": institution.slug,
                "ranking_deadline": later(days=3).isoformat(),
            },
        )

        body = response.json()
        assert response.status_code == 201
        assert body["state"] == "draft"
        assert body["owner"] == {
            "kind": "institution",
            "slug": institution.slug,
            "name": "Northfield University",
        }
        assert body["url"] == f"/rounds/{body['id']}/"

    def test_create_refusals(self, api_client_for, as_staff, institution, organization, org_owner):
        assert error_of(
            send(as_staff, "post", "/rounds", {"name": "R", "institution": "nope"})
        ) == (
            422,
            "invalid",
        )
        both = {"name": "R", "institution": institution.slug, "organization": organization.slug}
        assert error_of(send(as_staff, "post", "/rounds", both)) == (422, "invalid")
        response = send(
            api_client_for(org_owner),
            "post",
            "/rounds",
            {"name": "R", "institution": institution.slug},
        )
        assert error_of(response) == (403, "not_institution_staff")
        response = send(Client(), "post", "/rounds", {"name": "R", "institution": institution.slug})
        assert error_of(response) == (401, "unauthenticated")
        assert not MatchRound.objects.exists()

    def test_list_and_get(self, as_staff, api_client_for, draft_round, students):
        assert [r["name"] for r in as_staff.get(f"{API}/rounds").json()["items"]] == [
            "Spring cohort"
        ]
        assert as_staff.get(f"{API}/rounds/{draft_round.pk}").status_code == 200
        response = api_client_for(students[0]).get(f"{API}/rounds/{draft_round.pk}")
        assert error_of(response) == (404, "not_found")

    def test_update(self, as_staff, draft_round):
        response = send(as_staff, "patch", f"/rounds/{draft_round.pk}", {"name": "Renamed"})
        assert response.json()["name"] == "Renamed"
        assert response.json()["ranking_deadline"] is not None

        response = send(
            as_staff,
            "patch",
            f"/rounds/{draft_round.pk}",
            {"ranking_deadline": later(days=-1).isoformat()},
        )
        assert error_of(response) == (422, "invalid")
        assert "ranking_deadline" in response.json()["fields"]


class TestProjectsAndStudents:
    def test_projects(self, as_staff, draft_round, project_a):
        new = ProjectFactory(title="Logo redesign", capacity=3)
        path = f"/rounds/{draft_round.pk}/projects"

        response = send(as_staff, "post", path, {"project_id": new.pk, "capacity": 2})
        assert response.status_code == 201
        assert response.json()["capacity"] == 2
        assert response.json()["project"]["title"] == "Logo redesign"

        assert error_of(send(as_staff, "post", path, {"project_id": project_a.pk})) == (
            409,
            "already_in_round",
        )
        response = send(as_staff, "patch", f"{path}/{new.pk}", {"capacity": 9})
        assert error_of(response) == (422, "invalid")
        assert response.json()["fields"]["capacity"] == ["Only 3 places are left on this project."]
        assert send(as_staff, "patch", f"{path}/{new.pk}", {"capacity": 1}).json()["capacity"] == 1

        assert as_staff.get(f"{API}{path}").json()["count"] == 3
        assert as_staff.delete(f"{API}{path}/{new.pk}").status_code == 204
        assert as_staff.delete(f"{API}{path}/{new.pk}").status_code == 404

    def test_another_organizations_draft_does_not_exist(self, as_staff, draft_round):
        secret = ProjectFactory(title="Secret", status=Project.Status.DRAFT, published_at=None)

        response = send(
            as_staff, "post", f"/rounds/{draft_round.pk}/projects", {"project_id": secret.pk}
        )

        assert error_of(response) == (422, "invalid")
        assert "Secret" not in response.content.decode()

    def test_students(self, as_staff, draft_round, institution, students):
        path = f"/rounds/{draft_round.pk}/students"
        one = student_of(institution)
        student_of(institution)

        assert send(as_staff, "post", path, {"emails": [one.email]}).json() == {"added": 1}
        assert send(as_staff, "post", path, {"all_of_institution": True}).json() == {"added": 1}
        response = send(as_staff, "post", path, {"emails": ["ghost@example.org"]})
        assert error_of(response) == (422, "invalid")
        assert response.json()["fields"]["emails"] == ["No student account uses ghost@example.org."]
        assert as_staff.get(f"{API}{path}").json()["count"] == 5
        assert as_staff.delete(f"{API}{path}/{students[0].pk}").status_code == 204

    def test_only_the_staff(self, api_client_for, ranking_round, org_owner, students):
        for user in (org_owner, students[0]):
            client = api_client_for(user)
            response = client.get(f"{API}/rounds/{ranking_round.pk}/students")
            assert error_of(response) == (403, "not_round_staff")
        outsider = api_client_for(MembershipFactory().user)
        assert error_of(outsider.get(f"{API}/rounds/{ranking_round.pk}/students")) == (
            404,
            "not_found",
        )


class TestStates:
    def test_open_twice_is_illegal(self, as_staff, draft_round):
        path = f"/rounds/{draft_round.pk}/open"
        assert send(as_staff, "post", path).json()["state"] == "ranking"
        assert error_of(send(as_staff, "post", path)) == (409, "illegal_transition")

    def test_run_preview_publish(self, as_staff, api_client_for, ranked, org_owner):
        pk = ranked.round.pk
        assert error_of(send(as_staff, "get", f"/rounds/{pk}/preview")) == (409, "not_run")
        assert error_of(send(as_staff, "post", f"/rounds/{pk}/run")) == (
            409,
            "deadline_not_passed",
        )
        assert error_of(send(api_client_for(org_owner), "post", f"/rounds/{pk}/run")) == (
            403,
            "not_round_staff",
        )

        assert send(as_staff, "post", f"/rounds/{pk}/run", {"force": True}).json()["state"] == (
            "matched"
        )

        preview = as_staff.get(f"{API}/rounds/{pk}/preview").json()
        assert preview["matched_count"] == 3
        choices = {r["student"]["name"]: r["choice"] for r in preview["results"]}
        assert choices == {"Ada": 2, "Ben": 1, "Cleo": 1}
        assert {(r["reason"], r["reason_text"]) for r in preview["results"]} == {("", "")}
        assert {p["project"]["title"]: p["rate"] for p in preview["projects"]} == {
            "Survey analysis": 100,
            "Map cleanup": 100,
        }
        assert error_of(api_client_for(org_owner).get(f"{API}/rounds/{pk}/preview")) == (
            403,
            "not_round_staff",
        )

        assert send(as_staff, "post", f"/rounds/{pk}/publish").json()["state"] == "published"
        assert Application.objects.filter(status="offered").count() == 3

    def test_reopen_and_cancel(self, as_staff, matched):
        pk = matched.round.pk
        assert send(as_staff, "post", f"/rounds/{pk}/reopen").json()["state"] == "ranking"
        assert send(as_staff, "post", f"/rounds/{pk}/cancel").json()["state"] == "cancelled"
        assert error_of(send(as_staff, "post", f"/rounds/{pk}/run", {"force": True})) == (
            409,
            "illegal_transition",
        )


class TestStudentRanking:
    def test_rank_and_read(self, api_client_for, ranking_round, students, project_a, project_b):
        client = api_client_for(students[0])
        path = f"/rounds/{ranking_round.pk}/rankings/me"

        response = send(client, "put", path, {"project_ids": [project_b.pk, project_a.pk]})

        assert response.status_code == 200
        assert [p["title"] for p in response.json()["projects"]] == [
            "Map cleanup",
            "Survey analysis",
        ]
        assert response.json()["may_rank"] is True
        assert client.get(f"{API}{path}").json()["projects"][0]["id"] == project_b.pk

    def test_errors(self, api_client_for, ranking_round, students, project_a, org_owner):
        client = api_client_for(students[0])
        path = f"/rounds/{ranking_round.pk}/rankings/me"

        response = send(client, "put", path, {"project_ids": [project_a.pk, project_a.pk]})
        assert error_of(response) == (422, "invalid")
        assert response.json()["fields"]["projects"] == [
            "“Survey analysis” is ranked more than once."
        ]
        assert error_of(send(client, "put", path, {"project_ids": "x"})) == (422, "invalid")
        assert error_of(api_client_for(org_owner).get(f"{API}{path}")) == (403, "not_in_round")
        outsider = api_client_for(student_of(None))
        assert error_of(send(outsider, "put", path, {"project_ids": []})) == (404, "not_found")

        pass_deadline(ranking_round)
        response = send(client, "put", path, {"project_ids": [project_a.pk]})
        assert error_of(response) == (409, "ranking_closed")
        assert client.get(f"{API}{path}").json()["may_rank"] is False


class TestApplicantRanking:
    @pytest.fixture
    def path(self, ranking_round, students, project_a, api_client_for):
        for student in students[:2]:
            send(
                api_client_for(student),
                "put",
                f"/rounds/{ranking_round.pk}/rankings/me",
                {"project_ids": [project_a.pk]},
            )
        return f"/rounds/{ranking_round.pk}/projects/{project_a.pk}/ranking"

    def test_rank_adopt_and_read(self, api_client_for, path, org_owner, students):
        ada, ben, _ = students
        client = api_client_for(org_owner)

        listed = client.get(f"{API}{path}").json()
        assert {a["student"]["name"] for a in listed["applicants"]} == {"Ada", "Ben"}
        assert all(0 <= a["fit_percent"] <= 100 for a in listed["applicants"])

        response = send(client, "put", path, {"student_ids": [ben.pk, ada.pk]})
        assert [(a["student"]["id"], a["position"]) for a in response.json()["applicants"]] == [
            (ben.pk, 1),
            (ada.pk, 2),
        ]
        assert response.json()["ranking_method"] == "manual"

        response = send(client, "post", f"{path}/adopt-fit")
        assert response.json()["ranking_method"] == "fit"
        assert [a["position"] for a in response.json()["applicants"]] == [1, 2]
        assert response.json()["matches"] == []

    def test_errors(self, api_client_for, path, org_owner, other_owner, students):
        response = send(api_client_for(org_owner), "put", path, {"student_ids": [students[2].pk]})
        assert error_of(response) == (422, "invalid")
        assert "students" in response.json()["fields"]
        assert error_of(api_client_for(other_owner).get(f"{API}{path}")) == (404, "not_found")
        assert error_of(send(api_client_for(students[0]), "post", f"{path}/adopt-fit")) == (
            404,
            "not_found",
        )


class TestMyResult:
    def test_only_after_publication(self, api_client_for, matched, org_owner):
        ben = matched.students[1]
        path = f"{API}/rounds/{matched.round.pk}/result/me"

        assert error_of(api_client_for(ben).get(path)) == (409, "not_published")
        assert error_of(api_client_for(org_owner).get(path)) == (403, "not_in_round")
        assert error_of(api_client_for(student_of(None)).get(path)) == (404, "not_found")

        send(api_client_for(matched.staff), "post", f"/rounds/{matched.round.pk}/publish")
        body = api_client_for(ben).get(path).json()

        assert body["choice"] == 1
        assert body["project"]["title"] == "Survey analysis"
        assert body["message"].startswith("You were matched with “Survey analysis”")
        assert body["application_id"] == Application.objects.get(student=ben).pk

    def test_unmatched(self, api_client_for, ranking_round, staff, students):
        send(api_client_for(staff), "post", f"/rounds/{ranking_round.pk}/run", {"force": True})
        send(api_client_for(staff), "post", f"/rounds/{ranking_round.pk}/publish")

        body = api_client_for(students[0]).get(f"{API}/rounds/{ranking_round.pk}/result/me").json()

        assert (body["project"], body["reason"]) == (None, "no_ranking")
        assert body["reason_text"] == "You ranked no projects"
        assert body["message"] == "You were not matched: you ranked no projects."

    def test_the_staff_preview_speaks_about_the_student(self, as_staff, ranking_round):
        send(as_staff, "post", f"/rounds/{ranking_round.pk}/run", {"force": True})

        preview = as_staff.get(f"{API}/rounds/{ranking_round.pk}/preview").json()

        unmatched = {r["student"]["name"]: r for r in preview["unmatched"]}
        assert unmatched["Ada"]["reason"] == "no_ranking"
        assert unmatched["Ada"]["reason_text"] == "Ranked no projects"


def test_the_unmatched_reasons_are_an_enum_in_the_schema():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    reason = schemas["RoundResultOut"]["properties"]["reason"]
    assert {"$ref": "#/components/schemas/UnmatchedReason"} in reason["anyOf"]
    assert {"const": "", "type": "string"} in reason["anyOf"]
    assert schemas["UnmatchedReason"]["enum"] == [code.value for code in UnmatchedReason]


def test_every_round_endpoint_is_in_the_openapi_schema():
    schema = api.get_openapi_schema()
    expected = {
        "/rounds": {"get", "post"},
        "/rounds/{round_id}": {"get", "patch"},
        "/rounds/{round_id}/projects": {"get", "post"},
        "/rounds/{round_id}/projects/{project_id}": {"patch", "delete"},
        "/rounds/{round_id}/students": {"get", "post"},
        "/rounds/{round_id}/students/{student_id}": {"delete"},
        "/rounds/{round_id}/open": {"post"},
        "/rounds/{round_id}/cancel": {"post"},
        "/rounds/{round_id}/reopen": {"post"},
        "/rounds/{round_id}/rankings/me": {"get", "put"},
        "/rounds/{round_id}/projects/{project_id}/ranking": {"get", "put"},
        "/rounds/{round_id}/projects/{project_id}/ranking/adopt-fit": {"post"},
        "/rounds/{round_id}/run": {"post"},
        "/rounds/{round_id}/preview": {"get"},
        "/rounds/{round_id}/publish": {"post"},
        "/rounds/{round_id}/result/me": {"get"},
    }
    for path, methods in expected.items():
        operations = schema["paths"][f"{API}{path}"]
        assert set(operations) == methods, path
        assert all("match rounds" in operations[m]["tags"] for m in methods)
    # The round schemas have names of their own, so they replace no other app's schema.
    components = schema["components"]["schemas"]
    assert {"RoundPreviewOut", "RoundProjectRef", "MyRoundResultOut"} <= set(components)
