"""Deliverables over JSON: the same services, selectors and access rules as the page."""

import datetime

from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from practicum.core import idempotency, uploads
from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.schemas import Id, InputSchema, MultiLine, SingleLine
from practicum.workspace import access
from practicum.workspace.deliverables import selectors, services
from practicum.workspace.deliverables.models import Submission
from practicum.workspace.deliverables.views import file_response

router = Router(tags=["deliverables"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}


class DeliverablePersonRef(Schema):
    id: int
    name: str


class DeliverableFileOut(Schema):
    name: str = Field(description="The name it was uploaded with")
    size: int = Field(description="Bytes")
    type: str = Field(description="Read from the content: pdf, png, jpg, zip, docx, xlsx, …")
    content_type: str
    download_url: str = Field(description="The API path that serves it (same permissions)")


class DeliverableSubmissionOut(Schema):
    id: int
    deliverable: str = Field(description="The deliverable's key in the terms")
    number: int = Field(description="1, 2, 3… per deliverable")
    note: str = Field(description="Markdown")
    link: str
    file: DeliverableFileOut | None
    status: str = Field(description="waiting, accepted, changes_requested or superseded")
    status_label: str
    due_on: datetime.date | None = Field(description="The due date when it was submitted")
    submitted_by: DeliverablePersonRef
    submitted_at: datetime.datetime
    reviewed_by: DeliverablePersonRef | None
    reviewed_at: datetime.datetime | None
    feedback: str = Field(description="Markdown")

    @staticmethod
    def resolve_deliverable(obj) -> str:
        return obj.deliverable_key

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_file(obj) -> dict | None:
        if not obj.file:
            return None
        return {
            "name": obj.file_name,
            "size": obj.file_size or 0,
            "type": obj.file_type,
            "content_type": uploads.CONTENT_TYPES.get(obj.file_type, "application/octet-stream"),
            "download_url": reverse(
                "api:deliverable_file", kwargs={"engagement_id": obj.engagement_id,
                                                "submission_id": obj.pk}
            ),
        }  # fmt: skip


class DeliverableStateOut(Schema):
    key: str
    title: str
    description: str
    due_on: datetime.date | None
    state: str = Field(description="not_submitted, waiting, changes_requested or accepted")
    state_label: str
    is_overdue: bool = Field(
        description="Due date passed (organization's time zone), nothing submitted by then, "
        "not accepted"
    )
    submissions: list[DeliverableSubmissionOut] = Field(description="Oldest first")

    @staticmethod
    def resolve_submissions(obj) -> list:
        return obj.history


class DeliverableReviewIn(InputSchema):
    feedback: MultiLine = Field(
        "", description=f"Markdown, at most {services.FEEDBACK_MAX:,} characters"
    )


class DeliverableChangesIn(InputSchema):
    feedback: MultiLine = Field(description="Required: what should change")


def _submission(engagement, submission_id: int) -> Submission:
    return visible_or_404(selectors.submission_of(engagement, submission_id), what="submission")


@router.get(
    "/engagements/{int:engagement_id}/deliverables",
    response={200: list[DeliverableStateOut], **READ_ERRORS},
    summary="The deliverables of the agreement in force, each with its state and submissions",
)
def list_deliverables(request, engagement_id: Id):
    return selectors.deliverable_rows(access.readable(request.user, engagement_id))


@router.post(
    "/engagements/{int:engagement_id}/deliverables/{key}/submissions",
    response={201: DeliverableSubmissionOut, **ERRORS},
    summary="Submit a deliverable (the student): multipart with a link and/or a file, and a note",
    openapi_extra=idempotency.OPENAPI,
    description=(
        f"At least a link or a file. The file: at most {uploads.MAX_FILE_SIZE // (1024 * 1024)} "
        f"MB, one of {uploads.ALLOWED_LABEL}, its type read from the content and matching its "
        "extension (422 file_too_large, file_type_not_allowed, file_type_mismatch). 404 "
        "no_such_deliverable for a key not in the terms in force; 409 already_accepted. A "
        "submission still waiting for review is superseded by the new one."
    ),
)
def submit_deliverable(
    request,
    engagement_id: Id,
    key: str,
    file: File[UploadedFile] = None,
    # Form("") as the default (ninja's idiom): Form[SingleLine] would lose the default.
    link: SingleLine = Form(""),  # noqa: B008
    note: MultiLine = Form(""),  # noqa: B008
):
    engagement = access.readable(request.user, engagement_id)
    submission = services.submit(
        engagement,
        key,
        by=request.user,
        note=note,
        link=link,
        file=file,
        idempotency_key=idempotency.key_of(request),
    )
    return Status(201, selectors.submission_of(engagement, submission.pk))


@router.get(
    "/engagements/{int:engagement_id}/deliverables/submissions/{int:submission_id}",
    response={200: DeliverableSubmissionOut, **READ_ERRORS},
    summary="One submission with its review",
)
def get_submission(request, engagement_id: Id, submission_id: Id):
    return _submission(access.readable(request.user, engagement_id), submission_id)


@router.get(
    "/engagements/{int:engagement_id}/deliverables/submissions/{int:submission_id}/file",
    response={200: None, **READ_ERRORS},
    url_name="deliverable_file",
    summary="Download a submission's file (an attachment, with the type read from its content)",
)
def download_submission_file(request, engagement_id: Id, submission_id: Id):
    return file_response(_submission(access.readable(request.user, engagement_id), submission_id))


@router.post(
    "/engagements/{int:engagement_id}/deliverables/submissions/{int:submission_id}/accept",
    response={200: DeliverableSubmissionOut, **ERRORS},
    summary="Accept the submission waiting for review (the mentor or an owner)",
    description="409 already_reviewed, or superseded when a newer submission arrived.",
)
def accept_submission(
    request, engagement_id: Id, submission_id: Id, payload: DeliverableReviewIn | None = None
):
    engagement = access.readable(request.user, engagement_id)
    submission = _submission(engagement, submission_id)
    services.accept(submission, by=request.user, feedback=payload.feedback if payload else "")
    return selectors.submission_of(engagement, submission.pk)


@router.post(
    "/engagements/{int:engagement_id}/deliverables/submissions/{int:submission_id}/request-changes",
    response={200: DeliverableSubmissionOut, **ERRORS},
    summary="Ask for changes to the submission waiting for review, with feedback (required)",
    description="409 already_reviewed, or superseded when a newer submission arrived.",
)
def request_submission_changes(
    request, engagement_id: Id, submission_id: Id, payload: DeliverableChangesIn
):
    engagement = access.readable(request.user, engagement_id)
    submission = _submission(engagement, submission_id)
    services.request_changes(submission, by=request.user, feedback=payload.feedback)
    return selectors.submission_of(engagement, submission.pk)
