"""Writes for interviews: propose times, pick one, add times, reschedule, cancel, record the
outcome, and call off open interviews when the application is answered.

Each service is one transaction that locks the application row first, so both sides acting at
once take turns and the second sees the first one's change (a time is picked once, a
reschedule sees the pick). The organization's members (who may select the application) propose,
add times and record the outcome; the student picks; either side reschedules or cancels. Each
step is an InterviewEvent and the other side is told.
"""

import datetime
import itertools

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from practicum.core.cleaning import DATE_WINDOW_MESSAGE, in_date_window
from practicum.core.errors import Conflict, Refused
from practicum.core.idempotency import idempotent
from practicum.core.text import text_problem
from practicum.engagements.models import Application
from practicum.engagements.notices import organization_side
from practicum.interviews.models import (
    DURATION_MAX,
    DURATION_MIN,
    INTERVIEW_STATES,
    OPEN,
    PLACE_MAX,
    REASON_MAX,
    SLOTS_MAX,
    URL_MAX,
    Interview,
    InterviewEvent,
    InterviewSlot,
    Side,
)
from practicum.notifications.services import notify

Status = Interview.Status
Kind = InterviewEvent.Kind
OUTCOMES = ("held", "no_show")


def side_of(user, application: Application) -> str:
    """The side `user` acts for on the application, or "" when they are no party to it."""
    if user is None or not user.is_authenticated:
        return ""
    if user.has_perm("engagements.answer_application", application):
        return Side.STUDENT
    if user.has_perm("engagements.select_application", application):
        return Side.ORGANIZATION
    return ""


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("project__organization", "project__mentor", "student")
        .get(pk=application.pk)
    )


def _require_side(user, application: Application, wanted: str | None = None) -> str:
    side = side_of(user, application)
    if not side:
        raise Refused("not_a_party", "Only the student and the organization can do this.")
    if wanted == Side.ORGANIZATION and side != wanted:
        raise Refused("not_a_member", "Only members of the project's organization can do this.")
    if wanted == Side.STUDENT and side != wanted:
        raise Refused("not_the_applicant", "Only the student who applied can do this.")
    return side


def _acting(interview: Interview, by, wanted: str | None = None):
    """Lock the application, check who acts, and read the interview again under the lock:
    (application, interview, the actor's side)."""
    side = _require_side(by, interview.application, wanted)
    application = _locked_application(interview.application)
    interview = Interview.objects.select_related("slot").get(pk=interview.pk)
    interview.application = application
    return application, interview, side


def _error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _reason(value, *, required: bool) -> str:
    value = value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if required and not value:
        raise _error("reason", "Say why.", "required")
    if len(value) > REASON_MAX:
        raise _error("reason", f"At most {REASON_MAX} characters.", "max_length")
    if (problem := text_problem(value, multiline=True)) is not None:
        raise _error("reason", problem, "invalid_character")
    return value


_is_web_url = URLValidator(schemes=["http", "https"])


def _slot_problems(slot: dict, now: datetime.datetime) -> list[str]:
    """What is wrong with one proposed time (a dict: starts_at, duration_minutes, place,
    video_url), in words; [] when nothing."""
    problems = []
    starts_at = slot.get("starts_at")
    if not isinstance(starts_at, datetime.datetime) or timezone.is_naive(starts_at):
        problems.append("give a date and time with its time zone")
    elif not in_date_window(starts_at.astimezone(datetime.UTC).date()):
        problems.append(DATE_WINDOW_MESSAGE[0].lower() + DATE_WINDOW_MESSAGE[1:].rstrip("."))
    elif starts_at <= now:
        problems.append("choose a time in the future")
    duration = slot.get("duration_minutes")
    if isinstance(duration, bool) or not isinstance(duration, int):
        problems.append("give the length in minutes")
    elif not DURATION_MIN <= duration <= DURATION_MAX:
        problems.append(f"the length is {DURATION_MIN} to {DURATION_MAX} minutes")
    place = (slot.get("place") or "").strip()
    url = (slot.get("video_url") or "").strip()
    if bool(place) == bool(url):
        problems.append("give either a place or a video link")
    if len(place) > PLACE_MAX:
        problems.append(f"the place is at most {PLACE_MAX} characters")
    elif place and text_problem(place, multiline=False) is not None:
        problems.append("the place has characters that are not allowed")
    if len(url) > URL_MAX:
        problems.append(f"the link is at most {URL_MAX} characters")
    elif url:
        try:
            _is_web_url(url)
        except ValidationError:
            problems.append(
                "the video link must be a web address starting with https:// or http://"
            )
    return problems


