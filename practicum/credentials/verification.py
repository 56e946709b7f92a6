"""Verifying a credential the way a third party would, on the server: from a VC-JWT, or from
the credential's JSON. Each check answers with a code; the credential is verified when every
check it could run passed.

- signature: a VC-JWT must be signed by one of the platform's keys (the JWKS), found by its
  `kid`. A JSON credential carries no proof of its own: it must be, to the letter, a credential
  the platform signed (looked up by its id; the stored VC-JWT's signature is checked too).
- claims (VC-JWT): iss, jti, sub and nbf repeat issuer.id, id, credentialSubject.id, validFrom.
- issuer: the credential's issuer is this platform's issuer profile.
- status: the bit of the credential's BitstringStatusListEntry in the platform's status list
  (the same list /credentials/status/<n>/ publishes) is not set: not revoked.
- validity: validFrom has come; validUntil, when there is one, has not passed.

Status lists of other hosts are never fetched: this verifier answers for this platform only.
"""

import datetime
import json
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone

from practicum.credentials import documents, keys, selectors, status
from practicum.credentials.models import Credential

LABELS = {
    "format": "Format",
    "signature": "Signature",
    "claims": "Token claims",
    "issuer": "Issuer",
    "status": "Revocation status",
    "validity": "Validity dates",
}

SENTENCES = {
    ("format", "unreadable"): "This is neither a VC-JWT nor a credential's JSON.",
    ("signature", "valid"): "Signed by Practicum with a key it publishes.",
    ("signature", "matches_signed"): "Exactly the credential Practicum signed.",
    ("signature", "bad_signature"): "The signature does not match the content: it was altered.",
    ("signature", "malformed"): "The token is not a signed JSON credential.",
    ("signature", "unknown_key"): "Signed with a key Practicum does not publish.",
    ("signature", "unknown_credential"): "Practicum has no record of issuing this credential.",
    ("signature", "altered"): "It differs from the credential Practicum signed: it was altered.",
    ("claims", "match"): "The token's claims match the credential.",
    ("claims", "mismatch"): "The token's claims contradict the credential.",
    ("issuer", "practicum"): "Issued by Practicum.",
    ("issuer", "other_issuer"): "Issued by someone other than Practicum.",
    ("status", "not_revoked"): "Not revoked.",
    ("status", "revoked"): "Revoked by Practicum.",
    ("status", "no_status"): "It has no revocation status to check.",
    ("status", "unknown_status_list"): "Its status list is not one Practicum publishes.",
    ("validity", "no_expiry"): "Valid from its issue date, with no expiry date.",
    ("validity", "within_dates"): "Within its validity dates.",
    ("validity", "not_yet_valid"): "Not valid yet.",
    ("validity", "expired"): "Expired.",
    ("validity", "invalid_dates"): "Its dates cannot be read.",
}


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    code: str

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def message(self) -> str:
        return SENTENCES[(self.name, self.code)]


