"""A state machine as data: which action moves an object from which states to which state.

The lifecycle (engagements/lifecycle.py) has its own, richer tables; the other machines (match
rounds, check-ins, submissions, payments, learning items, emails) use this one. Each app keeps
its own table (the drawing and the words of its refusals); this is the one mechanism they
share, and the only code besides the lifecycle that writes a state: every illegal move is
refused the same way, Conflict("illegal_transition", 409) with a sentence that names the state
and the action.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from practicum.core.errors import Conflict


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str  # the button people press


class TransitionTable:
    def __init__(
        self,
        transitions: Iterable[Transition],
        *,
        refusal: Callable[[str, str], str],
        field: str = "status",
    ):
        """`refusal(state, action)` words the sentence of a refused move; `field` is the model
        field that holds the state."""
        self.by_action: dict[str, Transition] = {t.action: t for t in transitions}
        self._refusal = refusal
        self.field = field

    def allowed(self, state: str) -> list[Transition]:
        """The transitions from `state`, in the table's order."""
        return [t for t in self.by_action.values() if state in t.sources]

    def target(self, state: str, action: str) -> str:
        """Where `action` leads from `state`; Conflict("illegal_transition") when nowhere."""
        transition = self.by_action.get(action)
        if transition is None or state not in transition.sources:
            raise Conflict("illegal_transition", self._refusal(state, action), status=409)
        return transition.target

    def move(self, obj: Model, action: str, **changes) -> Model:
        """Make `action` on `obj` (a row the caller locked): the new state and `changes`
        (other fields of the same row) are saved together."""
        setattr(obj, self.field, self.target(getattr(obj, self.field), action))
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save(update_fields=[self.field, *changes])
        return obj

    def move_all(self, rows: QuerySet, action: str, **changes) -> int:
        """Make `action` on every row of `rows` that the table allows it from, in one UPDATE;
        the others are left as they are. Returns how many moved."""
        transition = self.by_action[action]
        allowed = rows.filter(**{f"{self.field}__in": transition.sources})
        return allowed.update(**{self.field: transition.target}, **changes)
