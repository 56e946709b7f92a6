import datetime

import pytest
from django.utils import timezone

from practicum.alerts import services

MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def save(student):
    """Save a search for `student` (or another student) from a query string."""

    def make(query="", *, frequency="instant", name="My search", by=None):
        by = by or student
        return services.save_search(by, by=by, name=name, query=query, frequency=frequency)

    return make


def later(minutes=10):
    return timezone.now() + datetime.timedelta(minutes=minutes)
