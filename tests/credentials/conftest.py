"""Credentials of engagements completed through the real services: issued at completion, and
issued again once the final reviews bring endorsed skills."""

import json
from pathlib import Path

import jsonschema
import pytest

from practicum.accounts.models import User
from practicum.completion import services as completion
from practicum.credentials.models import Credential
from tests.completion.conftest import accept_every_deliverable
from tests.factories import SkillFactory, UserFactory
from tests.reviews.conftest import open_final, submit

# Open Badges 3.0's JSON schema lives in shared/standards beside the repository (../shared from
# its root; a worktree sits one folder deeper, so the nearest such folder above counts).
SCHEMA_NAME = "ob_v3p0_achievementcredential_schema.json"
REPOSITORY = Path(__file__).resolve().parents[2]


def schema_file() -> Path:
    for folder in REPOSITORY.parents:
        candidate = folder / "shared" / "standards" / SCHEMA_NAME
        if candidate.is_file():
            return candidate
    pytest.fail(
        f"The Open Badges 3.0 schema is missing: expected {REPOSITORY.parent}/shared/standards/"
        f"{SCHEMA_NAME} (the shared/ folder beside the repository)."
    )


@pytest.fixture(scope="session")
def ob3_validator():
    schema = json.loads(schema_file().read_text())
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )


@pytest.fixture
def platform_admin(db):
    return UserFactory(account_type=User.AccountType.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def skills(db):
    return [SkillFactory(name="Survey analysis"), SkillFactory(name="Data cleaning")]


def complete(engagement, student, mentor):
    """Every deliverable accepted, then completed by the mentor: the credential is issued."""
    accept_every_deliverable(engagement, student, mentor)
    completion.complete(engagement, by=mentor)
    engagement.refresh_from_db()
    return engagement


def endorse(engagement, student, mentor, endorsements):
    """Both final reviews, the organization's endorsing `endorsements` [(skill, level)]."""
    submit(
        engagement,
        "final",
        mentor,
        endorsements=[{"skill": skill.pk, "level": level} for skill, level in endorsements],
    )
    submit(engagement, "final", student)


@pytest.fixture
def completed(active_engagement, student, mentor):
    """Ended yesterday (the final round is open), every deliverable accepted, completed: its
    credential carries no endorsement yet."""
    return complete(open_final(active_engagement), student, mentor)


@pytest.fixture
def credential(completed) -> Credential:
    """The credential issued at completion (ask for it before `endorsed`)."""
    return Credential.objects.get(engagement=completed)


@pytest.fixture
def endorsed(completed, student, mentor, skills):
    """`completed`, then both final reviews, the mentor endorsing two skills: a second version
    of the credential carries them."""
    endorse(completed, student, mentor, [(skills[0], 3), (skills[1], 4)])
    return completed
