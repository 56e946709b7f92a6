"""Who may read and who may change an engagement's workspace: one place for every section's
pages and API.

Reading and changing: the student, the mentor and the organization's owners
(engagements.view_engagement, act_on_engagement); everybody else gets a 404, as if the
engagement did not exist: career-center staff (who see a consenting student's outcomes in the
careers app) and platform admins (who are no party) too. Services, which anyone may call,
refuse a non-party with a 403. Sections that belong to one side (the student submits, the
organization reviews) check that side with `require_side`.
"""

from practicum.core.errors import Conflict, Refused
from practicum.engagements import selectors
from practicum.engagements.events import side_of
from practicum.engagements.models import Engagement, Side

State = Engagement.State
WORKING = (State.ACTIVE,)
TALKING = (State.AGREEMENT_PENDING, State.ACTIVE)  # messages may start before the work does


readable = selectors.readable_engagement


def can_act(user, engagement: Engagement) -> bool:
    return user.has_perm("engagements.act_on_engagement", engagement)


def require_party(user, engagement: Engagement) -> str:
    """The side the user acts for; Refused (403) for anyone who is no party."""
    if not can_act(user, engagement):
        raise Refused(
            "not_a_party", "Only the student and the organization's side can change this."
        )
    return side_of(user, engagement)


def require_side(user, engagement: Engagement, side: str) -> None:
    if require_party(user, engagement) != side:
        who = "the student" if side == Side.STUDENT else "the organization's mentor or an owner"
        raise Refused("wrong_side", f"Only {who} can do this.")


def require_state(engagement: Engagement, states=WORKING) -> None:
    if engagement.state not in states:
        raise Conflict(
            "engagement_not_active",
            f"This engagement is {engagement.get_state_display().lower()}; "
            "the workspace is read-only.",
        )
