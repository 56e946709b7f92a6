"""Who may do what: the permissions matrix of rules.py."""

import pytest
from django.contrib.auth.models import AnonymousUser

from practicum.rounds import selectors, services
from tests.factories import InstitutionStaffFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PERMS = ("view_round", "manage_round", "rank_projects")


@pytest.fixture
def people(staff, org_owner, org_mentor, other_owner, students, outsider_student):
    """Everyone who might look at `draft_round` (projects A of org_owner, B of other_owner)."""
    return {
        "staff": staff,
        "staff of another institution": InstitutionStaffFactory().user,
        "owner with a project in it": org_owner,
        "mentor with a project in it": org_mentor,
        "owner of the other project": other_owner,
        "owner outside it": MembershipFactory().user,
        "student in it": students[0],
        "student outside it": outsider_student,
        "anonymous": AnonymousUser(),
    }


# (view_round, manage_round, rank_projects), then rank_applicants on project A.
WHILE_RANKING = {
    "staff": (True, True, False, False),
    "staff of another institution": (False, False, False, False),
    "owner with a project in it": (True, False, False, True),
    "mentor with a project in it": (True, False, False, True),
    "owner of the other project": (True, False, False, False),
    "owner outside it": (False, False, False, False),
    "student in it": (True, False, True, False),
    "student outside it": (False, False, False, False),
    "anonymous": (False, False, False, False),
}


def perms_of(user, match_round, entry) -> tuple:
    return (
        *(user.has_perm(f"rounds.{perm}", match_round) for perm in PERMS),
        user.has_perm("rounds.rank_applicants", entry),
    )


@pytest.mark.parametrize("who", WHILE_RANKING)
def test_while_ranking(ranking_round, people, project_a, who):
    entry = selectors.round_project(ranking_round, project_a.pk)

    assert perms_of(people[who], ranking_round, entry) == WHILE_RANKING[who]


@pytest.mark.parametrize("who", WHILE_RANKING)
def test_a_draft_exists_only_for_its_staff(draft_round, people, project_a, who):
    entry = selectors.round_project(draft_round, project_a.pk)
    expected = (True, True, False, False) if who == "staff" else (False,) * 4

    assert perms_of(people[who], draft_round, entry) == expected


def test_an_organizations_round_is_run_by_its_owners(org_owner, org_mentor, organization):
    match_round = services.create_round(by=org_owner, name="R", organization=organization)

    assert org_owner.has_perm("rounds.manage_round", match_round)
    assert not org_mentor.has_perm("rounds.manage_round", match_round)
    assert org_owner.has_perm("rounds.create_organization_round", organization)
    assert not org_mentor.has_perm("rounds.create_organization_round", organization)


def test_who_may_start_an_institutions_round(staff, institution, org_owner):
    assert staff.has_perm("rounds.create_institution_round", institution)
    assert not org_owner.has_perm("rounds.create_institution_round", institution)
