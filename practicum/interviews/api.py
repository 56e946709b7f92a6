"""Interviews over JSON: the same services, selectors and rules as the pages."""

import datetime

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from practicum.core import idempotency
from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.pagination import Pagination
from practicum.core.schemas import DateTime, Id, InputSchema, MultiLine, SingleLine
from practicum.interviews import selectors, services
from practicum.interviews.models import (
    DURATION_MAX,
    DURATION_MIN,
    PLACE_MAX,
    REASON_MAX,
    SLOTS_MAX,
    URL_MAX,
)

router = Router(tags=["interviews"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}


class InterviewPersonOut(Schema):
    id: int
    name: str


class InterviewSlotOut(Schema):
    id: int
    starts_at: datetime.datetime = Field(description="UTC")
    ends_at: datetime.datetime
    duration_minutes: int
    place: str
    video_url: str
    withdrawn: bool = Field(description="Taken back by a reschedule: it cannot be picked")


class InterviewEventOut(Schema):
    kind: str = Field(description="proposed, picked, rescheduled, cancelled, held or no_show")
    actor: InterviewPersonOut | None = Field(description="None when Practicum called it off")
    side: str = Field(description="student, organization, or empty for Practicum")
    at: datetime.datetime
    notice_hours: float | None = Field(
        description="For a reschedule or cancellation of a picked time: hours before it"
    )
    reason: str

    @staticmethod
    def resolve_notice_hours(obj):
        return None if obj.notice is None else round(obj.notice.total_seconds() / 3600, 2)

    @staticmethod
    def resolve_reason(obj) -> str:
        return obj.details.get("reason", "")


class InterviewOut(Schema):
    id: int
    application: int = Field(alias="application_id")
    status: str = Field(description="proposed, scheduled, held, no_show or cancelled")
    slot: InterviewSlotOut | None = Field(description="The time picked")
    slots: list[InterviewSlotOut] = Field(description="Every time offered")
    no_show_by: str = Field(
        description="student or organization; empty unless a side did not show up"
    )
    sequence: int = Field(description="The iCalendar SEQUENCE")
    created_at: datetime.datetime
    events: list[InterviewEventOut] = Field(description="Its history, oldest first")

    @staticmethod
    def resolve_slots(obj) -> list:
        return list(obj.slots.all())

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


class SlotIn(InputSchema):
    starts_at: DateTime = Field(description="With its UTC offset, in the future")
    duration_minutes: int = Field(ge=DURATION_MIN, le=DURATION_MAX)
    place: SingleLine = Field("", max_length=PLACE_MAX, description="Where, or…")
    video_url: SingleLine = Field("", max_length=URL_MAX, description="…an http(s) video link")


class ProposeIn(InputSchema):
    slots: list[SlotIn] = Field(min_length=1, max_length=SLOTS_MAX)


class PickIn(InputSchema):
    slot: int = Field(ge=1, description="The id of one of the times offered")


class RescheduleIn(InputSchema):
    reason: MultiLine = Field(max_length=REASON_MAX)
    slots: list[SlotIn] = Field(
        default_factory=list, max_length=SLOTS_MAX, description="New times (organization only)"
    )


class CancelIn(InputSchema):
    reason: MultiLine = Field("", max_length=REASON_MAX)


class OutcomeIn(InputSchema):
    outcome: SingleLine = Field(description="held or no_show")
    no_show_by: SingleLine = Field("", description="student or organization (for no_show)")


def _application(request, application_id: int):
    return visible_or_404(
        selectors.application_of(application_id),
        request.user,
        "engagements.view_application",
        what="application",
    )


def _interview(request, application_id: int, interview_id: int):
    application = _application(request, application_id)
    return application, visible_or_404(
        selectors.interview_of(application, interview_id), what="interview"
    )


def _slots(slots: list[SlotIn]) -> list[dict]:
    return [slot.dict() for slot in slots]


BASE = "/applications/{int:application_id}/interviews"
ONE = BASE + "/{int:interview_id}"


@router.get(
    BASE,
    response={200: list[InterviewOut], **READ_ERRORS},
    summary="The application's interviews, latest first",
)
@paginate(Pagination)
def list_interviews(request, application_id: Id):
    return selectors.interviews_of(_application(request, application_id))


@router.post(
    BASE,
    response={201: InterviewOut, **ERRORS},
    summary="Invite a shortlisted applicant to an interview with 1–10 times (organization)",
    openapi_extra=idempotency.OPENAPI,
    description="409 not_shortlisted, interview_open; 422 for times in the past, overlapping, "
    "without a place or an http(s) link.",
)
def propose(request, application_id: Id, payload: ProposeIn):
    application = _application(request, application_id)
    interview = services.propose(
        application,
        by=request.user,
        slots=_slots(payload.slots),
        idempotency_key=idempotency.key_of(request),
    )
    return Status(201, selectors.interview_of(application, interview.pk))


@router.get(ONE, response={200: InterviewOut, **READ_ERRORS}, summary="One interview")
def get_interview(request, application_id: Id, interview_id: Id):
    return _interview(request, application_id, interview_id)[1]


@router.post(ONE + "/pick", response={200: InterviewOut, **ERRORS}, summary="Pick a time (student)")
def pick(request, application_id: Id, interview_id: Id, payload: PickIn):
    application, interview = _interview(request, application_id, interview_id)
    services.pick(interview, by=request.user, slot_id=payload.slot)
    return selectors.interview_of(application, interview_id)


@router.post(
    ONE + "/slots",
    response={200: InterviewOut, **ERRORS},
    summary="Offer more times while none is picked (organization)",
)
def add_slots(request, application_id: Id, interview_id: Id, payload: ProposeIn):
    application, interview = _interview(request, application_id, interview_id)
    services.add_slots(interview, by=request.user, slots=_slots(payload.slots))
    return selectors.interview_of(application, interview_id)


@router.post(
    ONE + "/reschedule",
    response={200: InterviewOut, **ERRORS},
    summary="Release the time picked, with a reason (either side); the other side is told",
)
def reschedule(request, application_id: Id, interview_id: Id, payload: RescheduleIn):
    application, interview = _interview(request, application_id, interview_id)
    services.reschedule(
        interview, by=request.user, reason=payload.reason, slots=_slots(payload.slots)
    )
    return selectors.interview_of(application, interview_id)


@router.post(
    ONE + "/cancel",
    response={200: InterviewOut, **ERRORS},
    summary="Cancel the interview (either side); the other side is told",
)
def cancel(request, application_id: Id, interview_id: Id, payload: CancelIn):
    application, interview = _interview(request, application_id, interview_id)
    services.cancel(interview, by=request.user, reason=payload.reason)
    return selectors.interview_of(application, interview_id)


@router.post(
    ONE + "/outcome",
    response={200: InterviewOut, **ERRORS},
    summary="Record that it was held, or who did not show up (organization)",
    description="409 too_early before the time picked.",
)
def record_outcome(request, application_id: Id, interview_id: Id, payload: OutcomeIn):
    application, interview = _interview(request, application_id, interview_id)
    services.record_outcome(
        interview, by=request.user, outcome=payload.outcome, no_show_by=payload.no_show_by
    )
    return selectors.interview_of(application, interview_id)
