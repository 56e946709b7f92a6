import datetime

import pytest
from django.utils import timezone

from practicum.accounts.models import Membership, User
from tests.factories import (
    AvailabilityWindowFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectSkillFactory,
    SkillFactory,
    StudentFactory,
    StudentSkillFactory,
    UserFactory,
)


def days(n: int) -> datetime.date:
    """The date n days from today (the day the services call "today")."""
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _ids_differ(db):
    """Users without profiles first, so a profile's id never equals its user's id by chance
    (profile pages, the engine's student ids and the API use the profile's id)."""
    UserFactory.create_batch(3, account_type=User.AccountType.ORGANIZATION)


@pytest.fixture
def python(db):
    return SkillFactory(name="Python")


@pytest.fixture
def sql(db):
    return SkillFactory(name="SQL")


def make_student(*, skills=(), windows=(), discoverable=False, **fields):
    """A student whose profile holds `skills` ((skill, level) pairs) and availability
    `windows` ((start, end) pairs); other profile fields as given."""
    user = StudentFactory(**({"name": fields.pop("name")} if "name" in fields else {}))
    profile = user.student_profile
    for name, value in {"discoverable": discoverable, **fields}.items():
        setattr(profile, name, value)
    profile.save()
    for skill, level in skills:
        StudentSkillFactory(profile=profile, skill=skill, level=level)
    for start, end in windows:
        AvailabilityWindowFactory(profile=profile, starts_on=start, ends_on=end)
    return user


def make_project(*, required=(), preferred=(), **fields):
    """An open project asking for `required` and `preferred` ((skill, level) pairs)."""
    project = ProjectFactory(**fields)
    for skill, level in required:
        ProjectSkillFactory(project=project, skill=skill, min_level=level, is_required=True)
    for skill, level in preferred:
        ProjectSkillFactory(project=project, skill=skill, min_level=level, is_required=False)
    return project


@pytest.fixture
def analyst(python, sql):
    """A student with Python and SQL at "proficient", interested in data analysis."""
    return make_student(
        skills=[(python, 3), (sql, 3)],
        interests=["data analysis", "dashboards"],
        about="I analyse survey data with Python.",
        learning_goals=["Presenting findings"],
        weekly_hours=12,
    )


@pytest.fixture
def organization(db):
    return MembershipFactory().organization


@pytest.fixture
def member(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user


@pytest.fixture
def outsider(db):
    """The owner of another organization."""
    return MembershipFactory().user
