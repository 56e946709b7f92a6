"""Verification on the server, check by check, and the published status list it reads."""

import copy
import datetime
import json

import pytest
from django.utils import timezone

from practicum.credentials import documents, keys, services, status, verification
from practicum.credentials.models import Credential
from practicum.credentials.verification import verify_document, verify_token

pytestmark = pytest.mark.django_db


def signed(document: dict) -> str:
    """A credential signed with the platform's key, as if the platform had issued it."""
    return keys.sign(documents.jwt_claims(document))[0]


def stamp(moment: datetime.datetime) -> str:
    return documents.timestamp(moment)


def codes(result) -> dict:
    return {check.name: (check.passed, check.code) for check in result.checks}


class TestToken:
    def test_an_issued_credential_passes_every_check(self, credential):
        result = verify_token(credential.jwt)
        assert result.verified
        assert codes(result) == {
            "signature": (True, "valid"),
            "claims": (True, "match"),
            "issuer": (True, "practicum"),
            "status": (True, "not_revoked"),
            "validity": (True, "no_expiry"),
        }
        assert result.credential == credential
        assert result.document == credential.document

    def test_revoked(self, credential, platform_admin):
        services.revoke(credential, by=platform_admin, reason="Fraud.")
        result = verify_token(credential.jwt)
        assert not result.verified
        assert codes(result)["status"] == (False, "revoked")
        assert codes(result)["signature"] == (True, "valid")  # still genuine, only revoked

    def test_expired(self, credential):
        document = {
            **credential.document,
            "validUntil": stamp(timezone.now() - datetime.timedelta(days=1)),
        }
        result = verify_token(signed(document))
        assert codes(result)["validity"] == (False, "expired")
        assert codes(result)["claims"] == (True, "match")  # exp repeats validUntil
        assert not result.verified

    def test_within_its_dates(self, credential):
        later = stamp(timezone.now() + datetime.timedelta(days=30))
        result = verify_token(signed({**credential.document, "validUntil": later}))
        assert codes(result)["validity"] == (True, "within_dates") and result.verified

    def test_not_valid_yet(self, credential):
        future = stamp(timezone.now() + datetime.timedelta(days=2))
        result = verify_token(signed({**credential.document, "validFrom": future}))
        assert codes(result)["validity"] == (False, "not_yet_valid")

    def test_claims_that_contradict_the_credential(self, credential):
        claims = {**documents.jwt_claims(credential.document), "sub": "urn:uuid:someone-else"}
        result = verify_token(keys.sign(claims)[0])
        assert codes(result)["claims"] == (False, "mismatch") and not result.verified

    def test_another_issuer(self, credential):
        document = copy.deepcopy(credential.document)
        document["issuer"]["id"] = "https://diploma-mill.example/issuer"
        result = verify_token(signed(document))
        assert codes(result)["issuer"] == (False, "other_issuer") and not result.verified

    def test_a_status_list_elsewhere_is_not_fetched(self, credential):
        document = copy.deepcopy(credential.document)
        document["credentialStatus"]["statusListCredential"] = "https://evil.example/status/1/"
        result = verify_token(signed(document))
        assert codes(result)["status"] == (False, "unknown_status_list")

    def test_no_status(self, credential):
        document = {k: v for k, v in credential.document.items() if k != "credentialStatus"}
        assert codes(verify_token(signed(document)))["status"] == (False, "no_status")

    @pytest.mark.parametrize("token", ["", "hello", "a.b.c", "a.b", "😀.😀.😀", "x" * 5000])
    def test_garbage(self, token):
        result = verification.verify(token)
        assert not result.verified
        assert result.checks[0].code in {"unreadable", "malformed", "bad_signature"}

    def test_hidden_credentials_still_verify(self, credential, student):
        services.set_hidden(credential, by=student, hidden=True)
        assert verify_token(credential.jwt).verified

    def test_a_superseded_version_still_verifies(self, credential, endorsed):
        credential.refresh_from_db()
        assert not credential.is_current
        result = verify_token(credential.jwt)
        assert result.verified and result.credential.superseded_by is not None