@dataclass
class Verification:
    checks: list[Check] = field(default_factory=list)
    document: dict | None = None  # the credential that was checked
    credential: Credential | None = None  # the platform's record of it, when it has one

    @property
    def verified(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    def add(self, name: str, passed: bool, code: str) -> None:
        self.checks.append(Check(name, passed, code))

    def code_of(self, name: str) -> str | None:
        return next((c.code for c in self.checks if c.name == name), None)


def _record(document: dict) -> Credential | None:
    identifier = document.get("id")
    if not isinstance(identifier, str) or not identifier.startswith("urn:uuid:"):
        return None
    try:
        pk = uuid.UUID(identifier.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    return Credential.objects.select_related("superseded_by").filter(pk=pk).first()


def _when(value) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("A DateTimeZ needs its time zone.")
    return moment


def _issuer_id(document: dict):
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _subject_id(document: dict):
    subject = document.get("credentialSubject")
    return subject.get("id") if isinstance(subject, dict) else None


def _check_claims(result: Verification, claims: dict, document: dict) -> None:
    try:
        nbf_matches = claims.get("nbf") == int(_when(document.get("validFrom")).timestamp())
    except (TypeError, ValueError):
        nbf_matches = False
    matches = (
        claims.get("iss") == _issuer_id(document)
        and claims.get("jti") == document.get("id")
        and claims.get("sub") == _subject_id(document)
        and nbf_matches
    )
    result.add("claims", matches, "match" if matches else "mismatch")


def _status_list_number(url) -> int | None:
    """The number of one of our status lists at `url`, or None."""
    if not isinstance(url, str):
        return None
    site = urlsplit(keys.site_url())
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name != "credentials:status_list":
        return None
    return match.kwargs["number"]


def _check_status(result: Verification, document: dict) -> None:
    entry = document.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        result.add("status", False, "no_status")
        return
    number = _status_list_number(entry.get("statusListCredential"))
    try:
        index = int(entry.get("statusListIndex"))
    except (TypeError, ValueError):
        index = -1
    if number is None or entry.get("statusPurpose") != "revocation" or index < 0:
        result.add("status", False, "unknown_status_list")
        return
    # Read the bit from the list exactly as it is published.
    published = documents.status_list_credential(
        number, selectors.revoked_indexes(number), timezone.now()
    )
    try:
        revoked = status.is_set(published["credentialSubject"]["encodedList"], index)
    except ValueError:
        result.add("status", False, "unknown_status_list")
        return
    result.add("status", not revoked, "revoked" if revoked else "not_revoked")


def _check_dates(result: Verification, document: dict, now: datetime.datetime) -> None:
    try:
        valid_from = _when(document.get("validFrom"))
        valid_until = _when(document["validUntil"]) if document.get("validUntil") else None
    except (TypeError, ValueError):
        result.add("validity", False, "invalid_dates")
        return
    if valid_from > now:
        result.add("validity", False, "not_yet_valid")
    elif valid_until is not None and valid_until <= now:
        result.add("validity", False, "expired")
    else:
        result.add("validity", True, "within_dates" if valid_until else "no_expiry")


def _check_document(result: Verification, document: dict, now) -> None:
    issued_here = _issuer_id(document) == documents.issuer_id()
    result.add("issuer", issued_here, "practicum" if issued_here else "other_issuer")
    _check_status(result, document)
    _check_dates(result, document, now)


def verify_token(token: str, *, now: datetime.datetime | None = None) -> Verification:
    """Verify a VC-JWT (compact JWS)."""
    result = Verification()
    try:
        _header, claims = keys.verify(token.strip())
    except keys.Unverifiable as exc:
        result.add("signature", False, exc.code)
        return result
    result.add("signature", True, "valid")
    document = documents.without_jwt_claims(claims)
    result.document = document
    result.credential = _record(document)
    _check_claims(result, claims, document)
    _check_document(result, document, now or timezone.now())
    return result


def verify_document(document: dict, *, now: datetime.datetime | None = None) -> Verification:
    """Verify a credential's JSON: it must be one the platform signed, unaltered."""
    result = Verification(document=document)
    record = _record(document)
    if record is None:
        result.add("signature", False, "unknown_credential")
        return result
    result.credential = record
    try:
        _header, claims = keys.verify(record.jwt)
    except keys.Unverifiable as exc:
        result.add("signature", False, exc.code)
        return result
    unaltered = documents.without_jwt_claims(claims) == documents.without_jwt_claims(document)
    result.add("signature", unaltered, "matches_signed" if unaltered else "altered")
    if unaltered:
        _check_document(result, document, now or timezone.now())
    return result


def verify(value) -> Verification:
    """A VC-JWT (a string) or a credential's JSON (an object, or a string holding one)."""
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if isinstance(value, dict):
        return verify_document(value)
    if isinstance(value, str) and value.strip():
        return verify_token(value)
    result = Verification()
    result.add("format", False, "unreadable")
    return result
