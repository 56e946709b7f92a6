import pytest

from practicum.engagements.models import AgreementVersion, Engagement
from practicum.workspace.progress import services


@pytest.fixture
def engagement(active_engagement):
    """Active: both signed version 1 (40 hours agreed in all)."""
    return active_engagement


def report(engagement, student, hours="2.5", done="Cleaned the survey data.", **kwargs):
    return services.post_update(engagement, by=student, done=done, hours=hours, **kwargs)


def set_state(engagement, state) -> Engagement:
    Engagement.objects.filter(pk=engagement.pk).update(state=state)
    engagement.refresh_from_db()
    return engagement


def set_agreed_hours(engagement, hours) -> None:
    version = AgreementVersion.objects.get(
        engagement=engagement, status=AgreementVersion.Status.CURRENT
    )
    version.terms = {**version.terms, "estimated_hours": hours}
    version.save(update_fields=["terms"])
