"""question_unanswered: the organization's side hears once about a student's question left open
past the response time the organization promised."""

import pytest
from django.utils import timezone

from practicum.engagements.models import Engagement
from practicum.notifications.models import Notification
from practicum.notifications.services import record_due_reminders
from practicum.workspace.messaging import services
from practicum.workspace.messaging.reminders import questions_unanswered
from tests.workspace.messaging.conftest import asked_hours_ago, post, set_state, set_terms

pytestmark = pytest.mark.django_db


def reminded():
    return sorted(
        (n.recipient_id, n.key.rsplit(":", 1)[-1])
        for n in Notification.objects.filter(kind="question_unanswered")
    )


@pytest.fixture
def question(engagement, student):
    set_terms(engagement, response_time_hours=24)
    return post(engagement, student, "Where is the survey export?", is_question=True)


def test_past_the_promised_time_the_mentor_and_the_owners_are_told_once(
    engagement, question, mentor, owner, other_mentor
):
    asked_hours_ago(question, 25)

    record_due_reminders()
    record_due_reminders()

    assert reminded() == sorted([(mentor.pk, str(question.pk)), (owner.pk, str(question.pk))])
    notification = Notification.objects.filter(kind="question_unanswered").first()
    assert notification.url.endswith(f"/messages/#message-{question.pk}")
    assert notification.title == engagement.project.title


def test_not_before_the_promised_time(engagement, question):
    asked_hours_ago(question, 23)

    assert list(questions_unanswered(timezone.now())) == []


def test_the_promise_in_force_counts(engagement, question):
    asked_hours_ago(question, 30)
    set_terms(engagement, response_time_hours=48)

    assert list(questions_unanswered(timezone.now())) == []


def test_not_once_answered(engagement, question, mentor):
    asked_hours_ago(question, 30)
    services.mark_answered(question, by=mentor)

    assert list(questions_unanswered(timezone.now())) == []


def test_not_for_the_organizations_questions_or_plain_messages(engagement, student, mentor):
    asked_hours_ago(post(engagement, mentor, "Can you join on Monday?", is_question=True), 100)
    asked_hours_ago(post(engagement, student, "Thanks!"), 100)

    assert list(questions_unanswered(timezone.now())) == []


def test_not_for_closed_engagements(engagement, question):
    asked_hours_ago(question, 30)
    set_state(engagement, Engagement.State.CANCELLED)

    assert list(questions_unanswered(timezone.now())) == []
