import datetime

import pytest
from django.utils import timezone

from practicum.engagements.models import Engagement
from practicum.workspace.messaging import services
from practicum.workspace.messaging.models import Message


@pytest.fixture
def engagement(active_engagement):
    """Active: both signed version 1 (the organization answers within the project's response
    time, the student within 24 hours)."""
    return active_engagement


def post(engagement, by, body="Hello there.", **kwargs) -> Message:
    return services.post_message(engagement, by=by, body=body, **kwargs)


def asked_hours_ago(message: Message, hours: float) -> Message:
    """Move a message back in time, as if it had been posted `hours` ago."""
    moment = timezone.now() - datetime.timedelta(hours=hours)
    Message.objects.filter(pk=message.pk).update(created_at=moment)
    message.refresh_from_db()
    return message


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
