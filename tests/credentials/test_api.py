"""The credentials API: the student's list, one credential, hiding and showing (allowed and
refused), and the public verifier, which answers what it checked."""

import json

import pytest
from django.test import Client

from practicum.api.urls import api
from practicum.credentials import services
from practicum.credentials.models import Credential
from tests.credentials.test_pages import completed_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/credentials"
OTHERS = ["other_student", "mentor", "owner", "outsider", "staff", "platform_admin"]


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


class TestYours:
    def test_lists_your_current_credentials(self, api_client_for, credential, endorsed, student):
        body = api_client_for(student).get(BASE).json()
        assert (body["count"], body["page"], body["num_pages"]) == (1, 1, 1)
        [listed] = body["results"]
        current = endorsed.credentials.get(superseded_at=None)
        assert listed["id"] == str(current.pk)
        assert listed["current"] is True and listed["revoked"] is False
        assert listed["url"].endswith(f"/credentials/{current.pk}/")
        assert listed["achievement"] == endorsed.project.title

    def test_paginated(self, api_client_for, credential, student, django_assert_max_num_queries):
        for _ in range(2):
            completed_for(student)
        client = api_client_for(student)
        with django_assert_max_num_queries(5):  # token (2), count, page
            body = client.get(BASE, {"page": 1}).json()
        assert body["count"] == 3 and len(body["results"]) == 3
        assert client.get(BASE, {"page": 9}).json()["results"] == []
        assert client.get(BASE, {"page": 0}).json()["results"] == []
        assert client.get(BASE, {"page": "x"}).status_code == 422

    @pytest.mark.parametrize("visitor", OTHERS)
    def test_nobody_elses(self, request, api_client_for, credential, visitor):
        body = api_client_for(request.getfixturevalue(visitor)).get(BASE).json()
        assert body["count"] == 0

    def test_anonymous(self, client, credential):
        response = client.get(BASE)
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


