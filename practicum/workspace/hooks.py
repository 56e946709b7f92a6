"""What the workspace does when the agreement changes: called by engagements.agreements (and
by completion) inside their transactions, so the workspace follows the terms in force."""

from practicum.workspace.checkins import services as checkins
from practicum.workspace.learning import services as learning


def agreement_in_force(engagement, version) -> None:
    """A version became current (both signed, or an amendment was accepted): schedule the
    check-ins its cadence and dates call for and bring its learning goals into the plan."""
    checkins.schedule(engagement, version.terms)
    learning.sync_goals(engagement, version.terms)


def engagement_closed(engagement, *, now=None) -> None:
    """Cancelled or completed (at `now`, by default now): check-ins still to come are called
    off."""
    checkins.cancel_upcoming(engagement, now=now)
