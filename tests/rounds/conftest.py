import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from practicum.accounts.models import Membership, User
from practicum.rounds import services
from practicum.rounds.models import MatchRound
from tests.factories import (
    InstitutionFactory,
    InstitutionStaffFactory,
    MembershipFactory,
    ProjectFactory,
    StudentFactory,
    UserFactory,
)


def later(**delta) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**delta)


def student_of(institution, **kwargs) -> User:
    return StudentFactory(profile__institution=institution, **kwargs)


def pass_deadline(match_round: MatchRound) -> MatchRound:
    """Move the deadline into the past, as time would (the services refuse a past deadline)."""
    MatchRound.objects.filter(pk=match_round.pk).update(ranking_deadline=later(minutes=-1))
    match_round.refresh_from_db()
    return match_round


@pytest.fixture(autouse=True)
def _ids_differ(db):
    """Users without profiles first, so user ids and profile ids never coincide by chance."""
    UserFactory.create_batch(3, account_type=User.AccountType.ORGANIZATION)


@pytest.fixture
def institution(db):
    return InstitutionFactory(name="Northfield University")


@pytest.fixture
def staff(institution):
    """Career-center staff of `institution`."""
    return InstitutionStaffFactory(institution=institution).user


@pytest.fixture
def org_owner(db):
    return MembershipFactory().user


@pytest.fixture
def organization(org_owner):
    return org_owner.memberships.get().organization


@pytest.fixture
def org_mentor(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user


@pytest.fixture
def other_owner(db):
    """The owner of another organization, with a project of its own."""
    return MembershipFactory().user


@pytest.fixture
def other_organization(other_owner):
    return other_owner.memberships.get().organization


@pytest.fixture
def project_a(organization):
    return ProjectFactory(organization=organization, title="Survey analysis", capacity=1)


@pytest.fixture
def project_b(other_organization):
    return ProjectFactory(organization=other_organization, title="Map cleanup", capacity=2)


@pytest.fixture
def students(institution):
    """Three students of `institution`: Ada, Ben, Cleo (ids in that order)."""
    return [student_of(institution, name=name) for name in ("Ada", "Ben", "Cleo")]


@pytest.fixture
def outsider_student(db):
    """A student of no institution, in no round."""
    return StudentFactory()


@pytest.fixture
def draft_round(staff, institution, project_a, project_b, students):
    """An institution's draft round with both projects and the three students, deadline ahead."""
    match_round = services.create_round(
        by=staff, name="Spring cohort", institution=institution, ranking_deadline=later(days=7)
    )
    services.add_project(match_round, by=staff, project=project_a)
    services.add_project(match_round, by=staff, project=project_b)
    services.add_students(match_round, by=staff, emails=[s.email for s in students])
    return match_round


@pytest.fixture
def ranking_round(draft_round, staff):
    """`draft_round` open for ranking."""
    return services.open_ranking(draft_round, by=staff)


@dataclass
class Ranked:
    round: MatchRound
    staff: User
    students: list
    project_a: object
    project_b: object


@pytest.fixture
def ranked(ranking_round, staff, students, project_a, project_b, org_owner, other_owner):
    """Everyone has ranked. Ada and Ben want A (1 place) first, Cleo wants B first.
    A ranks Ben over Ada; B (2 places) ranks Ada, Cleo (not Ben).
    The stable match: Ben → A (1st choice), Ada → B (2nd), Cleo → B (1st)."""
    ada, ben, cleo = students
    a, b = project_a.pk, project_b.pk
    services.rank_projects(ranking_round, by=ada, project_ids=[a, b])
    services.rank_projects(ranking_round, by=ben, project_ids=[a, b])
    services.rank_projects(ranking_round, by=cleo, project_ids=[b])
    entry_a = ranking_round.projects.get(project=project_a)
    entry_b = ranking_round.projects.get(project=project_b)
    services.rank_applicants(entry_a, by=org_owner, student_ids=[ben.pk, ada.pk])
    services.rank_applicants(entry_b, by=other_owner, student_ids=[ada.pk, cleo.pk])
    return Ranked(ranking_round, staff, students, project_a, project_b)


@pytest.fixture
def matched(ranked):
    services.run_round(ranked.round, by=ranked.staff, force=True)
    ranked.round.refresh_from_db()
    return ranked


@pytest.fixture
def published(matched):
    services.publish_round(matched.round, by=matched.staff)
    matched.round.refresh_from_db()
    return matched