class TestOne:
    def test_with_its_json_and_jwt(self, api_client_for, credential, student):
        body = api_client_for(student).get(f"{BASE}/{credential.pk}").json()
        assert body["credential"] == credential.document
        assert body["jwt"] == credential.jwt

    @pytest.mark.parametrize("visitor", OTHERS)
    def test_others_while_shown_not_once_hidden(
        self, request, api_client_for, credential, student, visitor
    ):
        client = api_client_for(request.getfixturevalue(visitor))
        assert client.get(f"{BASE}/{credential.pk}").status_code == 200
        services.set_hidden(credential, by=student, hidden=True)
        response = client.get(f"{BASE}/{credential.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_the_student_once_hidden(self, api_client_for, credential, student):
        services.set_hidden(credential, by=student, hidden=True)
        body = api_client_for(student).get(f"{BASE}/{credential.pk}").json()
        assert body["hidden"] is True

    def test_anonymous_and_unknown(self, client, api_client_for, credential, student):
        assert client.get(f"{BASE}/{credential.pk}").status_code == 401
        unknown = api_client_for(student).get(f"{BASE}/00000000-0000-4000-8000-000000000000")
        assert unknown.status_code == 404
        assert api_client_for(student).get(f"{BASE}/nope").status_code == 404


class TestHideAndShow:
    def test_the_student(self, api_client_for, client, credential, student):
        mine = api_client_for(student)
        body = mine.post(f"{BASE}/{credential.pk}/hide").json()
        assert body["hidden"] is True
        assert client.get(credential.get_absolute_url()).status_code == 404
        assert mine.post(f"{BASE}/{credential.pk}/show").json()["hidden"] is False
        assert client.get(credential.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("action", ["hide", "show"])
    @pytest.mark.parametrize("visitor", OTHERS)
    def test_refused_to_others(self, request, api_client_for, credential, student, action, visitor):
        client = api_client_for(request.getfixturevalue(visitor))
        response = client.post(f"{BASE}/{credential.pk}/{action}")
        assert response.status_code == 403 and response.json()["code"] == "not_yours"
        services.set_hidden(credential, by=student, hidden=True)
        assert client.post(f"{BASE}/{credential.pk}/{action}").status_code == 404
        assert Credential.objects.get(pk=credential.pk).hidden is True

    def test_anonymous(self, client, credential):
        assert client.post(f"{BASE}/{credential.pk}/hide").status_code == 401


class TestVerify:
    def test_a_vc_jwt_anonymously(self, client, credential):
        response = post_json(client, f"{BASE}/verify", {"credential": credential.jwt})
        assert response.status_code == 200
        body = response.json()
        assert body["verified"] is True
        assert [(c["check"], c["passed"], c["code"]) for c in body["checks"]] == [
            ("signature", True, "valid"),
            ("claims", True, "match"),
            ("issuer", True, "practicum"),
            ("status", True, "not_revoked"),
            ("validity", True, "no_expiry"),
        ]
        assert all(c["message"] for c in body["checks"])
        assert body["credential_id"] == str(credential.pk)
        assert body["url"].endswith(credential.get_absolute_url())
        assert body["current"] is True

    def test_the_json(self, client, credential):
        body = post_json(client, f"{BASE}/verify", {"credential": credential.document}).json()
        assert body["verified"] is True
        assert body["checks"][0] == {
            "check": "signature",
            "passed": True,
            "code": "matches_signed",
            "message": "Exactly the credential Practicum signed.",
        }

    def test_revoked(self, client, credential, platform_admin):
        services.revoke(credential, by=platform_admin, reason="Fraud.")
        for sent in (credential.jwt, credential.document):
            body = post_json(client, f"{BASE}/verify", {"credential": sent}).json()
            assert body["verified"] is False
            status = next(c for c in body["checks"] if c["check"] == "status")
            assert (status["passed"], status["code"]) == (False, "revoked")

    def test_tampered(self, client, credential):
        document = json.loads(json.dumps(credential.document))
        document["name"] = "A degree in medicine"
        body = post_json(client, f"{BASE}/verify", {"credential": document}).json()
        assert body["verified"] is False
        assert body["checks"] == [
            {
                "check": "signature",
                "passed": False,
                "code": "altered",
                "message": "It differs from the credential Practicum signed: it was altered.",
            }
        ]

    def test_superseded_and_hidden(self, client, credential, endorsed, student):
        services.set_hidden(credential, by=student, hidden=True)
        body = post_json(client, f"{BASE}/verify", {"credential": credential.jwt}).json()
        assert body["verified"] is True
        assert body["current"] is False
        assert body["url"] is None  # hidden: its page is not given out

    @pytest.mark.parametrize(
        "body",
        [{}, {"credential": 5}, {"credential": ["a"]}, {"credential": None}, {"other": "x"}],
    )
    def test_malformed_bodies(self, client, db, body):
        response = post_json(client, f"{BASE}/verify", body)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid"

    def test_too_long(self, client, db):
        response = post_json(client, f"{BASE}/verify", {"credential": "a" * 100_001})
        assert response.status_code == 422

    def test_a_nul_byte_is_refused_by_the_text_policy(self, client, db):
        response = post_json(client, f"{BASE}/verify", {"credential": "a\u0000b"})
        assert response.status_code == 422
        assert "credential" in response.json()["fields"]

    @pytest.mark.parametrize("sent", ["", "garbage", "a.b.c", '{"id": 1}'])
    def test_unreadable_credentials_are_an_answer_not_an_error(self, client, db, sent):
        response = post_json(client, f"{BASE}/verify", {"credential": sent})
        assert response.status_code == 200
        assert response.json()["verified"] is False

    def test_not_json(self, client, db):
        response = client.post(f"{BASE}/verify", "nope", content_type="application/json")
        assert response.status_code == 400
        assert response.json()["message"] == "Cannot parse request body"


def test_the_openapi_document_declares_every_answer():
    paths = api.get_openapi_schema()["paths"]
    verify = paths["/api/v1/credentials/verify"]["post"]
    assert verify["security"] == [{}]
    # A body can be malformed (400), too large (413) or of another type (415).
    assert set(verify["responses"]) == {200, 400, 413, 415, 422}
    hide = paths["/api/v1/credentials/{credential_id}/hide"]["post"]
    assert set(hide["responses"]) == {200, 401, 403, 404, 409, 422}
    one = paths["/api/v1/credentials/{credential_id}"]["get"]
    # 403: a token without the scope (tokens may be limited).
    assert set(one["responses"]) == {200, 401, 403, 404, 422}


def test_the_verifier_needs_no_login(db):
    assert post_json(Client(), f"{BASE}/verify", {"credential": "x"}).status_code == 200
