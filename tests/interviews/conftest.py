import datetime

import pytest
from django.utils import timezone

from practicum.engagements import services as engagement_services
from practicum.interviews import services
from practicum.interviews.models import Interview, InterviewSlot


def at(hours: float) -> datetime.datetime:
    """A whole minute `hours` from now (UTC)."""
    moment = timezone.now() + datetime.timedelta(hours=hours)
    return moment.replace(second=0, microsecond=0)


def slot(hours: float, *, minutes: int = 30, place: str = "", url: str = "") -> dict:
    if not place and not url:
        url = "https://meet.example.org/abc"
    return {"starts_at": at(hours), "duration_minutes": minutes, "place": place, "video_url": url}


def start_now(interview: Interview, hours: float = 1) -> Interview:
    """Move the picked time `hours` into the past, as if time had passed."""
    InterviewSlot.objects.filter(pk=interview.slot_id).update(starts_at=at(-hours))
    interview.refresh_from_db()
    return interview


@pytest.fixture
def shortlisted(application, owner):
    return engagement_services.shortlist(application, by=owner)


@pytest.fixture
def proposed(shortlisted, owner):
    """Two times offered: in two days (a video link) and in three days (a room)."""
    return services.propose(
        shortlisted, by=owner, slots=[slot(48), slot(72, minutes=45, place="Room 4, Main St 1")]
    )


@pytest.fixture
def scheduled(proposed, student):
    first = proposed.slots.order_by("starts_at").first()
    return services.pick(proposed, by=student, slot_id=first.pk)
