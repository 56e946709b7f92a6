"""The talent pipeline over the JSON API: the same rules as the pages, as status codes."""

import pytest
from django.test import Client

from practicum.accounts.models import User
from practicum.api.urls import api
from practicum.talent.models import TalentEntry
from tests.talent.conftest import set_open

pytestmark = pytest.mark.django_db

EVERYONE = [
    "student",
    "mentor",
    "other_mentor",
    "owner",
    "outsider",
    "other_student",
    "staff",
    "other_staff",
    "superuser",
    "anonymous",
]
MEMBERS = {"mentor", "other_mentor", "owner"}


def client_of(api_client_for, person):
    return Client() if person is None else api_client_for(person)


def list_path(organization) -> str:
    return f"/api/v1/organizations/{organization.slug}/talent"


def entry_path(entry) -> str:
    return f"/api/v1/organizations/{entry.organization.slug}/talent/{entry.pk}"


def add_path(engagement) -> str:
    return f"/api/v1/engagements/{engagement.pk}/talent"


def json_post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


class TestOrganizationList:
    def test_list(self, api_client_for, other_mentor, entry, organization):
        [row] = api_client_for(other_mentor).get(list_path(organization)).json()["items"]
        assert row["student"]["id"] == entry.student_id
        assert (row["notes"], row["tags"]) == ("Great *analyst*", ["data", "SQL"])
        assert row["engagement_id"] == entry.engagement_id
        assert row["project_title"] == entry.engagement.project.title
        assert row["profile_url"] == entry.student.student_profile.get_absolute_url()

    def test_tag_filter(self, api_client_for, owner, entry, organization):
        client = api_client_for(owner)
        assert (
            client.get(list_path(organization) + "?tag=DATA").json()["items"][0]["id"] == entry.pk
        )
        assert client.get(list_path(organization) + "?tag=ux").json()["items"] == []

    def test_add_update_remove(self, api_client_for, mentor, owner, completed_engagement):
        added = json_post(
            api_client_for(mentor), add_path(completed_engagement), {"notes": "Hi", "tags": ["a"]}
        )
        assert added.status_code == 201
        entry = TalentEntry.objects.get()
        client = api_client_for(owner)
        patched = client.patch(
            entry_path(entry), {"tags": ["b", "B"]}, content_type="application/json"
        )
        assert patched.status_code == 200
        assert (patched.json()["notes"], patched.json()["tags"]) == ("Hi", ["b"])
        assert client.delete(entry_path(entry)).status_code == 204
        assert not TalentEntry.objects.exists()

    @pytest.mark.parametrize("who", EVERYONE)
    def test_private_to_the_organization(self, api_client_for, people, entry, organization, who):
        client = client_of(api_client_for, people[who])
        responses = [
            client.get(list_path(organization)),
            client.patch(entry_path(entry), {"notes": "x"}, content_type="application/json"),
            client.delete(entry_path(entry)),
        ]
        expected = 401 if who == "anonymous" else None if who in MEMBERS else 404
        for response in responses:
            if expected is None:
                assert response.status_code in (200, 204)
            else:
                assert response.status_code == expected
                assert response.json()["code"] in ("not_found", "unauthenticated")

    def test_bad_input_is_422(self, api_client_for, owner, entry, completed_engagement):
        client = api_client_for(owner)
        bad = [
            client.patch(entry_path(entry), {"tags": "a,b"}, content_type="application/json"),
            client.patch(entry_path(entry), {"tags": ["t" * 41]}, content_type="application/json"),
            client.patch(entry_path(entry), {"notes": "n" * 5001}, content_type="application/json"),
        ]
        assert [r.status_code for r in bad] == [422, 422, 422]
        assert bad[1].json()["fields"]["tags"]
        entry.delete()
        response = json_post(client, add_path(completed_engagement), {"tags": [{"x": 1}]})
        assert response.status_code == 422

    def test_unknown_entry_is_404(self, api_client_for, owner, organization):
        assert api_client_for(owner).delete(list_path(organization) + "/999").status_code == 404


class TestAdd:
    def test_no_consent_is_409(self, api_client_for, mentor, student, completed_engagement):
        set_open(student, False)
        response = json_post(api_client_for(mentor), add_path(completed_engagement))
        assert response.status_code == 409
        assert response.json()["code"] == "no_consent"

    def test_twice_is_409(self, api_client_for, mentor, entry, completed_engagement):
        response = json_post(api_client_for(mentor), add_path(completed_engagement))
        assert (response.status_code, response.json()["code"]) == (409, "listed")

    def test_not_completed_is_409(self, api_client_for, mentor, student, active_engagement):
        set_open(student, True)
        response = json_post(api_client_for(mentor), add_path(active_engagement))
        assert (response.status_code, response.json()["code"]) == (409, "not_completed")

    @pytest.mark.parametrize("who", EVERYONE)
    def test_permission_matrix(self, api_client_for, people, completed_engagement, who):
        response = json_post(client_of(api_client_for, people[who]), add_path(completed_engagement))
        expected = {"anonymous": 401, "mentor": 201, "owner": 201, "student": 403}
        assert response.status_code == expected.get(who, 404)


class TestMine:
    path = "/api/v1/talent/me"

    def test_the_student_sees_organizations_not_notes(self, api_client_for, student, entry):
        body = api_client_for(student).get(self.path).json()
        assert body["open_to_future_roles"] is True
        [listing] = body["listed_by"]
        assert listing["organization"] == {
            "slug": entry.organization.slug,
            "name": entry.organization.name,
        }
        assert "notes" not in listing and "tags" not in listing

    def test_withdraw(self, api_client_for, student, entry):
        response = json_post(api_client_for(student), self.path + "/withdraw")
        assert response.status_code == 200
        assert response.json() == {"open_to_future_roles": False, "listed_by": []}
        assert not TalentEntry.objects.exists()

    @pytest.mark.parametrize("who", EVERYONE)
    def test_permission_matrix(self, api_client_for, people, entry, who):
        client = client_of(api_client_for, people[who])
        page, withdraw = client.get(self.path), json_post(client, self.path + "/withdraw")
        if who == "anonymous":
            assert (page.status_code, withdraw.status_code) == (401, 401)
        elif people[who].account_type == User.AccountType.STUDENT:
            assert (page.status_code, withdraw.status_code) == (200, 200)
        else:
            assert (page.status_code, withdraw.status_code) == (404, 404)
        assert TalentEntry.objects.exists() is (who != "student")


def test_schemas_are_in_the_openapi_document():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    for name in ("TalentEntryOut", "TalentEntryIn", "TalentConsentOut", "TalentListingOut"):
        assert name in schemas
