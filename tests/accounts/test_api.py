import pytest
from django.test import Client
from django.urls import reverse

from practicum.accounts import services
from practicum.accounts.models import ApiToken, Invitation, Membership, hash_token
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_me_with_a_token(api_client_for, owner):
    response = api_client_for(owner).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == owner.email
    assert body["account_type"] == "organization"
    assert body["organizations"][0]["role"] == "owner"


def test_anonymous_gets_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthenticated",
        "message": "Log in or send a valid API token.",
        "fields": {},
    }


def test_revoked_token_gets_401(owner):
    token, raw = services.create_api_token(owner, name="script")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").status_code == 200
    services.revoke_api_token(token, by=owner)
    assert client.get("/api/v1/me").status_code == 401


def test_token_is_stored_hashed_and_records_last_use(owner):
    token, raw = services.create_api_token(owner, name="script")
    assert raw.startswith("pct_")
    assert token.token_hash == hash_token(raw) != raw
    assert token.last_used_at is None
    Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_session_works_for_the_api(client_for, owner):
    assert client_for(owner).get("/api/v1/me").json()["email"] == owner.email


def test_owner_updates_organization_over_api(api_client_for, owner):
    org = owner.memberships.get().organization
    response = api_client_for(owner).patch(
        f"/api/v1/organizations/{org.slug}",
        {"about": "We build **maps**.", "website": "https://acme.example"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["about"] == "We build **maps**."
    org.refresh_from_db()
    assert org.website == "https://acme.example"


def test_bad_organization_input_is_422_with_fields(api_client_for, owner):
    org = owner.memberships.get().organization
    response = api_client_for(owner).patch(
        f"/api/v1/organizations/{org.slug}",
        {"website": "not a url", "size": "huge"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"website", "size"}
    org.refresh_from_db()
    assert org.website == ""


def test_verified_badge_cannot_be_set_over_api(api_client_for, owner):
    org = owner.memberships.get().organization
    api_client_for(owner).patch(
        f"/api/v1/organizations/{org.slug}", {"is_verified": True}, content_type="application/json"
    )
    org.refresh_from_db()
    assert org.is_verified is False


def test_member_of_another_organization_cannot_edit(api_client_for, owner):
    org = owner.memberships.get().organization
    other = MembershipFactory().user
    response = api_client_for(other).patch(
        f"/api/v1/organizations/{org.slug}", {"name": "Hijacked"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_owner"
    org.refresh_from_db()
    assert org.name != "Hijacked"


def test_mentor_cannot_edit_or_invite(api_client_for):
    mentor = MembershipFactory(role=Membership.Role.MENTOR)
    client = api_client_for(mentor.user)
    slug = mentor.organization.slug
    assert (
        client.patch(
            f"/api/v1/organizations/{slug}", {"name": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    response = client.post(
        f"/api/v1/organizations/{slug}/invitations",
        {"email": "a@b.example"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/organizations/{slug}/members").status_code == 403


def test_owner_invites_lists_and_revokes_over_api(api_client_for, owner):
    org = owner.memberships.get().organization
    client = api_client_for(owner)
    response = client.post(
        f"/api/v1/organizations/{org.slug}/invitations",
        {"email": "new@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 201
    invitation_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    listed = client.get(f"/api/v1/organizations/{org.slug}/invitations").json()["items"]
    assert [i["email"] for i in listed] == ["new@example.org"]
    members = client.get(f"/api/v1/organizations/{org.slug}/members").json()["items"]
    assert [m["email"] for m in members] == [owner.email]
    assert (
        client.delete(f"/api/v1/organizations/{org.slug}/invitations/{invitation_id}").status_code
        == 204
    )
    assert Invitation.objects.get(pk=invitation_id).status == "revoked"


def test_invalid_invitation_email_is_422(api_client_for, owner):
    org = owner.memberships.get().organization
    response = api_client_for(owner).post(
        f"/api/v1/organizations/{org.slug}/invitations",
        {"email": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "email" in response.json()["fields"]


def test_unknown_organization_is_404_json(api_client_for, owner):
    response = api_client_for(owner).get("/api/v1/organizations/no-such-org")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_openapi_and_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/me" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_token_page_shows_new_token_once_and_revokes(client_for, owner):
    client = client_for(owner)
    response = client.post(
        reverse("accounts:api_tokens"),
        {"name": "grading script", "scope": "read", "expires_in_days": "90"},
    )
    body = response.content.decode()
    token = ApiToken.objects.get(user=owner)
    assert 'id="new-token"' in body
    assert client.get(reverse("accounts:api_tokens")).content.decode().count('id="new-token"') == 0
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_refuses_blank_name(client_for, owner):
    response = client_for(owner).post(reverse("accounts:api_tokens"), {"name": "  "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_cannot_revoke_someone_elses_token(client_for, owner):
    other = MembershipFactory().user
    token, _ = services.create_api_token(other, name="theirs")
    response = client_for(owner).post(reverse("accounts:revoke_token", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_pages_need_login(client):
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_every_api_schema_name_is_unique():
    """ninja keys component schemas by class name: two apps' classes of one name would
    silently collapse into one in the OpenAPI document."""
    from ninja import Schema

    from practicum.api.urls import api

    api.get_openapi_schema()
    names = [
        cls.__name__ for cls in _all_subclasses(Schema) if cls.__module__.startswith("practicum")
    ]
    duplicates = {n for n in names if names.count(n) > 1}
    assert duplicates == set()


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)
