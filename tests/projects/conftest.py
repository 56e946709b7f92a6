import datetime

import pytest
from django.utils import timezone

from practicum.accounts.models import Membership
from practicum.projects.models import Project
from tests.factories import MembershipFactory, ProjectFactory, SkillFactory


def days(n: int) -> datetime.date:
    """The date n days from today (the day the services call "today")."""
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def organization(owner):
    return owner.memberships.get().organization


@pytest.fixture
def mentor(organization):
    """A mentor (not an owner) of `organization`."""
    return MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user


@pytest.fixture
def outsider(db):
    """The owner of another organization."""
    return MembershipFactory().user


@pytest.fixture
def project(organization, mentor):
    """An open, publishable project of `organization`: 4 weeks, 10 h/week, 40 h, 600.00 EUR."""
    return ProjectFactory(organization=organization, mentor=mentor)


@pytest.fixture
def draft(organization, mentor):
    """A draft of `organization` that would pass publishing as it is."""
    return ProjectFactory(
        organization=organization,
        mentor=mentor,
        status=Project.Status.DRAFT,
        published_at=None,
    )


@pytest.fixture
def skill(db):
    return SkillFactory(name="Survey analysis")


@pytest.fixture
def full_data(mentor, skill):
    """Everything a publishable project states, as the services take it."""
    return {
        "title": "Analyse our customer survey",
        "summary": "Turn 300 answers into three recommendations.",
        "description": "We ran a **survey** and need help.",
        "objectives": ["Clean the data", "Find three themes"],
        "learning_outcomes": ["Survey analysis"],
        "screening_questions": ["Which tools do you use?"],
        "starts_on": days(14),
        "ends_on": days(41),
        "application_deadline": days(7),
        "estimated_hours": 40,
        "hours_per_week": 10,
        "compensation_amount": 60000,
        "currency": "EUR",
        "capacity": 2,
        "work_mode": "hybrid",
        "location": "Rotterdam",
        "timezone": "Europe/Amsterdam",
        "mentor": mentor.pk,
        "checkin_cadence": "weekly",
        "checkin_weekday": 2,
        "checkin_time": datetime.time(14, 30),
        "response_time_hours": 24,
        "deliverables": [
            {"title": "Findings report", "description": "Five pages.", "due_on": days(41)}
        ],
        "skills": [{"skill": skill.pk, "min_level": 2, "is_required": True}],
    }