class TestDocument:
    def test_the_credential_as_signed(self, credential):
        result = verify_document(copy.deepcopy(credential.document))
        assert result.verified
        assert codes(result)["signature"] == (True, "matches_signed")

    def test_the_jwt_payload_as_json(self, credential):
        assert verify_document(documents.jwt_claims(credential.document)).verified

    def test_an_altered_credential(self, credential):
        document = copy.deepcopy(credential.document)
        document["credentialSubject"]["identifier"][1]["identityHash"] = "Somebody Else"
        result = verify_document(document)
        assert codes(result) == {"signature": (False, "altered")} and not result.verified

    def test_one_the_platform_never_issued(self, credential):
        document = {**credential.document, "id": "urn:uuid:00000000-0000-4000-8000-000000000000"}
        assert codes(verify_document(document)) == {"signature": (False, "unknown_credential")}

    def test_revoked(self, credential, platform_admin):
        services.revoke(credential, by=platform_admin, reason="Fraud.")
        assert codes(verify_document(credential.document))["status"] == (False, "revoked")

    def test_a_json_string_is_read(self, credential):
        assert verification.verify(json.dumps(credential.document)).verified
        assert not verification.verify("{not json").verified


class TestStatusList:
    def test_publishes_the_revoked_bits(self, client, credential, endorsed, platform_admin):
        newer = endorsed.credentials.get(superseded_at=None)
        services.revoke(newer, by=platform_admin, reason="Fraud.")  # every version is revoked
        response = client.get("/credentials/status/1/")
        assert response.status_code == 200
        assert "max-age=60" in response["Cache-Control"]
        document = response.json()
        assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert document["credentialSubject"]["statusPurpose"] == "revocation"
        encoded = document["credentialSubject"]["encodedList"]
        for version in Credential.objects.all():
            assert status.is_set(encoded, version.status_index)
        assert sum(status.is_set(encoded, i) for i in range(status.LIST_SIZE)) == 2

    def test_nothing_revoked_nothing_set(self, client, credential):
        encoded = client.get("/credentials/status/1/").json()["credentialSubject"]["encodedList"]
        assert not status.is_set(encoded, credential.status_index)

    def test_signed_for_clients_that_ask(self, client, credential):
        response = client.get("/credentials/status/1/", HTTP_ACCEPT="application/vc+jwt")
        assert response["Content-Type"] == "application/vc+jwt"
        _header, claims = keys.verify(response.content.decode())
        assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert claims["iss"] == documents.issuer_id()

    def test_an_unknown_list(self, client, credential):
        assert client.get("/credentials/status/2/").status_code == 404

    def test_encoding(self):
        encoded = status.encode({0, 7, 8, status.LIST_SIZE - 1})
        assert encoded.startswith("u")
        assert [i for i in range(status.LIST_SIZE) if status.is_set(encoded, i)] == [
            0,
            7,
            8,
            status.LIST_SIZE - 1,
        ]
        with pytest.raises(ValueError):
            status.is_set(encoded, status.LIST_SIZE)
        assert status.encode(set()) == status.encode(set())  # the same list, the same string


def test_the_issuer_profile_and_keys_are_served(client, settings):
    profile = client.get("/credentials/issuer/").json()
    assert profile["id"] == f"{settings.SITE_URL}/credentials/issuer/"
    assert profile["type"] == ["Profile"] and profile["name"] == "Practicum"
    jwks = client.get("/.well-known/jwks.json").json()
    assert [key["kid"] for key in jwks["keys"]] == [keys.kid_of(keys.ring().thumbprint)]
    assert all(key["alg"] == "EdDSA" and key["use"] == "sig" for key in jwks["keys"])


def test_another_document_we_signed_is_not_a_credential(client, credential):
    """The status list's VC-JWT is signed with the same key: it verifies as signed, and fails
    as a credential (no revocation status of its own), without an error."""
    token = client.get("/credentials/status/1/", HTTP_ACCEPT="application/vc+jwt").content
    result = verify_token(token.decode())
    assert codes(result)["signature"] == (True, "valid")
    assert codes(result)["status"] == (False, "no_status")
    assert not result.verified
