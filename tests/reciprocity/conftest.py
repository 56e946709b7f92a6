"""Engagements with real event rows for the selectors, pages, API and dashboards. Engagements in
any state are made directly (the services that would get them there are tested elsewhere); the
events are recorded through practicum.engagements.events.record or created with explicit times.
"""

import datetime

import pytest
from django.utils import timezone

from practicum.accounts.models import User
from practicum.engagements import terms as engagement_terms
from practicum.engagements.models import AgreementVersion, Application, Engagement, EngagementEvent
from practicum.reviews.models import Review
from tests.factories import ApplicationFactory, ProjectFactory, StudentFactory, UserFactory


@pytest.fixture(autouse=True)
def _ids_differ(db):
    """Users without profiles first, so a profile's id never equals its user's id by chance
    (student pages and the API address students by the profile's id)."""
    UserFactory.create_batch(3, account_type=User.AccountType.ORGANIZATION)


def make_engagement(project=None, student=None, *, state="completed", organization=None):
    """An engagement in `state` with a current agreement drafted from its project and an
    activation event (unless it never started), dated 60 days ago so its weeks are over."""
    project = project or ProjectFactory(**({"organization": organization} if organization else {}))
    student = student or StudentFactory()
    application = ApplicationFactory(
        project=project, student=student, status=Application.Status.ACCEPTED
    )
    engagement = Engagement.objects.create(
        application=application,
        project=project,
        student=student,
        mentor=project.mentor,
        state=state,
    )
    terms = engagement_terms.draft_from(project, mentor=project.mentor, learning_goals=[])
    start = timezone.localdate() - datetime.timedelta(days=60)
    terms.update(
        starts_on=start.isoformat(),
        ends_on=(start + datetime.timedelta(days=27)).isoformat(),
        student_response_time_hours=24,
    )
    terms["deliverables"][0]["due_on"] = (start + datetime.timedelta(days=27)).isoformat()
    started = state != Engagement.State.AGREEMENT_PENDING
    AgreementVersion.objects.create(
        engagement=engagement,
        number=1,
        terms=terms,
        status=AgreementVersion.Status.CURRENT if started else AgreementVersion.Status.DRAFT,
    )
    if started:
        event(engagement, "activated", days_ago=60)
    return engagement


def event(engagement, kind, *, days_ago=0, hours_ago=0, **details) -> EngagementEvent:
    at = timezone.now() - datetime.timedelta(days=days_ago, hours=hours_ago)
    return EngagementEvent.objects.create(engagement=engagement, kind=kind, at=at, details=details)


def held_checkin(engagement, n: int, *, days_ago: int, moved=False):
    at = timezone.now() - datetime.timedelta(days=days_ago)
    planned = at - datetime.timedelta(hours=2) if moved else at
    return event(
        engagement,
        "checkin_held",
        days_ago=days_ago,
        side="organization",
        checkin=n,
        scheduled_at=at.isoformat(),
        originally_at=planned.isoformat(),
    )


def rating(engagement, *, side: str, scores: dict, round="final") -> Review:
    """A revealed review (as practicum.reviews leaves one) with the given 1–5 scores."""
    now = timezone.now()
    return Review.objects.create(
        engagement=engagement, round=round, side=side, scores=scores, revealed_at=now
    )


@pytest.fixture
def history_of_three(organization, project, student):
    """Three completed engagements of `organization` (one of `student` on `project`), each
    with a check-in held on time and one moved by the organization: enough history."""
    engagements = [make_engagement(project, student)]
    engagements += [make_engagement(organization=organization) for _ in range(2)]
    for engagement in engagements:
        held_checkin(engagement, 1, days_ago=50)
        held_checkin(engagement, 2, days_ago=43, moved=True)
    return engagements
