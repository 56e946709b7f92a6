"""Loading histories from real EngagementEvent rows, in a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from practicum.engagements import events
from practicum.engagements.models import EngagementEvent
from practicum.reciprocity import index as idx
from practicum.reciprocity import selectors
from tests.reciprocity.conftest import event, held_checkin, make_engagement, rating


def test_the_history_of_an_engagement_signed_through_the_services(
    active_engagement, project, student, mentor
):
    question = events.record(active_engagement, "message_posted", student, message=7, question=True)
    events.record(
        active_engagement,
        "question_answered",
        mentor,
        message=7,
        asked_at=question.at.isoformat(),
        asked_side="student",
    )
    events.record(active_engagement, "skill_practised", mentor, skill=1, name="SQL")  # not read
    [history] = selectors.organization_histories(project.organization)
    assert history.engagement_id == active_engagement.pk
    assert history.state == "active"
    assert (history.starts_on, history.ends_on) == (project.starts_on, project.ends_on)
    assert history.org_response_hours == project.response_time_hours
    assert history.student_response_hours == 24  # what the student promised when signing
    assert [(d.key, d.due_on) for d in history.deliverables] == [("d1", project.ends_on)]
    assert history.timezone == project.timezone
    # Only the kinds the index reads, oldest first, with their details and the actor's side.
    assert [e.kind for e in history.events] == ["activated", "message_posted", "question_answered"]
    answered = history.events[-1]
    assert answered.side == "organization"
    assert answered.details["asked_side"] == "student"
    assert selectors.student_histories(student) == [history]


def test_an_engagement_never_signed_reads_its_draft(pending_engagement, student):
    [history] = selectors.student_histories(student)
    assert history.state == "agreement_pending"
    assert history.org_response_hours == pending_engagement.project.response_time_hours
    assert history.events == ()


def test_histories_keep_to_their_organization_and_student(history_of_three, organization, student):
    make_engagement()  # another organization's, another student's
    assert len(selectors.organization_histories(organization)) == 3
    assert [h.engagement_id for h in selectors.student_histories(student)] == [
        history_of_three[0].pk
    ]


@pytest.mark.parametrize("count", [1, 6])
def test_a_fixed_number_of_queries(organization, django_assert_num_queries, count):
    for _ in range(count):
        engagement = make_engagement(organization=organization)
        held_checkin(engagement, 1, days_ago=40)
        event(engagement, "update_posted", days_ago=41, side="student", update=1, hours="1")
    with django_assert_num_queries(3):
        assert len(selectors.organization_histories(organization)) == count
    # Rows not current yet: find them, sum the current ones, load 3, store 1; ratings,
    # applications, interviews (2).
    with django_assert_num_queries(10):
        selectors.organization_reciprocity(organization)
    with django_assert_num_queries(6):  # all current now
        selectors.organization_reciprocity(organization)


def test_the_index_from_real_rows(history_of_three, organization, student):
    for engagement in history_of_three:
        rating(engagement, side="student", scores={"a": 5, "b": 4})  # about the organization
        rating(engagement, side="organization", scores={"a": 3, "b": 3})  # about the student
    index = selectors.organization_reciprocity(organization)
    components = {c.key: c for c in index.components}
    assert (components["checkins_held"].numerator, components["checkins_held"].denominator) == (
        3,
        6,
    )
    assert components["ratings"].sentence == "average 4.5 of 5 from 3 reviews"
    assert index.enough_history and index.engagements == 3
    # Check-ins 50 % and ratings 87.5 %, scaled over their weights.
    w = idx.ORGANIZATION_WEIGHTS
    points = w["checkins_held"] * 0.5 + w["ratings"] * 0.875
    assert index.value == round(100 * points / (w["checkins_held"] + w["ratings"]), 1)

    own = selectors.student_reciprocity(student)
    assert (own.engagements, own.enough_history, own.value) == (1, False, None)
    assert {c.key: c.count for c in own.components}["ratings"] == 1


def test_unrevealed_reviews_are_no_ratings(history_of_three, organization):
    review = rating(history_of_three[0], side="student", scores={"a": 1})
    review.revealed_at = None
    review.save()
    ratings = {c.key: c for c in selectors.organization_reciprocity(organization).components}
    assert ratings["ratings"].count == 0


def test_now_can_be_given(organization):
    engagement = make_engagement(organization=organization)
    EngagementEvent.objects.create(
        engagement=engagement,
        kind="message_posted",
        at=timezone.now() - datetime.timedelta(hours=30),
        details={"side": "student", "message": 1, "question": True},
    )
    engagement.state = "active"
    engagement.save()
    # Engagement dates are in the past (make_engagement), so the question is compared with now.
    late = selectors.organization_reciprocity(organization)
    early = selectors.organization_reciprocity(
        organization, now=timezone.now() - datetime.timedelta(hours=20)
    )
    assert {c.key: c.denominator for c in late.components}["questions_answered"] == 1
    assert {c.key: c.denominator for c in early.components}["questions_answered"] == 0


def test_events_written_by_the_workspace_services(active_engagement, student, mentor):
    """The index reads what practicum.workspace.messaging records, as recorded."""
    from practicum.workspace.messaging import services as messaging

    question = messaging.post_message(
        active_engagement, by=student, body="Which survey export?", is_question=True
    )
    messaging.mark_answered(question, by=mentor)
    messaging.post_message(active_engagement, by=mentor, body="The March one, please.")
    messaging.post_message(active_engagement, by=student, body="Thanks!")
    org_index = selectors.organization_reciprocity(active_engagement.project.organization)
    organization = {c.key: (c.numerator, c.denominator) for c in org_index.components}
    assert organization["questions_answered"] == (1, 1)
    own_index = selectors.student_reciprocity(student)
    own = {c.key: (c.numerator, c.denominator) for c in own_index.components}
    assert own["messages_answered"] == (1, 1)
