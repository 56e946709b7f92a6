"""Who may do what with match rounds: one place, for views, API and templates.

A round is run by its *staff*: the career-center staff of its institution, or the owners of its
organization. Its participants are the students in it and the members (owners and mentors) of
the organizations whose projects are in it; they know of the round once ranking has opened.
Everybody else, and participants while the round is a draft, get a 404 as if it did not exist.
Participants who try a staff action are refused with a 403.
"""

import rules

from practicum.accounts.models import Membership
from practicum.accounts.rules import is_institution_staff, is_org_owner
from practicum.rounds.models import MatchRound, RoundStudent


@rules.predicate
def is_round_staff(user, match_round) -> bool:
    if not user.is_authenticated or match_round is None:
        return False
    if match_round.institution_id is not None:
        return user.staff_roles.filter(institution_id=match_round.institution_id).exists()
    return Membership.objects.filter(
        user=user, organization_id=match_round.organization_id, role=Membership.Role.OWNER
    ).exists()


@rules.predicate
def is_past_draft(user, match_round) -> bool:
    return match_round is not None and match_round.state != MatchRound.State.DRAFT


@rules.predicate
def is_round_student(user, match_round) -> bool:
    if not user.is_authenticated or match_round is None:
        return False
    return RoundStudent.objects.filter(round=match_round, student=user).exists()


@rules.predicate
def has_project_in_round(user, match_round) -> bool:
    if not user.is_authenticated or match_round is None:
        return False
    return Membership.objects.filter(
        user=user, organization__projects__round_entries__round=match_round
    ).exists()


@rules.predicate
def is_round_project_member(user, round_project) -> bool:
    """A member of the organization whose project this is (load it with project)."""
    if not user.is_authenticated or round_project is None:
        return False
    return Membership.objects.filter(
        user=user, organization_id=round_project.project.organization_id
    ).exists()


@rules.predicate
def round_project_is_past_draft(user, round_project) -> bool:
    return round_project is not None and is_past_draft(user, round_project.round)


# The object is the round.
rules.add_perm(
    "rounds.view_round",
    is_round_staff | (is_past_draft & (is_round_student | has_project_in_round)),
)
rules.add_perm("rounds.manage_round", is_round_staff)
rules.add_perm("rounds.rank_projects", is_past_draft & is_round_student)
# The object is a RoundProject (with its round and project loaded).
rules.add_perm("rounds.rank_applicants", round_project_is_past_draft & is_round_project_member)
# The object is the body that would own the new round.
rules.add_perm("rounds.create_institution_round", is_institution_staff)
rules.add_perm("rounds.create_organization_round", is_org_owner)
