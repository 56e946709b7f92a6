"""Your data over JSON: ask for a copy, list and download copies, delete the account."""

import datetime

from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from practicum.accounts import services as account_services
from practicum.core.api import ErrorOut
from practicum.privacy import selectors, services

router = Router(tags=["your data"])


class ExportOut(Schema):
    id: int
    status: str = Field(description="pending, ready or failed")
    requested_at: datetime.datetime
    ready_at: datetime.datetime | None
    expires_at: datetime.datetime | None = Field(description="The download works until then")
    size: int = Field(description="Bytes of the ZIP (0 until ready)")


class DeleteAccountIn(Schema):
    password: str = Field(max_length=128, description="Your current password")
    revoke_credentials: bool = Field(
        False, description="Also revoke the credentials you earned (else they stay verifiable)"
    )


@router.get(
    "/me/exports",
    response={200: list[ExportOut], 401: ErrorOut, 422: ErrorOut},
    summary="Your data exports, newest first",
)
@paginate(PageNumberPagination, page_size=10)
def list_exports(request):
    return selectors.exports_of(request.user)


@router.post(
    "/me/exports",
    response={202: ExportOut, 401: ErrorOut, 409: ErrorOut},
    summary="Ask for a copy of your data",
    description=(
        "A ZIP of JSON files is prepared in the background; you are emailed when it is ready. "
        "409 `export_pending` while one is being prepared."
    ),
)
def request_export(request):
    return Status(202, services.request_export(request.user))


@router.get(
    "/me/exports/{int:export_id}/download",
    response={200: bytes, 401: ErrorOut, 404: ErrorOut},
    summary="Download a ready export (a ZIP), for 7 days",
    openapi_extra={
        "responses": {200: {"content": {"application/zip": {"schema": {"format": "binary"}}}}}
    },
)
def download_export(request, export_id: int):
    return selectors.export_download(request.user, export_id)


@router.post(
    "/me/delete",
    response={204: None, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Delete your account",
    description=(
        "Needs your password. 409 `last_owner` if you are the only owner of an organization, "
        "`engagement_in_progress` while an engagement of yours is pending or under way. Your "
        "tokens stop working at once."
    ),
)
def delete_account(request, payload: DeleteAccountIn):
    account_services.delete_account(
        request.user, password=payload.password, revoke_credentials=payload.revoke_credentials
    )
    return Status(204, None)
