"""Progress updates over JSON: the same services and selectors as the page."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from practicum.core import idempotency
from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.pagination import Pagination
from practicum.core.schemas import Id, InputSchema, MultiLine
from practicum.workspace import access
from practicum.workspace.progress import selectors, services
from practicum.workspace.progress.models import HOURS_MAX, TEXT_MAX

router = Router(tags=["progress"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ProgressUpdatePersonRef(Schema):
    id: int
    name: str


class ProgressUpdateCommentOut(Schema):
    id: int
    author: ProgressUpdatePersonRef
    side: str = Field(description="student or organization")
    body: str = Field(description="Markdown")
    created_at: datetime.datetime


class ProgressUpdateOut(Schema):
    id: int
    author: ProgressUpdatePersonRef
    done: str = Field(description="Markdown")
    blockers: str = Field(description="Markdown; may be empty")
    next_steps: str = Field(description="Markdown; may be empty")
    hours: str = Field(description='Hours since the previous update, e.g. "2.5"')
    created_at: datetime.datetime
    edited_at: datetime.datetime | None = Field(
        description="When its author last changed it; the timeline keeps what it said before"
    )
    comments: list[ProgressUpdateCommentOut] = Field(description="Oldest first")

    @staticmethod
    def resolve_hours(obj) -> str:
        return obj.hours_text

    @staticmethod
    def resolve_comments(obj) -> list:
        return list(obj.comments.all())


class ProgressUpdateListOut(Schema):
    reported_hours: str = Field(description='Sum of the updates\' hours, e.g. "12.5"')
    agreed_hours: int | None = Field(description="The agreement's estimated hours in all")
    over_agreed: bool = Field(description="More hours reported than agreed")
    count: int = Field(description="How many updates there are over all pages")
    updates: list[ProgressUpdateOut] = Field(
        description="One page of them (`page`, `page_size` in the query), newest first"
    )


class ProgressUpdateIn(InputSchema):
    done: MultiLine = Field(description=f"Markdown, required, at most {TEXT_MAX:,} characters")
    blockers: MultiLine = ""
    next_steps: MultiLine = ""
    hours: Decimal = Field(
        ge=0, le=HOURS_MAX, description=f"0 to {HOURS_MAX}, in quarter hours (e.g. 2.5)"
    )


class ProgressUpdatePatch(InputSchema):
    done: MultiLine | None = Field(None, description="Markdown; left out: unchanged")
    blockers: MultiLine | None = None
    next_steps: MultiLine | None = None
    hours: Decimal | None = Field(
        None, ge=0, le=HOURS_MAX, description=f"0 to {HOURS_MAX}, in quarter hours"
    )


class ProgressUpdateCommentIn(InputSchema):
    body: MultiLine = Field(description=f"Markdown, at most {TEXT_MAX:,} characters")


@router.get(
    "/engagements/{int:engagement_id}/updates",
    response={200: ProgressUpdateListOut, 401: ErrorOut, 404: ErrorOut},
    summary="The progress updates with their comments, and the hours reported against agreed",
)
def list_updates(request, engagement_id: Id, pages: Query[Pagination.Input]):
    engagement = access.readable(request.user, engagement_id)
    hours = selectors.HoursProgress(*selectors.hours_summary(engagement))
    updates = selectors.updates_of(engagement)
    start = (pages.page - 1) * pages.page_size
    return {
        "reported_hours": hours.reported_text,
        "agreed_hours": hours.agreed,
        "over_agreed": hours.is_over,
        "count": updates.count(),
        "updates": list(updates[start : start + pages.page_size]),
    }


@router.post(
    "/engagements/{int:engagement_id}/updates",
    response={201: ProgressUpdateOut, **ERRORS},
    summary="Post a progress update (the student, while active)",
    openapi_extra=idempotency.OPENAPI,
    description="403 wrong_side for the organization; 409 when not active.",
)
def post_update(request, engagement_id: Id, payload: ProgressUpdateIn):
    engagement = access.readable(request.user, engagement_id)
    update = services.post_update(
        engagement,
        by=request.user,
        idempotency_key=idempotency.key_of(request),
        **payload.model_dump(),
    )
    return Status(201, update)


@router.post(
    "/engagements/{int:engagement_id}/updates/{int:update_id}/comments",
    response={201: ProgressUpdateCommentOut, **ERRORS},
    summary="Comment on a progress update (either party, while active)",
    openapi_extra=idempotency.OPENAPI,
)
def comment_on_update(request, engagement_id: Id, update_id: Id, payload: ProgressUpdateCommentIn):
    engagement = access.readable(request.user, engagement_id)
    update = visible_or_404(selectors.update_of(engagement, update_id), what="update")
    comment = services.comment_on_update(
        update, by=request.user, body=payload.body, idempotency_key=idempotency.key_of(request)
    )
    return Status(201, comment)


def _update(request, engagement_id: int, update_id: int):
    engagement = access.readable(request.user, engagement_id)
    return engagement, visible_or_404(selectors.update_of(engagement, update_id), what="update")


@router.patch(
    "/engagements/{int:engagement_id}/updates/{int:update_id}",
    response={200: ProgressUpdateOut, **ERRORS},
    summary="Edit your own progress update (the student, until the organization comments)",
    description=(
        "Fields left out keep their value. 403 not_author for someone else's update, "
        "wrong_side for the organization; 409 already_answered once the organization has "
        "commented. The timeline keeps what it said before."
    ),
)
def edit_update(request, engagement_id: int, update_id: int, payload: ProgressUpdatePatch):
    engagement, update = _update(request, engagement_id, update_id)
    current = {
        "done": update.done,
        "blockers": update.blockers,
        "next_steps": update.next_steps,
        "hours": update.hours,
    }
    services.edit_update(update, by=request.user, **current | payload.model_dump(exclude_none=True))
    return selectors.update_of_with_comments(engagement, update.pk)


@router.delete(
    "/engagements/{int:engagement_id}/updates/{int:update_id}",
    response={204: None, **ERRORS},
    summary="Delete your own progress update (the student, until the organization comments)",
    description="403 not_author or wrong_side; 409 already_answered. The timeline keeps it.",
)
def delete_update(request, engagement_id: int, update_id: int):
    _, update = _update(request, engagement_id, update_id)
    services.delete_update(update, by=request.user)
    return Status(204, None)
