"""The engagement lifecycle: every state a project, an application, an engagement and its
agreement can be in, and every move between them, declared once, one table per machine.

    Project:      draft ─publish→ open ─close / fill→ closed ─reopen→ open;  → archived
    Application:  submitted → shortlisted → offered → accepted | declined
                  submitted / shortlisted / offered → rejected (organization) | withdrawn
                  (the student, or the platform when the project fills or closes)
                  submitted / shortlisted → rejected (the platform, when the project fills,
                  closes or is archived: every applicant gets an answer)
    Engagement:   agreement_pending ─activate→ active ─complete→ completed
                  agreement_pending / active ─cancel→ cancelled
    Agreement:    draft ─replace→ superseded; draft ─take_effect→ current ─supersede→ superseded
    Amendment:    proposed ─accept→ current; proposed ─reject→ rejected

Each row says who may make the move (a side, either party, the other party, or the platform
as a consequence of another move), the guard it must pass, and the event it records in the
engagement's log. `move()` is the only code that writes these states: services lock the row,
check their inputs, then call it. Other apps react to a move by registering a handler with
`on(machine, action)`; handlers run inside the move's transaction, so a reaction that fails
undoes the move, and this module imports none of the apps that react.

The one "today" of an engagement is here too: dates (due, overdue, half-way, payment due) are
days in the project's time zone, the same for both sides, on the web and in the API.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from practicum.core.errors import Conflict, Refused
from practicum.core.timezones import today_in
from practicum.engagements.events import record, side_of
from practicum.engagements.models import (
    AgreementVersion,
    Application,
    Engagement,
    EngagementEvent,
)
from practicum.projects import services as project_services
from practicum.projects.models import Project

Kind = EngagementEvent.Kind


class Who:
    ORGANIZATION = "organization"  # a member of the project's organization (mentor or owner)
    STUDENT = "student"  # the applicant, the engagement's student
    PARTY = "party"  # either side of the engagement
    OTHER_PARTY = "other_party"  # the side that did not propose the amendment
    PLATFORM = "platform"  # nobody asks for it: it follows from another move or from time


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[str]
    target: str
    who: str
    label: str  # the button people press
    event: str = ""  # the EngagementEvent kind recorded; empty for moves outside an engagement
    guard: Callable | None = None  # guard(obj, at=...) raises a ServiceError or ValidationError
    changes: Callable | None = None  # changes(at, obj) → other fields of the row the move sets


@dataclass
class Machine:
    name: str
    model: type[models.Model]
    field: str
    moves: tuple[Move, ...]
    # (state, move) → (code, sentence) of a move the table does not allow from `state`.
    refusal: Callable[[str, Move], tuple[str, str]]
    # Who-may refusals, (code, sentence) by the row's `who`; "outsider" for non-parties.
    refusals: dict[str, tuple[str, str]] = field(default_factory=dict)
    stamp: str = ""  # the "changed at" field, when the model keeps one
    by_action: dict[str, Move] = field(init=False)

    def __post_init__(self):
        self.by_action = {m.action: m for m in self.moves}


# --- who may ----------------------------------------------------------------------------


def _side(machine: Machine, obj, user) -> str:
    """The side `user` acts for on `obj`, or "" when they are not a party to it."""
    if user is None or not user.is_authenticated:
        return ""
    if machine.name == "project":
        return Who.ORGANIZATION if user.has_perm("projects.manage_project", obj) else ""
    if machine.name == "application":
        if user.has_perm("engagements.answer_application", obj):
            return Who.STUDENT
        if user.has_perm("engagements.select_application", obj):
            return Who.ORGANIZATION
        return ""
    engagement = _engagement_of(obj)
    if not user.has_perm("engagements.act_on_engagement", engagement):
        return ""
    return side_of(user, engagement)


def may(machine: Machine, obj, action: str, user) -> bool:
    """Whether `user` may ask for `action` on `obj` (leaving its state aside)."""
    move = machine.by_action[action]
    if move.who == Who.PLATFORM:
        return False
    side = _side(machine, obj, user)
    if not side:
        return False
    if move.who == Who.PARTY:
        return True
    if move.who == Who.OTHER_PARTY:
        return side != obj.side
    return side == move.who


def require(machine: Machine, obj, action: str, user) -> None:
    """Refused (403) unless `user` may ask for `action`: the one check of who may act."""
    if may(machine, obj, action, user):
        return
    who = machine.by_action[action].who
    if who != Who.PLATFORM and "outsider" in machine.refusals and not _side(machine, obj, user):
        who = "outsider"
    code, message = machine.refusals.get(who, ("platform_only", "Practicum does this itself."))
    raise Refused(code, message)


def moves_of(machine: Machine, state: str, who: str) -> list[Move]:
    """The moves a side (`who`) can make from `state`, in the table's order: for pages that
    already know the viewer's side (no permission query per row)."""
    return [m for m in machine.moves if state in m.sources and m.who == who]


