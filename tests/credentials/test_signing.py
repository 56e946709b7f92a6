"""Signing: every credential's VC-JWT verifies with the keys published at /.well-known/jwks.json
(checked here with joserfc alone, as a third party would) and carries the same credential as
its JSON; a tampered one fails; rotating the key keeps old credentials verifiable; the key file
is made once, on first use, and never holds more than the instance's keys."""

import base64
import json
import os
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, OKPKey

from practicum.credentials import keys, verification
from practicum.credentials.models import Credential
from tests.credentials.conftest import complete
from tests.reviews.conftest import open_final

pytestmark = pytest.mark.django_db


def published_keys(client) -> KeySet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    body = response.json()
    assert all("d" not in key for key in body["keys"])  # never a private part
    return KeySet.import_key_set(body)


def third_party_verify(token: str, key_set: KeySet) -> dict:
    """What an outside verifier does: find the key by `kid` in the JWKS, check the signature."""
    return json.loads(jws.deserialize_compact(token, key_set, algorithms=["EdDSA"]).payload)


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class TestVcJwt:
    def test_verifies_with_the_published_keys(self, client, credential):
        claims = third_party_verify(credential.jwt, published_keys(client))
        assert claims["jti"] == credential.document["id"]

    def test_header(self, credential, settings):
        header = jws.extract_compact(credential.jwt.encode()).headers()
        assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
        assert header["kid"].startswith(f"{settings.SITE_URL}/.well-known/jwks.json#")
        assert set(header) == {"alg", "kid", "typ"}  # no other JOSE header (Open Badges 3.0)

    def test_carries_the_same_credential_as_the_json(self, client, credential):
        claims = third_party_verify(credential.jwt, published_keys(client))
        served = client.get(f"/credentials/{credential.pk}/credential.json").json()
        assert {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "sub")} == served
        assert served == credential.document

    def test_jwt_claims_repeat_the_credential(self, credential):
        claims = json.loads(jws.extract_compact(credential.jwt.encode()).payload)
        document = credential.document
        assert claims["iss"] == document["issuer"]["id"]
        assert claims["jti"] == document["id"]
        assert claims["sub"] == document["credentialSubject"]["id"]
        assert "exp" not in claims and "validUntil" not in document
        assert datetime.fromtimestamp(claims["nbf"], UTC) == credential.issued_at

    def test_the_served_jwt_is_the_signed_one(self, client, credential):
        response = client.get(f"/credentials/{credential.pk}/credential.jwt")
        assert response["Content-Type"] == "application/vc+jwt"
        assert response.content.decode() == credential.jwt


class TestTampering:
    def tampered(self, credential, change) -> str:
        header, payload, signature = credential.jwt.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        change(claims)
        return f"{header}.{b64(claims)}.{signature}"

    def test_a_changed_name_fails(self, client, credential):
        def rename(claims):
            claims["credentialSubject"]["identifier"][1]["identityHash"] = "Somebody Else"

        token = self.tampered(credential, rename)
        with pytest.raises(BadSignatureError):
            third_party_verify(token, published_keys(client))
        assert verification.verify_token(token).code_of("signature") == "bad_signature"
        assert not verification.verify_token(token).verified

    def test_an_added_skill_fails(self, credential):
        def add_skill(claims):
            claims["credentialSubject"]["achievement"]["alignment"].append(
                {"type": ["Alignment"], "targetName": "Rocket science", "targetUrl": "x"}
            )

        result = verification.verify_token(self.tampered(credential, add_skill))
        assert not result.verified and result.code_of("signature") == "bad_signature"

    def test_a_changed_signature_fails(self, credential):
        header, payload, signature = credential.jwt.split(".")
        flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
        assert not verification.verify_token(f"{header}.{payload}.{flipped}").verified

    def test_another_key_fails(self, credential):
        payload = credential.jwt.split(".")[1]
        forger = OKPKey.generate_key("Ed25519", private=True)
        forged = jws.serialize_compact(
            jws.extract_compact(credential.jwt.encode()).headers(),
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)),
            forger,
            algorithms=["EdDSA"],
        )
        assert verification.verify_token(forged).code_of("signature") == "bad_signature"

    def test_a_key_we_do_not_publish_fails(self, credential):
        forger = OKPKey.generate_key("Ed25519", private=True)
        header = {"alg": "EdDSA", "kid": "https://evil.example/jwks#1", "typ": "JWT"}
        payload = json.dumps(keys.verify(credential.jwt)[1]).encode()
        forged = jws.serialize_compact(header, payload, forger, algorithms=["EdDSA"])
        assert verification.verify_token(forged).code_of("signature") == "unknown_key"

    def test_no_signature_at_all_fails(self, credential):
        payload = credential.jwt.split(".")[1]
        unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
        result = verification.verify_token(unsigned)
        assert result.code_of("signature") == "bad_signature" and not result.verified


