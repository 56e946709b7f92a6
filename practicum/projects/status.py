"""A project's status changes (publish, close, reopen, archive), whose table the engagement
lifecycle owns: engagements/lifecycle.py declares every move and makes it. Projects sits below
engagements and cannot import it, so the lifecycle plugs in here when Django starts
(EngagementsConfig.ready) and the project pages and API call these two functions."""

from collections.abc import Callable
from dataclasses import dataclass

# The actions people take from the project page, in the order of its buttons.
ACTIONS = ("publish", "close", "reopen", "archive")


@dataclass(frozen=True)
class Action:
    action: str
    label: str


_lifecycle: dict[str, Callable] = {}


def install(*, change: Callable, allowed: Callable) -> None:
    """`change(project, action, by=user)` makes the move (one transaction) and returns the
    project; `allowed(project, user)` lists the Actions `user` may take on it now."""
    _lifecycle.update(change=change, allowed=allowed)


def change(project, action: str, *, by):
    return _lifecycle["change"](project, action, by=by)


def allowed(project, user) -> list[Action]:
    return _lifecycle["allowed"](project, user)
