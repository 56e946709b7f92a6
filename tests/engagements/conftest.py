import pytest

from practicum.accounts.models import User
from tests.factories import UserFactory
from tests.fixtures_engagements import days, make_offered  # noqa: F401  (re-exported for tests)


@pytest.fixture(autouse=True)
def _ids_differ(db):
    """Users without profiles first, so a profile's id never equals its user's id by chance
    (the profile page is addressed by the profile's id)."""
    UserFactory.create_batch(3, account_type=User.AccountType.ORGANIZATION)
