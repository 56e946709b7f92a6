"""A completed engagement whose student is open to future roles, through the real services."""

import pytest

from practicum.completion import services as completion
from practicum.profiles import services as profiles
from practicum.talent import services
from tests.fixtures_engagements import start_today


def set_open(student, value: bool) -> None:
    profiles.update_profile(
        student.student_profile, by=student, data={"open_to_future_roles": value}
    )
    student.student_profile.refresh_from_db()


@pytest.fixture
def active_engagement(active_engagement):
    """Completing needs the work to have begun: here the engagement starts today."""
    return start_today(active_engagement)


@pytest.fixture
def completed_engagement(active_engagement, student, mentor):
    """Completed (partially: the talent list does not care why) by the mentor; the student is
    open to future roles."""
    set_open(student, True)
    completion.complete(active_engagement, by=mentor, partial=True, reason="Done early")
    active_engagement.refresh_from_db()
    return active_engagement


@pytest.fixture
def entry(completed_engagement, mentor):
    """The student on the organization's list, added by the mentor."""
    return services.add_to_list(
        completed_engagement, by=mentor, notes="Great *analyst*", tags=["data", "SQL"]
    )
