"""The message thread over JSON: the same services and selectors as the page. A message with
files is posted as multipart (POST …/messages/with-files); the other writes take JSON."""

import datetime

from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from practicum.core import idempotency, uploads
from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.pagination import Pagination
from practicum.core.schemas import ID_MAX, Id, InputSchema, MultiLine
from practicum.workspace import access
from practicum.workspace.messaging import selectors, services
from practicum.workspace.messaging.models import BODY_MAX, EDIT_WINDOW
from practicum.workspace.messaging.views import attachment_response

router = Router(tags=["messaging"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}
LIMIT_MAX = 200


class MessagePersonRef(Schema):
    id: int
    name: str


class MessageFileOut(Schema):
    id: int
    name: str = Field(description="The name it was uploaded with")
    size: int = Field(description="Bytes")
    type: str = Field(description="Read from the content: pdf, png, jpg, zip, docx, xlsx, …")
    content_type: str
    download_url: str = Field(description="The API path that serves it (same permissions)")

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.file_type

    @staticmethod
    def resolve_content_type(obj) -> str:
        return uploads.CONTENT_TYPES.get(obj.file_type, "application/octet-stream")

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse(
            "api:message_file",
            kwargs={
                "engagement_id": obj.message.engagement_id,
                "message_id": obj.message_id,
                "attachment_id": obj.pk,
            },
        )


class MessageQuoteOut(Schema):
    id: int = Field(description="The quoted message")
    author: MessagePersonRef
    created_at: datetime.datetime
    excerpt: str = Field(description="Its first lines, as typed")

    @staticmethod
    def resolve_excerpt(obj) -> str:
        return obj.opening_lines


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
    edited: bool = Field(description="Changed by its author since it was posted")
    edited_at: datetime.datetime | None
    editable_until: datetime.datetime = Field(
        description="Until when its author may edit it (the other party never)"
    )
    quote: MessageQuoteOut | None = Field(description="The earlier message this one replies to")
    files: list[MessageFileOut]

    @staticmethod
    def resolve_answered(obj) -> bool:
        return obj.answered_at is not None

    @staticmethod
    def resolve_edited(obj) -> bool:
        return obj.edited_at is not None

    @staticmethod
    def resolve_files(obj) -> list:
        return list(obj.attachments.all())


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
    quote: int | None = Field(
        None, ge=1, le=ID_MAX, description="The id of an earlier message of this thread"
    )


class MessageEditIn(InputSchema):
    body: MultiLine = Field(description=f"The new text: Markdown, 1 to {BODY_MAX:,} characters")


class MessageRevisionOut(Schema):
    number: int = Field(description="1 for the text as first posted, then one per edit")
    body: str = Field(description="Markdown, as it read before the edit")
    written_at: datetime.datetime = Field(description="When this text was posted or last edited")
    replaced_at: datetime.datetime


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
        "otherwise); 422 for an empty or too long body, or a quote that is not a message of "
        "this thread. Files: POST …/messages/with-files."
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


FILES_RULES = (
    f"At most {services.MAX_ATTACHMENTS} files, {services.ATTACHMENTS_MAX_TOTAL // (1024 * 1024)} "
    f"MB together, each one of {uploads.ALLOWED_LABEL}, its type read from the content and "
    "matching its extension (422 with code too_many_files, files_too_large, file_too_large, "
    "file_empty, file_type_not_allowed or file_type_mismatch, on the field files)."
)


@router.post(
    "/engagements/{int:engagement_id}/messages/with-files",
    response={201: MessageOut, **ERRORS},
    summary="Post a message with files (multipart: body, is_question, quote and files)",
    openapi_extra=idempotency.OPENAPI,
    description=(
        f"{FILES_RULES} Otherwise as POST …/messages: 409 engagement_not_active, 422 for an "
        "empty or too long body or a quote not of this thread."
    ),
)
def post_message_with_files(
    request,
    engagement_id: Id,
    files: File[list[UploadedFile]],
    # Form(...) as the default (ninja's idiom): Form[MultiLine] would lose the default.
    body: MultiLine = Form(...),  # noqa: B008
    is_question: bool = Form(False),
    quote: int | None = Form(None, ge=1, le=ID_MAX),
):
    engagement = access.readable(request.user, engagement_id)
    message = services.post_message(
        engagement,
        by=request.user,
        body=body,
        is_question=is_question,
        quote=quote,
        files=files,
        idempotency_key=idempotency.key_of(request),
    )
    return Status(201, selectors.message_of(engagement, message.pk))


def _message(engagement, message_id: int):
    return visible_or_404(selectors.message_of(engagement, message_id), what="message")


@router.get(
    "/engagements/{int:engagement_id}/messages/{int:message_id}",
    response={200: MessageOut, **READ_ERRORS},
    summary="One message",
)
def get_message(request, engagement_id: Id, message_id: Id):
    return _message(access.readable(request.user, engagement_id), message_id)


@router.patch(
    "/engagements/{int:engagement_id}/messages/{int:message_id}",
    response={200: MessageOut, **ERRORS},
    summary="Edit your message's text (its author, within minutes of posting it)",
    description=(
        f"Only the author (403 not_the_author), within {int(EDIT_WINDOW.total_seconds() // 60)} "
        "minutes of posting (409 edit_window_closed), while the thread is open (409 "
        "engagement_not_active). The text replaced is kept: GET …/revisions."
    ),
)
def edit_message(request, engagement_id: Id, message_id: Id, payload: MessageEditIn):
    engagement = access.readable(request.user, engagement_id)
    message = _message(engagement, message_id)
    services.edit_message(message, by=request.user, body=payload.body)
    return selectors.message_of(engagement, message_id)


@router.get(
    "/engagements/{int:engagement_id}/messages/{int:message_id}/revisions",
    response={200: list[MessageRevisionOut], **READ_ERRORS},
    summary="The texts a message had before its edits, newest first (either party)",
)
@paginate(Pagination)
def message_revisions(request, engagement_id: Id, message_id: Id):
    return selectors.revisions_of(
        _message(access.readable(request.user, engagement_id), message_id)
    )


@router.get(
    "/engagements/{int:engagement_id}/messages/{int:message_id}/files/{int:attachment_id}",
    response={200: None, **READ_ERRORS},
    url_name="message_file",
    summary="Download a message's file (an attachment, with the type read from its content)",
)
def download_message_file(request, engagement_id: Id, message_id: Id, attachment_id: Id):
    engagement = access.readable(request.user, engagement_id)
    found = selectors.attachment_of(engagement, message_id, attachment_id)
    return attachment_response(visible_or_404(found, what="file"))


@router.post(
    "/engagements/{int:engagement_id}/messages/{int:message_id}/answered",
    response={200: MessageOut, **ERRORS},
    summary="Mark a question answered (either party)",
    description="409 not_a_question or already_answered.",
)
def mark_answered(request, engagement_id: Id, message_id: Id):
    engagement = access.readable(request.user, engagement_id)
    message = _message(engagement, message_id)
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
