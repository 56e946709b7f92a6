import pytest

from practicum.accounts.models import User
from tests.factories import InstitutionFactory, SkillFactory, UserFactory


@pytest.fixture(autouse=True)
def _ids_differ(db):
    """Users without profiles first, so a profile's id never equals its user's id by chance
    (the profile pages and API address profiles by the profile's id)."""
    UserFactory.create_batch(3, account_type=User.AccountType.ORGANIZATION)


@pytest.fixture
def profile(student):
    return student.student_profile


@pytest.fixture
def skills(db):
    return SkillFactory.create_batch(4)


@pytest.fixture
def institution(db):
    return InstitutionFactory()
