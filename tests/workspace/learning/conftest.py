"""Fixtures for the learning plan: an active engagement whose agreement carries the student's
learning goals (drafted from the profile, signed through the real services), and skills."""

import pytest

from tests.factories import SkillFactory

GOALS = ["Write SQL window functions", "Present findings to a client"]


@pytest.fixture
def _profile_goals(student):
    """The student's profile goals, which the agreement's draft copies."""
    profile = student.student_profile
    profile.learning_goals = list(GOALS)
    profile.save()


@pytest.fixture
def engagement(_profile_goals, active_engagement):
    """Active; its agreement (version in force) lists GOALS."""
    return active_engagement


@pytest.fixture
def other_engagement(engagement, project, other_student, mentor):
    """Another student's active engagement on the same project (same mentor)."""
    from practicum.engagements import services
    from tests.factories import ApplicationFactory
    from tests.fixtures_engagements import make_offered, sign_both

    project.capacity = 2
    project.save()
    offer = make_offered(ApplicationFactory(project=project, student=other_student))
    return sign_both(services.accept_offer(offer, by=other_student), other_student, mentor)


@pytest.fixture
def skill(db):
    return SkillFactory(name="SQL")


@pytest.fixture
def other_skill(db):
    return SkillFactory(name="Data visualisation")


def amend_goals(engagement, proposer, answerer, goals):
    """Change the agreement's learning goals by an accepted amendment (real services)."""
    from practicum.engagements import agreements

    version = agreements.propose_amendment(
        engagement,
        by=proposer,
        changes={"learning_goals": goals},
        reason="Goals changed.",
        full_name=proposer.name,
    )
    agreements.accept_amendment(engagement, version.number, by=answerer, full_name=answerer.name)
    return version
