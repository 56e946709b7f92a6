import datetime

import pytest
from django.utils import timezone

from practicum.careers import services
from practicum.careers.models import InstitutionDomain
from practicum.completion.models import Payment
from practicum.engagements.models import Side
from practicum.reviews.models import Review
from practicum.workspace.deliverables import services as deliverables
from practicum.workspace.messaging import services as messaging
from practicum.workspace.progress import services as progress

SECRETS = (
    "SECRET MESSAGE",
    "SECRET UPDATE",
    "SECRET SUBMISSION NOTE",
    "SECRET REVIEW TEXT",
    "SECRET PRIVATE NOTE",
    "TRX-SECRET",
    "https://files.example.com/secret",
)


@pytest.fixture
def institution(staff):
    return staff.staff_roles.get().institution


@pytest.fixture
def domain(institution):
    return InstitutionDomain.objects.create(institution=institution, domain="uni.example.edu")


@pytest.fixture
def sharing(student, staff, institution):
    """The student verified at the staff's institution (approved by staff) and consenting."""
    services.approve_enrollment(
        services.request_enrollment(student, institution=institution), by=staff
    )
    services.give_consent(student, institution=institution)
    return student


@pytest.fixture
def worked(active_engagement, student, mentor):
    """An active engagement with something of every kind staff must never see, and the
    outcomes they may: 3.5 hours reported, one deliverable accepted, a revealed review each."""
    engagement = active_engagement
    messaging.post_message(engagement, by=student, body="SECRET MESSAGE")
    progress.post_update(engagement, by=student, done="SECRET UPDATE", hours=3.5)
    submission = deliverables.submit(
        engagement, "d1", by=student, link="https://files.example.com/secret",
        note="SECRET SUBMISSION NOTE",
    )  # fmt: skip
    deliverables.accept(submission, by=mentor)
    now = timezone.now()
    for side, author, scores in (
        (Side.STUDENT, student, {"a": 4, "b": 5}),
        (Side.ORGANIZATION, mentor, {"a": 3, "b": 4}),
    ):
        Review.objects.create(
            engagement=engagement, round="midpoint", side=side, author=author, scores=scores,
            strengths="SECRET REVIEW TEXT", private_note="SECRET PRIVATE NOTE", revealed_at=now,
        )  # fmt: skip
    Payment.objects.create(
        engagement=engagement, amount=100, currency="EUR", paid_on=datetime.date.today(),
        reference="TRX-SECRET", recorded_by=mentor,
    )  # fmt: skip
    return engagement
