"""Credentials over JSON: the student's list, one credential, hiding and showing it, and the
public verifier. The same selectors, services and checks as the pages."""

import datetime
import uuid
from typing import Annotated, Any

from django.core.paginator import EmptyPage, Paginator
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from practicum.core.api import ErrorOut
from practicum.core.schemas import InputSchema
from practicum.credentials import documents, selectors, services, verification
from practicum.credentials.models import Credential

router = Router(tags=["credentials"])

# A VC-JWT of ours is a few kilobytes; anything far larger is not one.
TOKEN_MAX = 100_000


class CredentialOut(Schema):
    id: uuid.UUID
    url: str = Field(description="The public page (answers 404 to others while hidden)")
    name: str
    achievement: str = Field(description="The project")
    organization: str
    issued_at: datetime.datetime = Field(description="validFrom of this version")
    awarded_at: datetime.datetime = Field(description="When the first version was issued")
    current: bool = Field(description="False once a newer version superseded this one")
    superseded_by: uuid.UUID | None
    revoked: bool
    revoked_at: datetime.datetime | None
    hidden: bool

    @staticmethod
    def resolve_url(obj) -> str:
        return documents.absolute(obj.get_absolute_url())

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.document["name"]

    @staticmethod
    def resolve_achievement(obj) -> str:
        return obj.document["credentialSubject"]["achievement"]["name"]

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.document["credentialSubject"]["achievement"]["creator"]["name"]

    @staticmethod
    def resolve_current(obj) -> bool:
        return obj.is_current

    @staticmethod
    def resolve_superseded_by(obj) -> uuid.UUID | None:
        return obj.superseded_by_id

    @staticmethod
    def resolve_revoked(obj) -> bool:
        return obj.is_revoked


class CredentialDetailOut(CredentialOut):
    credential: dict[str, Any] = Field(description="The OpenBadgeCredential as signed (JSON)")
    jwt: str = Field(description="The same credential as a VC-JWT (compact JWS, EdDSA)")

    @staticmethod
    def resolve_credential(obj) -> dict:
        return obj.document


class CredentialPage(Schema):
    count: int
    page: int
    num_pages: int
    page_size: int
    results: list[CredentialOut]


class VerifyIn(InputSchema):
    credential: Annotated[str, StringConstraints(max_length=TOKEN_MAX)] | dict[str, Any] = Field(
        description="A VC-JWT (compact JWS string) or an OpenBadgeCredential's JSON (object)"
    )


class CheckOut(Schema):
    check: str = Field(description="format, signature, claims, issuer, status or validity")
    passed: bool
    code: str
    message: str


class VerificationOut(Schema):
    verified: bool = Field(description="True when every check below passed")
    checks: list[CheckOut]
    credential_id: uuid.UUID | None = Field(description="Practicum's record of the credential")
    url: str | None = Field(description="Its public page, unless its student hid it")
    current: bool | None = Field(description="False when a newer version superseded it")


def _verification(result: verification.Verification) -> dict:
    record: Credential | None = result.credential
    return {
        "verified": result.verified,
        "checks": [
            {"check": c.name, "passed": c.passed, "code": c.code, "message": c.message}
            for c in result.checks
        ],
        "credential_id": record.pk if record else None,
        "url": documents.absolute(record.get_absolute_url())
        if record and not record.hidden
        else None,
        "current": record.is_current if record else None,
    }


@router.get(
    "",
    response={200: CredentialPage, 401: ErrorOut, 422: ErrorOut},
    summary="Your credentials",
    description=f"Current versions, newest first, {selectors.PAGE_SIZE} a page.",
)
def list_credentials(request, page: int = 1):
    paginator = Paginator(selectors.credentials_of(request.user), selectors.PAGE_SIZE)
    try:
        results = list(paginator.page(page))
    except EmptyPage:
        results = []
    return {
        "count": paginator.count,
        "page": page,
        "num_pages": paginator.num_pages,
        "page_size": selectors.PAGE_SIZE,
        "results": results,
    }


@router.get(
    "/{uuid:credential_id}",
    response={200: CredentialDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="A credential, with its JSON and VC-JWT",
    description="Yours, or anybody's that is not hidden (404 otherwise).",
)
def get_credential(request, credential_id: uuid.UUID):
    return selectors.credential_for(request.user, credential_id)


def _set_hidden(request, credential_id, hidden: bool):
    credential = selectors.credential_for(request.user, credential_id)
    services.set_hidden(credential, by=request.user, hidden=hidden)
    return selectors.credential_for(request.user, credential_id)


@router.post(
    "/{uuid:credential_id}/hide",
    response={200: CredentialOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Hide your credential from everybody else (it still verifies)",
    description="403 not_yours for someone else's credential.",
)
def hide_credential(request, credential_id: uuid.UUID):
    return _set_hidden(request, credential_id, True)


@router.post(
    "/{uuid:credential_id}/show",
    response={200: CredentialOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Show your credential to everybody again",
)
def show_credential(request, credential_id: uuid.UUID):
    return _set_hidden(request, credential_id, False)


@router.post(
    "/verify",
    response={200: VerificationOut, 422: ErrorOut},
    auth=None,
    openapi_extra={"security": [{}]},
    summary="Verify a credential (anyone, no login)",
    description=(
        "Checks, each with its result: the signature (a VC-JWT against the keys at "
        "/.well-known/jwks.json; a JSON credential must be exactly one Practicum signed), the "
        "JWT claims, the issuer, the revocation status list and the validity dates. "
        "`verified` is true when all passed; a credential that fails is still a 200 answer."
    ),
)
def verify_credential(request, payload: VerifyIn):
    return _verification(verification.verify(payload.credential))