def _clean_slots(slots, now: datetime.datetime, *, besides=()) -> list[InterviewSlot]:
    """The proposed times as unsaved InterviewSlots, or a ValidationError on "slots" naming each
    problem: 1 to SLOTS_MAX times, each in the future (and before 2101), 10 to 240 minutes, a
    place or an http(s) video link, none overlapping another (or one of `besides`, the slots
    still offered)."""
    if not isinstance(slots, list | tuple) or not slots:
        raise _error("slots", "Propose at least one time.", "required")
    if len(slots) + len(besides) > SLOTS_MAX:
        raise _error("slots", f"Propose at most {SLOTS_MAX} times.", "too_many")
    errors = []
    for number, slot in enumerate(slots, start=1):
        problems = _slot_problems(slot if isinstance(slot, dict) else {}, now)
        if problems:
            errors.append(
                ValidationError(f"Time {number}: {'; '.join(problems)}.", code="invalid_slot")
            )
    if errors:
        raise ValidationError({"slots": errors})
    made = [
        InterviewSlot(
            starts_at=slot["starts_at"].astimezone(datetime.UTC).replace(second=0, microsecond=0),
            duration_minutes=slot["duration_minutes"],
            place=(slot.get("place") or "").strip(),
            video_url=(slot.get("video_url") or "").strip(),
        )
        for slot in slots
    ]
    ordered = sorted([*made, *besides], key=lambda s: s.starts_at)
    for earlier, later in itertools.pairwise(ordered):
        if later.starts_at < earlier.ends_at:
            raise _error(
                "slots",
                f"Two times overlap (both at {later.starts_at:%-d %b %Y %H:%M} UTC or within "
                "each other's length): offer times that do not.",
                "overlap",
            )
    return made


def _record(interview, kind, by, side, *, at, notice=None, **details) -> InterviewEvent:
    return InterviewEvent.objects.create(
        interview=interview, kind=kind, actor=by, side=side, at=at, notice=notice, details=details
    )


def _tell(people, kind: str, interview: Interview, occurrence: str, context: dict) -> None:
    url = reverse("interviews:list", args=[interview.application_id])
    for person in people:
        notify(
            person,
            kind,
            interview,
            context,
            occurrence,
            url=url,
            title=interview.application.project.title,
        )


def _other_side(application: Application, side: str) -> list:
    if side == Side.STUDENT:
        return organization_side(application.project)
    return [application.student]


def _open_slots(interview: Interview, now) -> list[InterviewSlot]:
    return list(interview.slots.filter(withdrawn=False, starts_at__gt=now))


@idempotent("interviews.propose")
@transaction.atomic
def propose(application: Application, *, by, slots, now=None) -> Interview:
    """The organization invites a shortlisted applicant to an interview, offering 1 to 10
    times (409 not_shortlisted for any other application, 409 interview_open while another
    interview of it is proposed or scheduled)."""
    now = now or timezone.now()
    _require_side(by, application, Side.ORGANIZATION)
    application = _locked_application(application)
    made = _clean_slots(slots, now)
    if application.status != Application.Status.SHORTLISTED:
        raise Conflict(
            "not_shortlisted", "Only a shortlisted application can be invited to an interview."
        )
    if Interview.objects.filter(application=application, status__in=OPEN).exists():
        raise Conflict(
            "interview_open",
            "This application has an interview under way: reschedule or cancel it instead.",
        )
    interview = Interview.objects.create(
        application=application, proposed_by=by, created_at=now, changed_at=now
    )
    for slot in made:
        slot.interview = interview
    InterviewSlot.objects.bulk_create(made)
    _record(interview, Kind.PROPOSED, by, Side.ORGANIZATION, at=now, slots=len(made))
    _tell([application.student], "interview_proposed", interview, "", {"count": len(made)})
    return interview


@transaction.atomic
def add_slots(interview: Interview, *, by, slots, now=None) -> Interview:
    """The organization offers more times for an interview still waiting for the student's
    pick (after the student asked to reschedule, say); at most 10 offered at once."""
    now = now or timezone.now()
    application, interview, side = _acting(interview, by, Side.ORGANIZATION)
    if interview.status != Status.PROPOSED:
        raise Conflict("not_proposed", "Times can be added while the student has not picked one.")
    made = _clean_slots(slots, now, besides=_open_slots(interview, now))
    for slot in made:
        slot.interview = interview
    InterviewSlot.objects.bulk_create(made)
    interview.changed_at = now
    interview.save(update_fields=["changed_at"])
    _record(interview, Kind.PROPOSED, by, side, at=now, slots=len(made))
    _tell([application.student], "interview_proposed", interview, f"p{int(now.timestamp())}", {})
    return interview


@transaction.atomic
def pick(interview: Interview, *, by, slot_id: int, now=None) -> Interview:
    """The student picks one of the times offered that is still ahead."""
    now = now or timezone.now()
    application, interview, side = _acting(interview, by, Side.STUDENT)
    slot = interview.slots.filter(pk=slot_id).first() if isinstance(slot_id, int) else None
    if slot is None or slot.withdrawn:
        raise _error("slot", "Choose one of the times offered.")
    if slot.starts_at <= now:
        raise _error("slot", "This time has passed: choose another one.", "past")
    INTERVIEW_STATES.move(interview, "pick", slot=slot, sequence=F("sequence") + 1, changed_at=now)
    interview.refresh_from_db(fields=["sequence"])
    _record(
        interview, Kind.PICKED, by, side, at=now, slot=slot.pk, starts_at=slot.starts_at.isoformat()
    )
    _tell(
        organization_side(application.project),
        "interview_scheduled",
        interview,
        f"s{interview.sequence}",
        {"student": application.student.name},
    )
    return interview


