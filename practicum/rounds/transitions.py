"""The match round state machine: every state change a round can make, in one table.

    draft ─open→ ranking ─run→ matched ─publish→ published
                    ↑            │
                    └──reopen────┘
    draft / ranking / matched ─cancel→ cancelled

"matched" is the preview: the result exists but only the round's staff see it, and re-opening
ranking throws it away. Published and cancelled are final. Services look an action up here
before they change anything; pages and the API offer only the actions the table allows. Checks
that depend on more than the state (a deadline ahead to open, a deadline passed to run) live
with the action in services.py.
"""

from practicum.core.state_machine import Transition, TransitionTable
from practicum.rounds.models import MatchRound

State = MatchRound.State

# How a refusal names each action: "A published round cannot be run."
_PAST_PARTICIPLE = {
    "open": "opened for ranking",
    "run": "run",
    "reopen": "re-opened for ranking",
    "publish": "published",
    "cancel": "cancelled",
}


def _refusal(state: str, action: str) -> str:
    label = State(state).label.lower()
    return f"A round in the state “{label}” cannot be {_PAST_PARTICIPLE.get(action, action)}."


TABLE = TransitionTable(
    [
        Transition("open", frozenset({State.DRAFT}), State.RANKING, "Open ranking"),
        Transition("run", frozenset({State.RANKING}), State.MATCHED, "Run the match"),
        Transition("reopen", frozenset({State.MATCHED}), State.RANKING, "Re-open ranking"),
        Transition("publish", frozenset({State.MATCHED}), State.PUBLISHED, "Publish the results"),
        Transition(
            "cancel",
            frozenset({State.DRAFT, State.RANKING, State.MATCHED}),
            State.CANCELLED,
            "Cancel the round",
        ),
    ],
    refusal=_refusal,
    field="state",
)
TRANSITIONS = TABLE.by_action

# States in which the round's projects, students and deadline may still change.
EDITABLE = frozenset({State.DRAFT, State.RANKING})


def allowed_actions(state: str) -> list[Transition]:
    """The transitions a round in `state` can make, in the table's order."""
    return TABLE.allowed(state)


def target_of(match_round: MatchRound, action: str) -> str:
    """The state `action` moves the round to; Conflict("illegal_transition", 409) when the table
    has no such move from the round's state."""
    return TABLE.target(match_round.state, action)