class TestRotation:
    def test_old_credentials_verify_after_rotation(
        self, client, settings, tmp_path, active_engagement, student, mentor
    ):
        settings.CREDENTIALS_SIGNING_KEYS = ""
        settings.CREDENTIALS_KEY_FILE = tmp_path / "keys.json"
        old = Credential.objects.get(
            engagement=complete(open_final(active_engagement), student, mentor)
        )
        old_kid = jws.extract_compact(old.jwt.encode()).headers()["kid"]

        call_command("credential_keys", "--rotate", stdout=open(os.devnull, "w"))  # noqa: SIM115

        key_set = published_keys(client)
        assert len(key_set.keys) == 2
        assert third_party_verify(old.jwt, key_set)["jti"] == old.document["id"]
        assert verification.verify_token(old.jwt).verified
        assert client.get(old.get_absolute_url()).context["result"].verified
        # New credentials are signed with the new key.
        new_token, thumbprint = keys.sign({"hello": "world"})
        assert keys.thumbprint_of(old_kid) != thumbprint
        assert jws.extract_compact(new_token.encode()).headers()["kid"] == keys.kid_of(thumbprint)
        assert keys.ring().thumbprint == thumbprint

    def test_a_retired_key_kept_public_only_still_verifies(self, credential, settings):
        signing = json.loads(settings.CREDENTIALS_SIGNING_KEYS)["keys"][0]
        retired = {k: v for k, v in signing.items() if k != "d"}
        settings.CREDENTIALS_SIGNING_KEYS = json.dumps({"keys": [keys.new_key(), retired]})
        assert verification.verify_token(credential.jwt).verified

    def test_a_dropped_key_no_longer_verifies(self, credential, settings):
        settings.CREDENTIALS_SIGNING_KEYS = json.dumps([keys.new_key()])
        assert verification.verify_token(credential.jwt).code_of("signature") == "unknown_key"

    def test_rotation_refuses_keys_from_the_environment(self):
        with pytest.raises(ImproperlyConfigured):
            keys.rotate()


class TestKeyFile:
    def test_made_on_first_use_private_to_its_owner(self, settings, tmp_path):
        settings.CREDENTIALS_SIGNING_KEYS = ""
        settings.CREDENTIALS_KEY_FILE = tmp_path / "keys.json"
        assert not settings.CREDENTIALS_KEY_FILE.exists()

        token, thumbprint = keys.sign({"a": 1})

        stored = json.loads(settings.CREDENTIALS_KEY_FILE.read_text())
        assert len(stored["keys"]) == 1 and "d" in stored["keys"][0]
        assert os.stat(settings.CREDENTIALS_KEY_FILE).st_mode & 0o777 == 0o600
        keys.forget()  # another process: it reads the same key
        assert keys.ring().thumbprint == thumbprint
        assert keys.verify(token)[1] == {"a": 1}
        assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]  # no temporary left

    def test_git_ignores_the_default_file(self, settings):
        assert "/credential-keys.json" in (settings.BASE_DIR / ".gitignore").read_text().split()

    @pytest.mark.parametrize(
        "configured",
        [
            "not json",
            "{}",
            "[]",
            json.dumps([{"kty": "RSA", "n": "x", "e": "AQAB"}]),
            json.dumps([{"kty": "OKP", "crv": "Ed25519", "x": "nope"}]),
        ],
    )
    def test_unusable_keys_are_a_clear_configuration_error(self, settings, configured):
        settings.CREDENTIALS_SIGNING_KEYS = configured
        with pytest.raises(ImproperlyConfigured):
            keys.ring()

    def test_the_signing_key_needs_its_private_part(self, settings):
        public = {k: v for k, v in keys.new_key().items() if k != "d"}
        settings.CREDENTIALS_SIGNING_KEYS = json.dumps([public])
        with pytest.raises(ImproperlyConfigured, match="private"):
            keys.ring()

    def test_the_command_lists_and_makes_keys(self, settings, capsys):
        call_command("credential_keys")
        listed = capsys.readouterr().out
        assert listed.count("signs") == 1 and keys.jwks_url() in listed
        call_command("credential_keys", "--new")
        made = json.loads(capsys.readouterr().out)
        assert made["kty"] == "OKP" and made["crv"] == "Ed25519" and "d" in made