def allowed(machine: Machine, obj, user) -> list[Move]:
    """The moves `user` may make on `obj` now (guards aside), in the table's order: the buttons
    pages and the API offer."""
    state = getattr(obj, machine.field)
    return [m for m in machine.moves if state in m.sources and may(machine, obj, m.action, user)]


# --- making a move ----------------------------------------------------------------------

_handlers: dict[tuple[str, str], list[Callable]] = defaultdict(list)


def on(machine: str, action: str):
    """Register `handler(obj, *, by, at, **details)` to run after `action` on `machine`,
    inside the same transaction. Apps register theirs in AppConfig.ready()."""

    def register(handler: Callable) -> Callable:
        if handler not in _handlers[(machine, action)]:
            _handlers[(machine, action)].append(handler)
        return handler

    return register


def handlers(machine: str, action: str) -> list[Callable]:
    return list(_handlers[(machine, action)])


def check(machine: Machine, obj, action: str, *, at: datetime.datetime | None = None) -> Move:
    """The move, if the table has it from `obj`'s state (else Conflict, 409) and its guard
    passes (the guard's own refusal). Services call it early to refuse before doing any work;
    move() calls it again on the locked row."""
    move = machine.by_action[action]
    state = getattr(obj, machine.field)
    if state not in move.sources:
        code, message = machine.refusal(state, move)
        raise Conflict(code, message, status=409)
    if move.guard is not None:
        move.guard(obj, at=at or timezone.now())
    return move


def move(
    machine: Machine,
    obj,
    action: str,
    *,
    by=None,
    at: datetime.datetime | None = None,
    changes: dict | None = None,
    **details,
):
    """Make `action` on `obj`: `by` must be who the row names (403; moves of the platform take
    the person whose move caused them, or None), the table must allow it from the current
    state (409), its guard must pass. Writes the new state (and `changes`, other fields of the same
    row), records the row's event with `details`, then runs the registered handlers. Call it
    inside a transaction, on a row you locked."""
    if machine.by_action[action].who != Who.PLATFORM:
        require(machine, obj, action, by)
    at = at or timezone.now()
    row = check(machine, obj, action, at=at)
    setattr(obj, machine.field, row.target)
    fields = [machine.field]
    if row.changes is not None:
        changes = {**row.changes(at, obj), **(changes or {})}
    if machine.stamp:
        setattr(obj, machine.stamp, at)
        fields.append(machine.stamp)
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
        fields.append(name)
    obj.save(update_fields=fields)
    if row.event:
        record(_engagement_of(obj), row.event, by, at=at, **details)
    for handler in handlers(machine.name, action):
        handler(obj, by=by, at=at, **details)
    return obj


def _engagement_of(obj) -> Engagement:
    return obj if isinstance(obj, Engagement) else obj.engagement


# --- one "today" per engagement ---------------------------------------------------------


def today_of(engagement: Engagement, now: datetime.datetime | None = None) -> datetime.date:
    """The day it is for `engagement`, for both sides, on the web and in the API: the date in
    the project's time zone (Project.zone)."""
    return today_in(engagement.project.zone, now)


# --- guards -----------------------------------------------------------------------------


def _publishable(project: Project, *, at) -> None:
    problems = project_services.publish_problems(
        project_services.current_data(project),
        organization=project.organization,
        today=today_in(project.zone, at),
    )
    if problems:
        raise ValidationError(problems)


def _reopenable(project: Project, *, at) -> None:
    reasons: dict[str, list[str]] = {}
    if project.places_taken >= project.capacity:
        reasons["capacity"] = [
            f"All {project.capacity} place(s) are taken ({project.places_taken} accepted): "
            "raise the capacity to reopen."
        ]
    today = today_in(project.zone, at)
    if project.application_deadline is None or project.application_deadline < today:
        reasons["application_deadline"] = [
            "The application deadline has passed: move it to today or later to reopen."
        ]
    if reasons:
        raise Conflict(
            "cannot_reopen",
            "This project cannot reopen. " + " ".join(m for ms in reasons.values() for m in ms),
            fields=reasons,
        )


