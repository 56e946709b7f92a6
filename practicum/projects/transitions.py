"""The project state machine: every status change a project can make, in one table.

    draft ─publish→ open ─close→ closed ─reopen→ open
    draft / open / closed ─archive→ archived

Services look an action up here before they change anything, and pages and the API show only
the actions the table allows. The table says which moves exist; the checks that depend on more
than the status (publishing validates the project, reopening needs a place and a deadline
ahead) live with the action in services.py.
"""

from dataclasses import dataclass

from practicum.core.errors import Conflict
from practicum.projects.models import Project

Status = Project.Status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str  # the button people press


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("publish", frozenset({Status.DRAFT}), Status.OPEN, "Publish"),
        Transition("close", frozenset({Status.OPEN}), Status.CLOSED, "Close"),
        Transition("reopen", frozenset({Status.CLOSED}), Status.OPEN, "Reopen"),
        Transition(
            "archive",
            frozenset({Status.DRAFT, Status.OPEN, Status.CLOSED}),
            Status.ARCHIVED,
            "Archive",
        ),
    )
}

# How the refusal names each action: "An archived project cannot be reopened."
_PAST_TENSE = {
    "publish": "published",
    "close": "closed",
    "reopen": "reopened",
    "archive": "archived",
}


def allowed_actions(status: str) -> list[Transition]:
    """The transitions a project in `status` can make, in the table's order."""
    return [t for t in TRANSITIONS.values() if status in t.sources]


def target_of(project: Project, action: str) -> str:
    """The status `action` moves the project to; Conflict("illegal_transition") when the table
    has no such move from the project's status."""
    transition = TRANSITIONS.get(action)
    if transition is None or project.status not in transition.sources:
        status = Status(project.status).label.lower()
        article = "An" if status[0] in "aeiou" else "A"
        done = _PAST_TENSE.get(action, action)
        raise Conflict(
            "illegal_transition", f"{article} {status} project cannot be {done}.", status=409
        )
    return transition.target