@transaction.atomic
def reschedule(interview: Interview, *, by, reason: str, slots=None, now=None) -> Interview:
    """Either side takes back the time picked, saying why; the interview waits for a new pick.
    The organization may offer new times with it; the student picks again among the times
    still offered. The event keeps the notice given (time left before the picked start)."""
    now = now or timezone.now()
    application, interview, side = _acting(interview, by)
    reason = _reason(reason, required=True)
    if interview.status != Status.SCHEDULED:
        INTERVIEW_STATES.target(interview.status, "reschedule")  # the table's refusal
    if slots and side != Side.ORGANIZATION:
        raise _error("slots", "Only the organization offers times; ask it for new ones.")
    picked = interview.slot
    made = (
        _clean_slots(slots, now, besides=[s for s in _open_slots(interview, now) if s != picked])
        if slots
        else []
    )
    picked.withdrawn = True
    picked.save(update_fields=["withdrawn"])
    INTERVIEW_STATES.move(
        interview, "reschedule", slot=None, sequence=F("sequence") + 1, changed_at=now
    )
    interview.refresh_from_db(fields=["sequence"])
    for slot in made:
        slot.interview = interview
    InterviewSlot.objects.bulk_create(made)
    _record(
        interview,
        Kind.RESCHEDULED,
        by,
        side,
        at=now,
        notice=picked.starts_at - now,
        reason=reason,
        starts_at=picked.starts_at.isoformat(),
        slots=len(made),
    )
    _tell(
        _other_side(application, side),
        "interview_rescheduled",
        interview,
        f"r{interview.sequence}",
        {"reason": reason, "by": by.name},
    )
    return interview


@transaction.atomic
def cancel(interview: Interview, *, by, reason: str = "", now=None) -> Interview:
    """Either side calls the interview off while it is proposed or scheduled."""
    now = now or timezone.now()
    application, interview, side = _acting(interview, by)
    reason = _reason(reason, required=False)
    picked = interview.slot
    INTERVIEW_STATES.move(interview, "cancel", sequence=F("sequence") + 1, changed_at=now)
    interview.refresh_from_db(fields=["sequence"])
    _record(
        interview,
        Kind.CANCELLED,
        by,
        side,
        at=now,
        notice=picked.starts_at - now if picked is not None else None,
        reason=reason,
    )
    _tell(
        _other_side(application, side),
        "interview_cancelled",
        interview,
        "",
        {"reason": reason, "by": by.name},
    )
    return interview


@transaction.atomic
def record_outcome(
    interview: Interview, *, by, outcome: str, no_show_by: str = "", now=None
) -> Interview:
    """The organization records, once the picked time has begun, that the interview was held
    or that someone did not show up (the student or the organization)."""
    now = now or timezone.now()
    application, interview, side = _acting(interview, by, Side.ORGANIZATION)
    no_show_by = no_show_by or ""
    if outcome not in OUTCOMES:
        raise _error("outcome", "Choose held or no_show.")
    if outcome == "no_show" and no_show_by not in Side.values:
        raise _error("no_show_by", "Say who did not show up: student or organization.", "required")
    if outcome == "held" and no_show_by:
        raise _error("no_show_by", "An interview that was held had nobody missing.")
    if interview.status != Status.SCHEDULED:
        INTERVIEW_STATES.target(interview.status, "hold" if outcome == "held" else "no_show")
    if interview.slot.starts_at > now:
        raise Conflict("too_early", "The interview has not begun yet; record it once it has.")
    INTERVIEW_STATES.move(
        interview,
        "hold" if outcome == "held" else "no_show",
        no_show_by=no_show_by,
        changed_at=now,
    )
    if outcome == "held":
        _record(interview, Kind.HELD, by, side, at=now)
    else:
        _record(interview, Kind.NO_SHOW, by, side, at=now, no_show_by=no_show_by)
    _tell(
        [application.student],
        "interview_outcome",
        interview,
        "",
        {"outcome": "held" if outcome == "held" else "not held"},
    )
    return interview


def call_off(application: Application, *, by, at, **details) -> None:
    """The application was answered (offer, rejection, withdrawal): its open interviews are
    called off (a lifecycle handler, inside the move's transaction; the application's own
    notices tell the people)."""
    interviews = list(
        Interview.objects.select_for_update().filter(application=application, status__in=OPEN)
    )
    for interview in interviews:
        INTERVIEW_STATES.move(interview, "call_off", sequence=F("sequence") + 1, changed_at=at)
        _record(
            interview,
            Kind.CANCELLED,
            None,
            "",
            at=at,
            reason=f"application_{application.status}",
        )
