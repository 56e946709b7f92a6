"""Engagements at each step of completion, reached through the real services."""

import datetime

import pytest

from practicum.completion import services
from practicum.engagements import lifecycle
from practicum.workspace.deliverables import services as deliverables
from tests.fixtures_engagements import start_today


def accept_every_deliverable(engagement, student, reviewer):
    """The student submits each deliverable of the terms in force and the reviewer accepts it."""
    from practicum.workspace.deliverables.selectors import current_deliverables

    for deliverable in current_deliverables(engagement):
        submission = deliverables.submit(
            engagement, deliverable["key"], by=student, link="https://example.org/report"
        )
        deliverables.accept(submission, by=reviewer)
    engagement.refresh_from_db()
    return engagement


@pytest.fixture
def active_engagement(active_engagement):
    """Completing needs the work to have begun: here the engagement starts today."""
    return start_today(active_engagement)


@pytest.fixture
def accepted_engagement(active_engagement, student, mentor):
    """Active, with every deliverable accepted: ready to complete."""
    return accept_every_deliverable(active_engagement, student, mentor)


@pytest.fixture
def completed_engagement(accepted_engagement, mentor):
    """Completed (all accepted) today: 600.00 EUR due within 14 days."""
    services.complete(accepted_engagement, by=mentor)
    accepted_engagement.refresh_from_db()
    return accepted_engagement


@pytest.fixture
def paid_engagement(completed_engagement, mentor):
    """Completed, with a payment recorded and not yet answered by the student."""
    services.record_payment(
        completed_engagement,
        by=mentor,
        amount=60000,
        paid_on=lifecycle.today_of(completed_engagement),
        reference="TRX-1",
    )
    return completed_engagement


def due_on(engagement) -> datetime.date:
    return engagement.completion.payment_due_on
