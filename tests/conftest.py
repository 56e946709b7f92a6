import json
import os

import pytest
from django.core.cache import cache
from django.test import Client
from joserfc.jwk import OKPKey

from tests.factories import PASSWORD, MembershipFactory, StudentFactory

pytest_plugins = ["tests.fixtures_engagements"]


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: every test must run on every database."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") == "true" and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI forbids skipped tests; see the skip reasons above.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests check behaviour, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# One signing key for the whole run: tests never write a key file into the project folder.
CREDENTIAL_KEYS = json.dumps(
    {"keys": [OKPKey.generate_key("Ed25519", private=True).as_dict(private=True)]}
)


@pytest.fixture(autouse=True)
def _credential_keys(settings):
    settings.CREDENTIALS_SIGNING_KEYS = CREDENTIAL_KEYS


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def student(db):
    return StudentFactory()


@pytest.fixture
def owner(db):
    """An organization owner (user); their organization is owner.memberships.get().organization."""
    return MembershipFactory().user


@pytest.fixture
def client_for():
    """A logged-in Django test client for a user."""

    def make(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def api_client_for(db):
    """A test client that authenticates with a fresh read-and-write personal API token
    (Bearer)."""
    from practicum.accounts.models import ApiToken
    from practicum.accounts.services import create_api_token

    def make(user):
        _, raw = create_api_token(user, name="tests", scope=ApiToken.Scope.WRITE)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


__all__ = ["PASSWORD"]