def project_full(project: Project) -> Conflict:
    places = "the place is" if project.capacity == 1 else f"all {project.capacity} places are"
    return Conflict("project_full", f"This project is full: {places} taken.")


def _place_available(application: Application, *, at) -> None:
    """Offers are made and accepted only on an open project with a place left."""
    project = application.project
    if project.places_taken >= project.capacity:
        raise project_full(project)
    if project.status != Project.Status.OPEN:
        raise Conflict(
            "project_not_open",
            f"This project is {project.get_status_display().lower()}: "
            "offers can be made and accepted only while it is open.",
        )


def _engagement_active(version: AgreementVersion, *, at) -> None:
    """An amendment is answered only while the engagement is under way: after it is
    cancelled or completed, an open proposal stays as it was, for the record."""
    engagement = version.engagement
    if engagement.state != ES.ACTIVE:
        raise Conflict(
            "engagement_not_active",
            f"This engagement is {engagement.get_state_display().lower()}; "
            "its agreement no longer changes.",
        )


def _agreed_day(engagement: Engagement, name: str) -> datetime.date | None:
    current = engagement.agreement_versions.filter(status=VS.CURRENT).values("terms").first()
    value = (current or {}).get("terms", {}).get(name)
    return datetime.date.fromisoformat(value) if value else getattr(engagement.project, name)


def starts_on(engagement: Engagement) -> datetime.date | None:
    """The first day of the work: the agreement in force says (an amendment may move it)."""
    return _agreed_day(engagement, "starts_on")


def ends_on(engagement: Engagement) -> datetime.date | None:
    """The last day of the work, as the agreement in force says."""
    return _agreed_day(engagement, "ends_on")


def _started(engagement: Engagement, *, at) -> None:
    starts = starts_on(engagement)
    if starts and today_of(engagement, at) < starts:
        raise Conflict(
            "not_started",
            f"The engagement starts on {starts:%-d %b %Y}; it cannot be completed before.",
        )


# --- the tables ---------------------------------------------------------------------------

PS = Project.Status
AS = Application.Status
ES = Engagement.State
VS = AgreementVersion.Status

_PAST_TENSE = {
    "publish": "published",
    "close": "closed",
    "fill": "closed as full",
    "reopen": "reopened",
    "archive": "archived",
}


def _project_refusal(state: str, move: Move) -> tuple[str, str]:
    label = PS(state).label.lower()
    article = "An" if label[0] in "aeiou" else "A"
    return "illegal_transition", f"{article} {label} project cannot be {_PAST_TENSE[move.action]}."


def _application_refusal(state: str, move: Move) -> tuple[str, str]:
    final = " That decision is final." if state in APPLICATION_FINAL else ""
    return (
        "illegal_transition",
        f"An application cannot go from “{AS(state).label}” to “{AS(move.target).label}”.{final}",
    )


def _engagement_refusal(state: str, move: Move) -> tuple[str, str]:
    now = ES(state).label.lower()
    if move.action == "cancel":
        return "not_cancellable", f"This engagement is {now} already."
    if move.action == "complete":
        return (
            "engagement_not_active",
            f"This engagement is {now}; only an active engagement can be completed.",
        )
    return "illegal_transition", f"This engagement is {now}."


def _version_refusal(state: str, move: Move) -> tuple[str, str]:
    return "not_open", f"This version is not open to that ({VS(state).label})."


def _published(at, project):
    return {"published_at": at}


def _closed_by_hand(at, project):
    return {"closed_reason": Project.ClosedReason.MANUAL, "closed_at": at}


def _filled(at, project):
    return {"closed_reason": Project.ClosedReason.FULL, "closed_at": at}


def _reopened(at, project):
    return {"closed_reason": "", "closed_at": None}


def _first_answer(at, application):
    """The organization's first answer to an application (shortlist, offer or rejection): the
    time applicants wait for one is part of what the organization promises."""
    return {} if application.answered_at is not None else {"answered_at": at}


