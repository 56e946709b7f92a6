"""A state machine as data: which action moves an object from which states to which state.

Each app keeps its own table (the drawing and the words of its refusals); this is the one
mechanism they share, so every illegal move is refused the same way: Conflict
("illegal_transition", 409) with a sentence that names the state and the action.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from practicum.core.errors import Conflict


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str  # the button people press


class TransitionTable:
    def __init__(self, transitions: Iterable[Transition], *, refusal: Callable[[str, str], str]):
        """`refusal(state, action)` words the sentence of a refused move."""
        self.by_action: dict[str, Transition] = {t.action: t for t in transitions}
        self._refusal = refusal

    def allowed(self, state: str) -> list[Transition]:
        """The transitions from `state`, in the table's order."""
        return [t for t in self.by_action.values() if state in t.sources]

    def target(self, state: str, action: str) -> str:
        """Where `action` leads from `state`; Conflict("illegal_transition") when nowhere."""
        transition = self.by_action.get(action)
        if transition is None or state not in transition.sources:
            raise Conflict("illegal_transition", self._refusal(state, action), status=409)
        return transition.target
