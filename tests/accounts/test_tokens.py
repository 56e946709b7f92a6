"""Issue 12, API tokens: each has an expiry (90 days unless chosen) and a scope (read, or
read-write); all of a person's tokens stop working when their password changes; the settings page
and the API list them with their last use and revoke them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practicum.accounts import api_auth, services
from practicum.accounts.models import ApiToken
from practicum.core.errors import Refused
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
TOKENS = "/api/v1/me/tokens"


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def assert_401(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "unauthenticated"


class TestExpiry:
    def test_ninety_days_by_default(self, owner):
        token, _ = services.create_api_token(owner, name="script")
        assert token.expires_at - token.created_at == 90 * DAY

    def test_chosen_expiry_is_bounded(self, owner):
        token, _ = services.create_api_token(owner, name="script", expires_in_days=7)
        assert token.expires_at - token.created_at == 7 * DAY
        for days in (0, 366):
            with pytest.raises(ValidationError) as caught:
                services.create_api_token(owner, name="script", expires_in_days=days)
            assert "expires_in_days" in caught.value.error_dict

    def test_an_expired_token_is_401_with_www_authenticate(self, owner):
        token, raw = services.create_api_token(owner, name="script")
        client = bearer(raw)
        assert client.get("/api/v1/me").status_code == 200
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - DAY)
        assert_401(client.get("/api/v1/me"))

    def test_a_revoked_token_is_401_with_www_authenticate(self, owner):
        token, raw = services.create_api_token(owner, name="script")
        services.revoke_api_token(token, by=owner)
        assert_401(bearer(raw).get("/api/v1/me"))


class TestScope:
    def test_read_by_default(self, owner):
        token, _ = services.create_api_token(owner, name="script")
        assert token.scope == ApiToken.Scope.READ

    def test_a_read_token_reads_but_may_not_write(self, owner):
        org = owner.memberships.get().organization
        _, raw = services.create_api_token(owner, name="reader")
        client = bearer(raw)
        assert client.get(f"/api/v1/organizations/{org.slug}").status_code == 200
        response = client.patch(
            f"/api/v1/organizations/{org.slug}", {"about": "x"}, content_type="application/json"
        )
        assert response.status_code == 403
        assert response.json()["code"] == "token_scope"
        org.refresh_from_db()
        assert org.about != "x"

    def test_a_read_write_token_writes(self, owner):
        org = owner.memberships.get().organization
        _, raw = services.create_api_token(owner, name="writer", scope=ApiToken.Scope.WRITE)
        response = bearer(raw).patch(
            f"/api/v1/organizations/{org.slug}", {"about": "x"}, content_type="application/json"
        )
        assert response.status_code == 200

    def test_an_unknown_scope_is_refused(self, owner):
        with pytest.raises(ValidationError) as caught:
            services.create_api_token(owner, name="script", scope="admin")
        assert "scope" in caught.value.error_dict


class TestPasswordChange:
    def test_set_password_revokes_every_token(self, owner):
        first, raw = services.create_api_token(owner, name="one", scope=ApiToken.Scope.WRITE)
        second, _ = services.create_api_token(owner, name="two")
        other = MembershipFactory().user
        _, their_raw = services.create_api_token(other, name="theirs")
        owner.set_password("a new and long passphrase")
        owner.save()
        for token in (first, second):
            token.refresh_from_db()
            assert token.revoked_at is not None
        assert_401(bearer(raw).get("/api/v1/me"))
        assert bearer(their_raw).get("/api/v1/me").status_code == 200

    def test_saving_without_a_password_change_keeps_them(self, owner):
        _, raw = services.create_api_token(owner, name="one")
        owner.name = "Renamed"
        owner.save()
        assert bearer(raw).get("/api/v1/me").status_code == 200

    def test_the_password_change_page_revokes_them(self, owner):
        _, raw = services.create_api_token(owner, name="one")
        client = Client()
        client.login(email=owner.email, password=PASSWORD)
        response = client.post(
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "a new and long passphrase 42",
                "password2": "a new and long passphrase 42",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert_401(bearer(raw).get("/api/v1/me"))


class TestLastUse:
    def test_written_at_most_once_a_minute(self, owner):
        token, raw = services.create_api_token(owner, name="one")
        client = bearer(raw)
        client.get("/api/v1/me")
        token.refresh_from_db()
        first = token.last_used_at
        assert first is not None
        client.get("/api/v1/me")
        token.refresh_from_db()
        assert token.last_used_at == first
        ApiToken.objects.filter(pk=token.pk).update(
            last_used_at=first - api_auth.LAST_USED_RESOLUTION - datetime.timedelta(seconds=1)
        )
        client.get("/api/v1/me")
        token.refresh_from_db()
        assert token.last_used_at > first - api_auth.LAST_USED_RESOLUTION


class TestSettingsPage:
    URL = "/accounts/settings/tokens/"

    def test_lists_tokens_with_scope_expiry_and_last_use(self, client_for, owner):
        services.create_api_token(owner, name="grader", scope=ApiToken.Scope.WRITE)
        html = client_for(owner).get(reverse("accounts:api_tokens")).content.decode()
        assert "grader" in html
        assert "Read and write" in html
        assert "Expires" in html and "Last used" in html

    def test_creates_with_scope_and_expiry_and_shows_it_once(self, client_for, owner):
        client = client_for(owner)
        response = client.post(
            reverse("accounts:api_tokens"),
            {"name": "grader", "scope": "write", "expires_in_days": "30"},
        )
        assert 'id="new-token"' in response.content.decode()
        token = ApiToken.objects.get(user=owner)
        assert token.scope == "write"
        assert token.expires_at - token.created_at == 30 * DAY

    def test_an_expiry_beyond_the_bound_is_refused(self, client_for, owner):
        response = client_for(owner).post(
            reverse("accounts:api_tokens"),
            {"name": "grader", "scope": "read", "expires_in_days": "400"},
        )
        assert response.status_code == 200
        assert not ApiToken.objects.exists()

    def test_expired_and_revoked_tokens_are_not_listed(self, client_for, owner):
        gone, _ = services.create_api_token(owner, name="gone-token")
        old, _ = services.create_api_token(owner, name="old-token")
        services.revoke_api_token(gone, by=owner)
        ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - DAY)
        html = client_for(owner).get(reverse("accounts:api_tokens")).content.decode()
        assert "gone-token" not in html and "old-token" not in html

    def test_query_budget(self, client_for, owner, django_assert_max_num_queries):
        for number in range(30):
            services.create_api_token(owner, name=f"t{number}")
        client = client_for(owner)
        client.get(reverse("accounts:api_tokens"))
        with django_assert_max_num_queries(8):
            response = client.get(reverse("accounts:api_tokens"))
        assert response.content.decode().count("Revoke t") == 20  # one page


class TestApi:
    def test_lists_own_tokens(self, api_client_for, owner):
        other = MembershipFactory().user
        services.create_api_token(other, name="theirs")
        services.create_api_token(owner, name="mine")
        body = api_client_for(owner).get(TOKENS).json()
        names = {t["name"] for t in body["items"]}
        assert names == {"mine", "tests"}
        mine = next(t for t in body["items"] if t["name"] == "mine")
        assert {"scope", "created_at", "expires_at", "last_used_at", "hint"} <= set(mine)
        assert "token" not in mine

    def test_creates_one_shown_once(self, api_client_for, owner):
        response = api_client_for(owner).post(
            TOKENS,
            {"name": "ci", "scope": "read", "expires_in_days": 10},
            content_type="application/json",
        )
        assert response.status_code == 201
        body = response.json()
        assert body["token"].startswith("pct_")
        assert bearer(body["token"]).get("/api/v1/me").status_code == 200
        assert body["scope"] == "read"

    def test_a_bad_expiry_is_422(self, api_client_for, owner):
        response = api_client_for(owner).post(
            TOKENS, {"name": "ci", "expires_in_days": 1000}, content_type="application/json"
        )
        assert response.status_code == 422
        assert "expires_in_days" in response.json()["fields"]

    def test_revokes_own_token(self, api_client_for, owner):
        token, raw = services.create_api_token(owner, name="old")
        response = api_client_for(owner).delete(f"{TOKENS}/{token.pk}")
        assert response.status_code == 204
        assert_401(bearer(raw).get("/api/v1/me"))

    def test_cannot_revoke_someone_elses(self, api_client_for, owner):
        other = MembershipFactory().user
        token, raw = services.create_api_token(other, name="theirs")
        response = api_client_for(owner).delete(f"{TOKENS}/{token.pk}")
        assert response.status_code == 404
        assert bearer(raw).get("/api/v1/me").status_code == 200

    def test_a_read_token_cannot_create_tokens(self, owner):
        _, raw = services.create_api_token(owner, name="reader")
        response = bearer(raw).post(TOKENS, {"name": "x"}, content_type="application/json")
        assert response.status_code == 403
        assert response.json()["code"] == "token_scope"

    def test_anonymous_is_401(self):
        assert_401(Client().get(TOKENS))


def test_revoking_someone_elses_token_is_refused_by_the_service(owner):
    other = MembershipFactory().user
    token, _ = services.create_api_token(other, name="theirs")
    with pytest.raises(Refused):
        services.revoke_api_token(token, by=owner)