_ORGANIZATION_ONLY = ("not_a_member", "Only members of the project's organization can do this.")
_PARTIES_ONLY = ("not_a_party", "Only the student and the organization's side can change this.")

# fmt: off
PROJECT = Machine(
    "project", Project, "status",
    (
        Move("publish", frozenset({PS.DRAFT}), PS.OPEN, Who.ORGANIZATION, "Publish",
             guard=_publishable, changes=_published),
        Move("close", frozenset({PS.OPEN}), PS.CLOSED, Who.ORGANIZATION, "Close",
             changes=_closed_by_hand),
        Move("fill", frozenset({PS.OPEN}), PS.CLOSED, Who.PLATFORM, "Close when full",
             changes=_filled),
        Move("reopen", frozenset({PS.CLOSED}), PS.OPEN, Who.ORGANIZATION, "Reopen",
             guard=_reopenable, changes=_reopened),
        Move("archive", frozenset({PS.DRAFT, PS.OPEN, PS.CLOSED}), PS.ARCHIVED,
             Who.ORGANIZATION, "Archive"),
    ),
    _project_refusal,
    refusals={Who.ORGANIZATION: _ORGANIZATION_ONLY},
)

_BEFORE_ANSWER = frozenset({AS.SUBMITTED, AS.SHORTLISTED})
APPLICATION_OPEN = _BEFORE_ANSWER | {AS.OFFERED}
APPLICATION_FINAL = frozenset(AS.values) - APPLICATION_OPEN

APPLICATION = Machine(
    "application", Application, "status",
    (
        Move("shortlist", frozenset({AS.SUBMITTED}), AS.SHORTLISTED, Who.ORGANIZATION,
             "Shortlist", changes=_first_answer),
        Move("offer", _BEFORE_ANSWER, AS.OFFERED, Who.ORGANIZATION, "Make an offer",
             guard=_place_available, changes=_first_answer),
        # A published match round offers its matches: who runs the round is the round's rule.
        Move("offer_from_round", _BEFORE_ANSWER, AS.OFFERED, Who.PLATFORM, "Offer from a round",
             guard=_place_available, changes=_first_answer),
        Move("reject", APPLICATION_OPEN, AS.REJECTED, Who.ORGANIZATION, "Reject",
             changes=_first_answer),
        Move("accept", frozenset({AS.OFFERED}), AS.ACCEPTED, Who.STUDENT, "Accept",
             guard=_place_available),
        Move("decline", frozenset({AS.OFFERED}), AS.DECLINED, Who.STUDENT, "Decline"),
        Move("withdraw", APPLICATION_OPEN, AS.WITHDRAWN, Who.STUDENT, "Withdraw"),
        # The platform takes back an offer the project can no longer honour (it filled, was
        # closed or archived); the student is told why.
        Move("withdraw_offer", frozenset({AS.OFFERED}), AS.WITHDRAWN, Who.PLATFORM,
             "Withdraw the offer"),
        # Every applicant gets an answer: when the project stops taking people (it filled, was
        # closed or archived), the platform declines those still waiting for a decision, with
        # a courteous note the student reads on their application.
        Move("decline_unanswered", _BEFORE_ANSWER, AS.REJECTED, Who.PLATFORM,
             "Decline when the project closes", changes=_first_answer),
    ),
    _application_refusal,
    refusals={
        Who.STUDENT: ("not_the_applicant", "Only the student who applied can do this."),
        Who.ORGANIZATION: (
            "not_a_member", "Only members of the project's organization can select applicants."
        ),
    },
    stamp="status_changed_at",
)

# The application moves people make (one page action each); the platform makes the others.
PERSON_ACTIONS = [m.action for m in APPLICATION.moves if m.who != Who.PLATFORM]

ENGAGEMENT = Machine(
    "engagement", Engagement, "state",
    (
        Move("activate", frozenset({ES.AGREEMENT_PENDING}), ES.ACTIVE, Who.PLATFORM,
             "Start the engagement", event=Kind.ACTIVATED),
        Move("complete", frozenset({ES.ACTIVE}), ES.COMPLETED, Who.ORGANIZATION, "Complete",
             event=Kind.COMPLETED, guard=_started),
        Move("cancel", frozenset({ES.AGREEMENT_PENDING, ES.ACTIVE}), ES.CANCELLED, Who.PARTY,
             "Cancel the engagement", event=Kind.CANCELLED),
    ),
    _engagement_refusal,
    refusals={
        "outsider": _PARTIES_ONLY,
        Who.PARTY: _PARTIES_ONLY,
        Who.ORGANIZATION: ("wrong_side", "Only the organization's mentor or an owner can do this."),
    },
    stamp="state_changed_at",
)

