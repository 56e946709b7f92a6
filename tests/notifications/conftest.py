import datetime

import pytest
from django.utils import timezone

from tests.factories import ProjectFactory

# 09:20 UTC: five minutes into the 09:15–09:30 batch window, and past the digest hour in UTC.
MORNING = datetime.datetime(2030, 3, 4, 9, 20, tzinfo=datetime.UTC)


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as soon as they are enqueued (after the commit), in the test's process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def clock(monkeypatch):
    """Set what timezone.now() answers: clock.set(when), clock.advance(timedelta)."""

    class Clock:
        now = MORNING

        def set(self, when):
            self.now = when

        def advance(self, delta):
            self.now += delta

    fixed = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


@pytest.fixture
def project(db):
    return ProjectFactory(title="Survey analysis")
