"""The message thread over JSON: the same services and selectors as the page."""

import datetime

from ninja import Field, Query, Router, Schema, Status

from practicum.core import idempotency
from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.schemas import Id, InputSchema, MultiLine
from practicum.workspace import access
from practicum.workspace.messaging import selectors, services
from practicum.workspace.messaging.models import BODY_MAX

router = Router(tags=["messaging"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
LIMIT_MAX = 200


class MessagePersonRef(Schema):
    id: int
    name: str


class MessageOut(Schema):
    id: int = Field(description="Also the thread's order: later messages have larger ids")
    author: MessagePersonRef
    side: str = Field(description="student or organization")
    body: str = Field(description="Markdown")
    is_question: bool
    answered: bool = Field(description="A question someone marked answered")
    answered_at: datetime.datetime | None
    answered_by: MessagePersonRef | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_answered(obj) -> bool:
        return obj.answered_at is not None


class MessageListItemOut(MessageOut):
    unread: bool = Field(description="Posted by someone else after your read marker")


class MessageListOut(Schema):
    messages: list[MessageListItemOut]
    has_more: bool = Field(description="More messages follow: ask again with after=<last id>")
    unread_count: int = Field(description="Messages by others after your read marker")
    last_read_id: int = Field(description="Your read marker (0: nothing read yet)")


class MessageQuery(InputSchema):
    after: int = Field(0, ge=0, description="Only messages with a larger id")
    limit: int = Field(50, ge=1, le=LIMIT_MAX, description=f"1 to {LIMIT_MAX}")


class MessageIn(InputSchema):
    body: MultiLine = Field(description=f"Markdown, 1 to {BODY_MAX:,} characters")
    is_question: bool = False


class MessageReadIn(InputSchema):
    up_to: int | None = Field(None, ge=0, description="The last message read; default the latest")


class MessageReadOut(Schema):
    last_read_id: int
    unread_count: int


@router.get(
    "/engagements/{int:engagement_id}/messages",
    response={200: MessageListOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The thread's messages, oldest first, after a message id",
    description="Reading does not move your read marker; POST …/messages/read does.",
)
def list_messages(request, engagement_id: Id, params: Query[MessageQuery]):
    engagement = access.readable(request.user, engagement_id)
    found = selectors.messages_after(engagement, params.after, limit=params.limit + 1)
    read_up_to = selectors.last_read_id(request.user, engagement)
    shown = found[: params.limit]
    for message in shown:
        message.unread = message.author_id != request.user.pk and message.pk > read_up_to
    return {
        "messages": shown,
        "has_more": len(found) > params.limit,
        "unread_count": selectors.unread_count(request.user, engagement),
        "last_read_id": read_up_to,
    }


@router.post(
    "/engagements/{int:engagement_id}/messages",
    response={201: MessageOut, **ERRORS},
    summary="Post a message (the student or the organization's side)",
    openapi_extra=idempotency.OPENAPI,
    description=(
        "While the agreement is pending or the engagement active (409 engagement_not_active "
        "otherwise); 422 for an empty or too long body."
    ),
)
def post_message(request, engagement_id: Id, payload: MessageIn):
    engagement = access.readable(request.user, engagement_id)
    message = services.post_message(
        engagement,
        by=request.user,
        idempotency_key=idempotency.key_of(request),
        **payload.model_dump(),
    )
    return Status(201, selectors.message_of(engagement, message.pk))


@router.post(
    "/engagements/{int:engagement_id}/messages/{int:message_id}/answered",
    response={200: MessageOut, **ERRORS},
    summary="Mark a question answered (either party)",
    description="409 not_a_question or already_answered.",
)
def mark_answered(request, engagement_id: Id, message_id: Id):
    engagement = access.readable(request.user, engagement_id)
    message = visible_or_404(selectors.message_of(engagement, message_id), what="message")
    services.mark_answered(message, by=request.user)
    return selectors.message_of(engagement, message_id)


@router.post(
    "/engagements/{int:engagement_id}/messages/read",
    response={200: MessageReadOut, **ERRORS},
    summary="Move your read marker (it never moves back); the parties only",
)
def mark_read(request, engagement_id: Id, payload: MessageReadIn):
    engagement = access.readable(request.user, engagement_id)
    last_read = services.mark_read(engagement, by=request.user, up_to=payload.up_to)
    return {
        "last_read_id": last_read,
        "unread_count": selectors.unread_count(request.user, engagement),
    }
