"""Saved searches over JSON: the same services, selectors and rules as the pages."""

import datetime

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from practicum.alerts import selectors, services
from practicum.alerts.models import SavedSearch
from practicum.core import idempotency
from practicum.core.api import ErrorOut
from practicum.core.errors import Refused
from practicum.core.pagination import Pagination
from practicum.core.schemas import Id, InputSchema, SingleLine

router = Router(tags=["alerts"])

FREQUENCIES = ", ".join(SavedSearch.Frequency.values)


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str = Field(description="The discovery filters, as GET /projects takes them")
    frequency: str = Field(description=FREQUENCIES)
    created_at: datetime.datetime
    results_url: str


class SavedSearchIn(InputSchema):
    name: SingleLine = Field(..., max_length=services.NAME_MAX)
    query: SingleLine = Field(
        "",
        max_length=services.QUERY_MAX,
        description="A discovery query string, e.g. q=cafe&work_mode=remote (the filters of "
        "GET /projects); normalized, and refused (422) where GET /projects would refuse it",
    )
    frequency: SingleLine = Field("daily", description=FREQUENCIES)


class SavedSearchPatch(InputSchema):
    name: SingleLine | None = Field(None, max_length=services.NAME_MAX)
    frequency: SingleLine | None = Field(None, description=FREQUENCIES)


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _student(request) -> None:
    if not request.user.has_perm("alerts.save_search"):
        raise Refused("students_only", "Only students can save searches.")


@router.get(
    "/me/searches",
    response={200: list[SavedSearchOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Your saved searches, newest first (students)",
)
@paginate(Pagination)
def list_searches(request):
    _student(request)
    return selectors.searches_of(request.user)


@router.post(
    "/me/searches",
    response={201: SavedSearchOut, 409: ErrorOut, **ERRORS},
    summary="Save a discovery search with alerts (students)",
    description=(
        f"At most {services.MAX_SEARCHES} per student (409 too_many_searches). New projects "
        "matching it are announced from now on, in the app and in the email digest, once each."
    ),
    openapi_extra=idempotency.OPENAPI,
)
def create_search(request, payload: SavedSearchIn):
    _student(request)
    search = services.save_search(
        request.user,
        by=request.user,
        idempotency_key=idempotency.key_of(request),
        **payload.model_dump(),
    )
    return Status(201, search)


@router.patch(
    "/me/searches/{int:search_id}",
    response={200: SavedSearchOut, **ERRORS},
    summary="Rename a saved search or change its alerts (off stops them)",
)
def update_search(request, search_id: Id, payload: SavedSearchPatch):
    search = selectors.visible_search(request.user, search_id)
    return services.update_search(search, by=request.user, **payload.model_dump())


@router.delete(
    "/me/searches/{int:search_id}",
    response={204: None, **ERRORS},
    summary="Delete a saved search",
)
def delete_search(request, search_id: Id):
    search = selectors.visible_search(request.user, search_id)
    services.delete_search(search, by=request.user)
    return Status(204, None)
