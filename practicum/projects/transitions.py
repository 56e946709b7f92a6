"""The project state machine: every status change a project can make, in one table.

    draft ─publish→ open ─close→ closed ─reopen→ open
    draft / open / closed ─archive→ archived

Services look an action up here before they change anything, and pages and the API show only
the actions the table allows. The table says which moves exist; the checks that depend on more
than the status (publishing validates the project, reopening needs a place and a deadline
ahead) live with the action in services.py.
"""

from practicum.core.state_machine import Transition, TransitionTable
from practicum.projects.models import Project

Status = Project.Status

# How the refusal names each action: "An archived project cannot be reopened."
_PAST_TENSE = {
    "publish": "published",
    "close": "closed",
    "reopen": "reopened",
    "archive": "archived",
}


def _refusal(status: str, action: str) -> str:
    label = Status(status).label.lower()
    article = "An" if label[0] in "aeiou" else "A"
    return f"{article} {label} project cannot be {_PAST_TENSE.get(action, action)}."


TABLE = TransitionTable(
    [
        Transition("publish", frozenset({Status.DRAFT}), Status.OPEN, "Publish"),
        Transition("close", frozenset({Status.OPEN}), Status.CLOSED, "Close"),
        Transition("reopen", frozenset({Status.CLOSED}), Status.OPEN, "Reopen"),
        Transition(
            "archive",
            frozenset({Status.DRAFT, Status.OPEN, Status.CLOSED}),
            Status.ARCHIVED,
            "Archive",
        ),
    ],
    refusal=_refusal,
)
TRANSITIONS = TABLE.by_action


def allowed_actions(status: str) -> list[Transition]:
    """The transitions a project in `status` can make, in the table's order."""
    return TABLE.allowed(status)


def target_of(project: Project, action: str) -> str:
    """The status `action` moves the project to; Conflict("illegal_transition") when the table
    has no such move from the project's status."""
    return TABLE.target(project.status, action)
