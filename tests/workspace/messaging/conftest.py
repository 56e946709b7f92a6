import datetime

import pytest
from django.utils import timezone

from practicum.engagements.models import Engagement
from practicum.workspace.messaging import services
from practicum.workspace.messaging.models import Message


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Attached files land in a temporary folder, never in the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def engagement(active_engagement):
    """Active: both signed version 1 (the organization answers within the project's response
    time, the student within 24 hours)."""
    return active_engagement


@pytest.fixture
def other_engagement(engagement, mentor, other_student):
    """Another engagement with the same mentor (who reads both threads), waiting for its
    agreement: its thread is open."""
    from practicum.engagements import services as engagement_services
    from tests.factories import ApplicationFactory, ProjectFactory
    from tests.fixtures_engagements import make_offered

    project = ProjectFactory(organization=engagement.project.organization, mentor=mentor)
    offered = make_offered(ApplicationFactory(project=project, student=other_student))
    return engagement_services.accept_offer(offered, by=other_student)


def post(engagement, by, body="Hello there.", **kwargs) -> Message:
    return services.post_message(engagement, by=by, body=body, **kwargs)


def asked_hours_ago(message: Message, hours: float) -> Message:
    """Move a message back in time, as if it had been posted `hours` ago."""
    moment = timezone.now() - datetime.timedelta(hours=hours)
    Message.objects.filter(pk=message.pk).update(created_at=moment)
    message.refresh_from_db()
    return message


def posted_minutes_ago(message: Message, minutes: float) -> Message:
    """Move a message back in time, as if it had been posted `minutes` ago."""
    return asked_hours_ago(message, minutes / 60)


def set_state(engagement, state) -> Engagement:
    Engagement.objects.filter(pk=engagement.pk).update(state=state)
    engagement.refresh_from_db()
    return engagement


def set_terms(engagement, **changes) -> None:
    """Change the terms in force, as an accepted amendment would."""
    from practicum.engagements.models import AgreementVersion

    version = AgreementVersion.objects.get(
        engagement=engagement, status=AgreementVersion.Status.CURRENT
    )
    version.terms = {**version.terms, **changes}
    version.save(update_fields=["terms"])
