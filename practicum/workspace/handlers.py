"""What the workspace does when the lifecycle moves (registered on engagements.lifecycle, run
inside the move's transaction), so the workspace follows the terms in force."""

from practicum.engagements import lifecycle
from practicum.workspace.checkins import services as checkins
from practicum.workspace.learning import services as learning


@lifecycle.on("agreement", "take_effect")
@lifecycle.on("amendment", "accept")
def agreement_in_force(current, *, by, at, **details) -> None:
    """A version became current (both signed, or an amendment was accepted): schedule the
    check-ins its cadence and dates call for and bring its learning goals into the plan."""
    checkins.schedule(current.engagement, current.terms)
    learning.sync_goals(current.engagement, current.terms)


@lifecycle.on("engagement", "complete")
@lifecycle.on("engagement", "cancel")
def engagement_closed(engagement, *, by, at, **details) -> None:
    """Completed or cancelled: the check-ins still to come are called off."""
    checkins.cancel_upcoming(engagement, now=at)