AGREEMENT = Machine(
    "agreement", AgreementVersion, "status",
    (
        Move("replace", frozenset({VS.DRAFT}), VS.SUPERSEDED, Who.PARTY, "Propose an edit"),
        Move("take_effect", frozenset({VS.DRAFT}), VS.CURRENT, Who.PLATFORM, "Take effect"),
        Move("supersede", frozenset({VS.CURRENT}), VS.SUPERSEDED, Who.PLATFORM, "Supersede"),
    ),
    _version_refusal,
    refusals={"outsider": _PARTIES_ONLY, Who.PARTY: _PARTIES_ONLY},
)

AMENDMENT = Machine(
    "amendment", AgreementVersion, "status",
    (
        Move("accept", frozenset({VS.PROPOSED}), VS.CURRENT, Who.OTHER_PARTY,
             "Accept the amendment", event=Kind.AMENDMENT_ACCEPTED, guard=_engagement_active),
        Move("reject", frozenset({VS.PROPOSED}), VS.REJECTED, Who.OTHER_PARTY,
             "Reject the amendment", event=Kind.AMENDMENT_REJECTED, guard=_engagement_active),
    ),
    _version_refusal,
    refusals={
        "outsider": _PARTIES_ONLY,
        Who.OTHER_PARTY: (
            "own_amendment", "The other side answers an amendment, not its proposer."
        ),
    },
)
# fmt: on

MACHINES = {m.name: m for m in (PROJECT, APPLICATION, ENGAGEMENT, AGREEMENT, AMENDMENT)}


# --- the lifecycle's own reactions ------------------------------------------------------

# Why the platform took an offer back, by the project's move that made it do so.
WITHDRAWN_BECAUSE = {
    "fill": "project_full",
    "close": "project_closed",
    "archive": "project_archived",
}


def take_place(project: Project, *, by, at) -> None:
    """An offer was accepted on `project` (locked by the caller): one place fewer; the last one
    closes the project ("fill"), which takes back every offer still open on it."""
    project_services.count_place(project, taken=+1)
    if project.status == PS.OPEN and project.places_taken >= project.capacity:
        move(PROJECT, project, "fill", by=by, at=at)


def _when_the_project_stops(reasons: dict, *, statuses, action, why, notice, related):
    """When the project stops taking people (one of the moves in `reasons`), each of its
    applications in `statuses` makes the platform's `action`, its field `why` set to the
    reason of that move, and its student is told by `notices.<notice>` (one move and one
    notification each)."""

    def for_reason(reason: str):
        def handler(project: Project, *, by, at, **details) -> None:
            from practicum.engagements import notices

            applications = Application.objects.select_for_update().filter(
                project=project, status__in=statuses
            )
            for application in applications.select_related(*related):
                move(APPLICATION, application, action, at=at, changes={why: reason})
                getattr(notices, notice)(application)

        return handler

    for project_action, reason in reasons.items():
        on("project", project_action)(for_reason(reason))


# The offers still open are taken back.
_when_the_project_stops(
    WITHDRAWN_BECAUSE,
    statuses={AS.OFFERED},
    action="withdraw_offer",
    why="withdrawn_reason",
    notice="offer_withdrawn",
    related=("project", "student"),
)

# Why the platform declined the applications nobody had decided on, by the project's move.
DECLINED_BECAUSE = WITHDRAWN_BECAUSE

# No applicant is left waiting on a project that takes nobody more: each one still submitted
# or shortlisted is declined.
_when_the_project_stops(
    DECLINED_BECAUSE,
    statuses=_BEFORE_ANSWER,
    action="decline_unanswered",
    why="declined_reason",
    notice="declined_at_close",
    related=("project__organization", "student"),
)


@on("engagement", "cancel")
def _free_the_place(engagement: Engagement, *, by, at, **details) -> None:
    """A cancelled engagement gives its place back. The project does not reopen by itself (its
    offers were taken back when it filled); the organization may reopen it."""
    project = Project.objects.select_for_update().get(pk=engagement.project_id)
    project_services.count_place(project, taken=-1)
