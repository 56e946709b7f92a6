"""Check-ins and the calendar feed over JSON: the same services, selectors and access rules as
the pages."""

import datetime

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from practicum.core import idempotency
from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.pagination import Pagination
from practicum.core.schemas import DateTime, Id, InputSchema, MultiLine, SingleLine
from practicum.workspace import access
from practicum.workspace.checkins import selectors, services
from practicum.workspace.checkins.models import LOCATION_MAX, MEETING_URL_MAX

router = Router(tags=["checkins"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}


class CheckInPersonOut(Schema):
    id: int
    name: str


class CheckInAgendaItemOut(Schema):
    id: int
    text: str
    author: CheckInPersonOut | None
    side: str = Field(description="student or organization")
    created_at: datetime.datetime
    edited_at: datetime.datetime | None = Field(
        description="When its author last changed it; the timeline keeps what it said before"
    )


class CheckInRescheduleOut(Schema):
    at: datetime.datetime
    actor: CheckInPersonOut | None
    side: str
    previous_at: datetime.datetime | None = Field(description="The time it had before the move")
    new_at: datetime.datetime | None
    reason: str

    @staticmethod
    def resolve_side(obj) -> str:
        return obj.details.get("side", "")

    @staticmethod
    def resolve_previous_at(obj):
        return obj.moved_from

    @staticmethod
    def resolve_new_at(obj):
        return obj.moved_to

    @staticmethod
    def resolve_reason(obj) -> str:
        return obj.details.get("reason", "")


class CheckInOut(Schema):
    id: int
    url: str = Field(description="The check-in's page")
    scheduled_at: datetime.datetime = Field(description="UTC")
    ends_at: datetime.datetime
    originally_at: datetime.datetime = Field(description="The slot the cadence gave it")
    status: str = Field(description="scheduled, held, missed or cancelled")
    missed_by: str = Field(description="student, organization or both; empty unless missed")
    outcome_recorded_by: CheckInPersonOut | None
    outcome_recorded_at: datetime.datetime | None
    agenda: list[CheckInAgendaItemOut]
    notes: str = Field(description="Markdown")
    notes_revision: int = Field(description="Send it back with an edit to detect a clash")
    notes_edited_by: CheckInPersonOut | None
    notes_edited_at: datetime.datetime | None
    sequence: int = Field(description="The iCalendar SEQUENCE")
    reschedules: list[CheckInRescheduleOut] = Field(description="Its moves, oldest first")
    location: str = Field(description="Where it takes place (its own, or the usual place)")
    meeting_url: str = Field(description="Its meeting link (its own, or the usual one)")
    place_is_default: bool = Field(description="True when it uses the engagement's usual place")

    @staticmethod
    def resolve_location(obj) -> str:
        return obj.place.location

    @staticmethod
    def resolve_meeting_url(obj) -> str:
        return obj.place.meeting_url

    @staticmethod
    def resolve_place_is_default(obj) -> bool:
        return obj.place.is_default

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_agenda(obj) -> list:
        return list(obj.agenda.all())


class CheckInAgendaIn(InputSchema):
    text: SingleLine


class CheckInNotesIn(InputSchema):
    notes: MultiLine
    revision: int | None = Field(
        None, description="The notes_revision read; 409 notes_changed when it is outdated"
    )


class CheckInOutcomeIn(InputSchema):
    outcome: SingleLine = Field(description="held or missed")
    missed_by: SingleLine = Field("", description="student, organization or both (when missed)")


class CheckInRescheduleIn(InputSchema):
    scheduled_at: DateTime = Field(description="With its UTC offset, in the future")
    reason: MultiLine = Field(description="Required")


class CheckInPlaceIn(InputSchema):
    location: SingleLine = Field("", max_length=LOCATION_MAX, description="An address or a room")
    meeting_url: SingleLine = Field(
        "", max_length=MEETING_URL_MAX, description="An http(s) video call address"
    )


class CheckInPlaceOut(Schema):
    location: str
    meeting_url: str


class CalendarFeedOut(Schema):
    url: str = Field(description="The secret address to subscribe to (no login needed)")
    regenerated_at: datetime.datetime | None


def _checkin(request, engagement_id: Id, checkin_id: Id):
    engagement = access.readable(request.user, engagement_id)
    checkin = visible_or_404(selectors.checkin_of(engagement, checkin_id), what="check-in")
    return engagement, checkin


def _fresh(engagement, checkin_id: Id):
    return selectors.checkin_of(engagement, checkin_id)


@router.get(
    "/engagements/{int:engagement_id}/checkins",
    response={200: list[CheckInOut], **READ_ERRORS},
    summary="The engagement's check-ins, in time order",
)
@paginate(Pagination)
def list_checkins(request, engagement_id: Id):
    return selectors.checkins_of(access.readable(request.user, engagement_id))


@router.get(
    "/engagements/{int:engagement_id}/checkins/{int:checkin_id}",
    response={200: CheckInOut, **READ_ERRORS},
    summary="One check-in with its agenda, notes, outcome and reschedules",
)
def get_checkin(request, engagement_id: Id, checkin_id: Id):
    return _checkin(request, engagement_id, checkin_id)[1]


@router.post(
    "/engagements/{int:engagement_id}/checkins/{int:checkin_id}/agenda",
    response={201: CheckInOut, **ERRORS},
    summary="Add a point to the agenda (either side)",
    openapi_extra=idempotency.OPENAPI,
    description="409 checkin_closed once it has an outcome, checkin_cancelled when called off.",
)
def add_agenda_item(request, engagement_id: Id, checkin_id: Id, payload: CheckInAgendaIn):
    engagement, checkin = _checkin(request, engagement_id, checkin_id)
    services.add_agenda_item(
        checkin, by=request.user, text=payload.text, idempotency_key=idempotency.key_of(request)
    )
    return Status(201, _fresh(engagement, checkin_id))


def _point(checkin, point_id: int):
    return visible_or_404(
        next((p for p in checkin.agenda.all() if p.pk == point_id), None), what="point"
    )


@router.patch(
    "/engagements/{int:engagement_id}/checkins/{int:checkin_id}/agenda/{int:point_id}",
    response={200: CheckInOut, **ERRORS},
    summary="Change your own agenda point (until the other side responds)",
    description=(
        "403 not_author for someone else's point; 409 checkin_closed once the check-in has an "
        "outcome, already_answered once the other side added a point after it. The timeline "
        "keeps what it said before."
    ),
)
def edit_agenda_item(
    request, engagement_id: int, checkin_id: int, point_id: int, payload: CheckInAgendaIn
):
    engagement, checkin = _checkin(request, engagement_id, checkin_id)
    services.edit_agenda_item(_point(checkin, point_id), by=request.user, text=payload.text)
    return _fresh(engagement, checkin_id)


@router.delete(
    "/engagements/{int:engagement_id}/checkins/{int:checkin_id}/agenda/{int:point_id}",
    response={204: None, **ERRORS},
    summary="Delete your own agenda point (until the other side responds)",
    description="403 not_author; 409 checkin_closed or already_answered. The timeline keeps it.",
)
def delete_agenda_item(request, engagement_id: int, checkin_id: int, point_id: int):
    _, checkin = _checkin(request, engagement_id, checkin_id)
    services.delete_agenda_item(_point(checkin, point_id), by=request.user)
    return Status(204, None)


@router.put(
    "/engagements/{int:engagement_id}/checkins/{int:checkin_id}/notes",
    response={200: CheckInOut, **ERRORS},
    summary="Replace the shared notes (either side)",
    description="409 notes_changed when `revision` is given and someone saved in between.",
)
def update_notes(request, engagement_id: Id, checkin_id: Id, payload: CheckInNotesIn):
    engagement, checkin = _checkin(request, engagement_id, checkin_id)
    services.update_notes(checkin, by=request.user, notes=payload.notes, revision=payload.revision)
    return _fresh(engagement, checkin_id)


@router.post(
    "/engagements/{int:engagement_id}/checkins/{int:checkin_id}/outcome",
    response={200: CheckInOut, **ERRORS},
    summary="Record that it was held, or missed and by whom (either side)",
    description="409 too_early before its time, outcome_recorded when recorded already.",
)
def record_outcome(request, engagement_id: Id, checkin_id: Id, payload: CheckInOutcomeIn):
    engagement, checkin = _checkin(request, engagement_id, checkin_id)
    services.record_outcome(
        checkin, by=request.user, outcome=payload.outcome, missed_by=payload.missed_by
    )
    return _fresh(engagement, checkin_id)


@router.post(
    "/engagements/{int:engagement_id}/checkins/{int:checkin_id}/reschedule",
    response={200: CheckInOut, **ERRORS},
    summary="Move it to a new time in the future, with a reason (either side)",
    description="The other side is told. 409 outcome_recorded once it has an outcome.",
)
def reschedule(request, engagement_id: Id, checkin_id: Id, payload: CheckInRescheduleIn):
    engagement, checkin = _checkin(request, engagement_id, checkin_id)
    services.reschedule(checkin, by=request.user, to=payload.scheduled_at, reason=payload.reason)
    return _fresh(engagement, checkin_id)


@router.put(
    "/engagements/{int:engagement_id}/checkins/{int:checkin_id}/place",
    response={200: CheckInOut, **ERRORS},
    summary="Say where this check-in takes place (either side); both empty: the usual place",
    description="422 for a link that is not http(s); 409 once it has an outcome.",
)
def set_place(request, engagement_id: Id, checkin_id: Id, payload: CheckInPlaceIn):
    engagement, checkin = _checkin(request, engagement_id, checkin_id)
    services.set_place(
        checkin, by=request.user, location=payload.location, meeting_url=payload.meeting_url
    )
    return _fresh(engagement, checkin_id)


@router.get(
    "/engagements/{int:engagement_id}/checkins/place",
    response={200: CheckInPlaceOut, **READ_ERRORS},
    summary="Where the engagement's check-ins usually take place",
)
def get_default_place(request, engagement_id: Id):
    place = selectors.default_place(access.readable(request.user, engagement_id))
    return place or {"location": "", "meeting_url": ""}


@router.put(
    "/engagements/{int:engagement_id}/checkins/place",
    response={200: CheckInPlaceOut, **ERRORS},
    summary="Set where the engagement's check-ins usually take place (either side)",
    description="422 for a link that is not http(s).",
)
def set_default_place(request, engagement_id: Id, payload: CheckInPlaceIn):
    engagement = access.readable(request.user, engagement_id)
    return services.set_default_place(
        engagement, by=request.user, location=payload.location, meeting_url=payload.meeting_url
    )


def _feed(request) -> dict:
    feed = selectors.feed_of(request.user)
    return {"url": request.build_absolute_uri(feed.path), "regenerated_at": feed.regenerated_at}


@router.get(
    "/calendar/feed",
    response={200: CalendarFeedOut, 401: ErrorOut},
    summary="Your calendar feed's secret address (check-ins and due dates, .ics)",
)
def get_feed(request):
    return _feed(request)


@router.post(
    "/calendar/feed",
    response={200: CalendarFeedOut, 401: ErrorOut},
    summary="Make a new feed address; the old one stops working (404)",
)
def regenerate_feed(request):
    services.regenerate_feed(request.user)
    return _feed(request)
