"""The application state machine: every status change an application can make, in one table.

    submitted ─shortlist→ shortlisted ─offer→ offered ─accept→ accepted
        │  └───────────offer──────────────────↗    └─decline→ declined
        └─ submitted / shortlisted / offered ─reject→ rejected    (the organization)
        └─ submitted / shortlisted / offered ─withdraw→ withdrawn (the student)

Accepted, declined, rejected and withdrawn are final. Rejecting an offered application is how
an organization rescinds an offer. Each move is made by one side only: the student answers
(withdraw, accept, decline), the organization selects (shortlist, offer, reject).

Services look a move up here before they change anything, and pages and the API offer only the
moves the table allows. Checks that depend on more than the status (an offer's expiry, the
project's capacity, the student's hours) live with the action in services.py.
"""

from dataclasses import dataclass

from practicum.core.errors import Conflict
from practicum.engagements.models import Application, Side

Status = Application.Status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    side: str
    label: str  # the button people press


_BEFORE_ANSWER = frozenset({Status.SUBMITTED, Status.SHORTLISTED})
_OPEN = _BEFORE_ANSWER | {Status.OFFERED}

_SUBMITTED = frozenset({Status.SUBMITTED})
_OFFERED = frozenset({Status.OFFERED})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("shortlist", _SUBMITTED, Status.SHORTLISTED, Side.ORGANIZATION, "Shortlist"),
        Transition("offer", _BEFORE_ANSWER, Status.OFFERED, Side.ORGANIZATION, "Make an offer"),
        Transition("reject", _OPEN, Status.REJECTED, Side.ORGANIZATION, "Reject"),
        Transition("accept", _OFFERED, Status.ACCEPTED, Side.STUDENT, "Accept"),
        Transition("decline", _OFFERED, Status.DECLINED, Side.STUDENT, "Decline"),
        Transition("withdraw", _OPEN, Status.WITHDRAWN, Side.STUDENT, "Withdraw"),
    )
}

FINAL = frozenset(Status.values) - _OPEN


def is_allowed(source: str, target: str) -> bool:
    return any(source in t.sources and t.target == target for t in TRANSITIONS.values())


def check(source: str, target: str) -> None:
    """Conflict("illegal_transition", 409) unless the table has a move from source to target."""
    if not is_allowed(source, target):
        final = " That decision is final." if source in FINAL else ""
        raise Conflict(
            "illegal_transition",
            f"An application cannot go from “{Status(source).label}” to "
            f"“{Status(target).label}”.{final}",
            status=409,
        )


def allowed_actions(status: str, side: str) -> list[Transition]:
    """The moves `side` can make on an application in `status`, in the table's order."""
    return [t for t in TRANSITIONS.values() if t.side == side and status in t.sources]
