"""The thread's rules, service by service: who posts when, idempotent submissions, questions
and their answers, events, notifications and read markers."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from practicum.core.errors import Conflict, Refused
from practicum.engagements.models import Engagement, EngagementEvent
from practicum.notifications.models import EmailDelivery, Notification
from practicum.workspace.messaging import selectors, services
from practicum.workspace.messaging.models import BODY_MAX, Message
from tests.workspace.messaging.conftest import asked_hours_ago, post, set_state, set_terms

pytestmark = pytest.mark.django_db

State = Engagement.State


def events(engagement, kind):
    return [e.details for e in EngagementEvent.objects.filter(engagement=engagement, kind=kind)]


class TestPosting:
    def test_the_student_posts(self, engagement, student):
        message = post(engagement, student, "  First **draft** is up.\r\nHave a look.  ")

        assert message.author == student
        assert message.side == "student"
        assert message.body == "First **draft** is up.\nHave a look."
        assert not message.is_question
        assert events(engagement, "message_posted") == [
            {"side": "student", "message": message.pk, "question": False}
        ]

    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_the_organization_posts(self, engagement, people, role):
        message = post(engagement, people[role], is_question=True)

        assert message.side == "organization"
        assert events(engagement, "message_posted") == [
            {"side": "organization", "message": message.pk, "question": True}
        ]

    def test_messages_may_start_before_the_agreement_is_signed(self, pending_engagement, mentor):
        assert post(pending_engagement, mentor).pk

    @pytest.mark.parametrize("state", [State.COMPLETED, State.CANCELLED])
    def test_a_closed_engagement_is_read_only(self, engagement, student, state):
        set_state(engagement, state)

        with pytest.raises(Conflict) as caught:
            post(engagement, student)

        assert caught.value.code == "engagement_not_active"
        assert not Message.objects.exists()

    def test_career_staff_never_post(self, engagement, staff):
        with pytest.raises(Refused) as caught:
            post(engagement, staff)

        assert caught.value.code == "not_a_party"

    @pytest.mark.parametrize("body", ["", "   \n  ", None])
    def test_a_message_needs_words(self, engagement, student, body):
        with pytest.raises(ValidationError) as caught:
            post(engagement, student, body)

        assert "body" in caught.value.message_dict

    def test_a_message_has_a_maximum_length(self, engagement, student):
        assert post(engagement, student, "x" * BODY_MAX).pk
        with pytest.raises(ValidationError) as caught:
            post(engagement, student, "x" * (BODY_MAX + 1))

        assert "10,000" in caught.value.message_dict["body"][0]

    def test_the_thread_is_in_posting_order(self, engagement, student, mentor):
        writers = [student, mentor] * 3
        posted = [post(engagement, person, f"#{n}") for n, person in enumerate(writers)]

        page = selectors.thread_page(engagement)

        assert [m.pk for m in page.messages] == [m.pk for m in posted]
        assert [m.body for m in page.messages] == [f"#{n}" for n in range(6)]


class TestIdempotencyKey:
    def test_the_same_submission_twice_posts_once(self, engagement, student, mentor):
        key = str(uuid.uuid4())

        first = post(engagement, student, "Sent twice", idempotency_key=key)
        second = post(engagement, student, "Sent twice", idempotency_key=key)

        assert first.pk == second.pk
        assert Message.objects.count() == 1
        assert len(events(engagement, "message_posted")) == 1
        assert Notification.objects.filter(kind="new_message", recipient=mentor).count() == 1

    def test_keys_belong_to_their_author(self, engagement, student, mentor):
        key = str(uuid.uuid4())

        mine = post(engagement, student, idempotency_key=key)
        theirs = post(engagement, mentor, idempotency_key=key)

        assert mine.pk != theirs.pk

    def test_new_keys_or_no_key_post_again(self, engagement, student):
        post(engagement, student, "Same words", idempotency_key=str(uuid.uuid4()))
        post(engagement, student, "Same words", idempotency_key=str(uuid.uuid4()))
        post(engagement, student, "Same words")
        post(engagement, student, "Same words")

        assert Message.objects.count() == 4


class TestQuestions:
    def test_a_question_is_open_until_marked_answered(self, engagement, student, mentor):
        question = post(engagement, student, "Which dataset should I start with?", is_question=True)
        assert question.is_open_question

        answered = services.mark_answered(question, by=mentor)

        assert answered.answered_by == mentor
        assert answered.answered_at is not None
        assert not answered.is_open_question
        assert events(engagement, "question_answered") == [
            {
                "side": "organization",
                "message": question.pk,
                "asked_at": question.created_at.isoformat(),
                "asked_side": "student",
            }
        ]

    def test_the_asker_may_mark_their_own_question_answered(self, engagement, student, mentor):
        question = post(engagement, mentor, "Can you share your screen?", is_question=True)

        services.mark_answered(question, by=mentor)

        assert events(engagement, "question_answered")[0]["side"] == "organization"
        assert events(engagement, "question_answered")[0]["asked_side"] == "organization"

    def test_a_question_is_answered_once(self, engagement, student, owner):
        question = post(engagement, student, is_question=True)
        services.mark_answered(question, by=owner)

        with pytest.raises(Conflict) as caught:
            services.mark_answered(question, by=student)

        assert caught.value.code == "already_answered"
        assert Message.objects.get(pk=question.pk).answered_by == owner
        assert len(events(engagement, "question_answered")) == 1

    def test_only_questions_are_answered(self, engagement, student, mentor):
        with pytest.raises(Conflict) as caught:
            services.mark_answered(post(engagement, student), by=mentor)

        assert caught.value.code == "not_a_question"

    def test_staff_do_not_mark_questions(self, engagement, student, staff):
        question = post(engagement, student, is_question=True)

        with pytest.raises(Refused):
            services.mark_answered(question, by=staff)

    def test_not_once_the_engagement_is_closed(self, engagement, student, mentor):
        question = post(engagement, student, is_question=True)
        set_state(engagement, State.COMPLETED)

        with pytest.raises(Conflict):
            services.mark_answered(question, by=mentor)

    def test_open_questions_wait_on_the_side_asked(self, engagement, student, mentor):
        set_terms(engagement, response_time_hours=48, student_response_time_hours=12)
        to_organization = asked_hours_ago(post(engagement, student, is_question=True), 50)
        to_student = asked_hours_ago(post(engagement, mentor, is_question=True), 3)
        services.mark_answered(post(engagement, student, is_question=True), by=mentor)
        post(engagement, mentor, "Not a question")

        found = selectors.open_questions(engagement, selectors.terms_in_force(engagement))

        assert [q.message.pk for q in found] == [to_organization.pk, to_student.pk]
        assert [(q.asked_side, q.promised_hours, q.is_overdue) for q in found] == [
            ("organization", 48, True),
            ("student", 12, False),
        ]
        assert round(found[0].open_for.total_seconds() / 3600) == 50


class TestNotifications:
    def test_the_students_message_goes_to_the_mentor_and_the_owners(
        self, engagement, student, mentor, owner, other_mentor
    ):
        message = post(engagement, student)

        notified = Notification.objects.filter(kind="new_message")
        assert sorted(n.recipient_id for n in notified) == sorted([mentor.pk, owner.pk])
        assert all(n.key.endswith(f":{message.pk}") for n in notified)
        assert all(n.url.endswith(f"/messages/#message-{message.pk}") for n in notified)

    def test_the_organizations_message_goes_to_the_student(self, engagement, student, owner):
        post(engagement, owner)

        assert [n.recipient for n in Notification.objects.filter(kind="new_message")] == [student]

    def test_a_burst_of_messages_is_one_email(self, engagement, student, mentor):
        for n in range(3):
            post(engagement, mentor, f"Part {n}")

        assert Notification.objects.filter(kind="new_message", recipient=student).count() == 3
        assert EmailDelivery.objects.filter(recipient=student, kind="new_message").count() == 1


class TestUnread:
    def test_own_messages_do_not_count(self, engagement, student, mentor):
        for _ in range(3):
            post(engagement, student)
        post(engagement, mentor)

        assert selectors.unread_count(student, engagement) == 1
        assert selectors.unread_count(mentor, engagement) == 3

    def test_reading_clears_and_new_messages_count_again(self, engagement, student, mentor):
        post(engagement, student)
        post(engagement, student)

        assert services.mark_read(engagement, by=mentor) == Message.objects.last().pk
        assert selectors.unread_count(mentor, engagement) == 0
        post(engagement, student)
        assert selectors.unread_count(mentor, engagement) == 1

    def test_reading_the_thread_reads_its_message_notifications(self, engagement, student, mentor):
        post(engagement, student)
        post(engagement, student)
        unread = Notification.objects.filter(recipient=mentor, kind="new_message")
        assert unread.filter(read_at__isnull=True).count() == 2
        other = Notification.objects.filter(recipient=mentor).exclude(kind="new_message")
        others_unread = other.filter(read_at__isnull=True).count()

        services.mark_read(engagement, by=mentor)

        assert unread.filter(read_at__isnull=True).count() == 0
        assert other.filter(read_at__isnull=True).count() == others_unread  # only messages
        assert Notification.objects.filter(recipient=student, read_at__isnull=True).exists()

    def test_the_marker_never_moves_back_nor_past_the_end(self, engagement, student, mentor):
        first, last = post(engagement, student), post(engagement, student)

        services.mark_read(engagement, by=mentor, up_to=last.pk + 1000)
        assert selectors.last_read_id(mentor, engagement) == last.pk
        services.mark_read(engagement, by=mentor, up_to=first.pk)
        assert selectors.last_read_id(mentor, engagement) == last.pk

    def test_reading_part_of_the_thread(self, engagement, student, mentor):
        first = post(engagement, student)
        post(engagement, student)

        services.mark_read(engagement, by=mentor, up_to=first.pk)

        assert selectors.unread_count(mentor, engagement) == 1

    def test_staff_keep_no_marker(self, engagement, student, staff):
        post(engagement, student)

        with pytest.raises(Refused):
            services.mark_read(engagement, by=staff)

    def test_counts_for_many_engagements_in_one_query(
        self, engagement, student, mentor, django_assert_num_queries
    ):
        from practicum.engagements import services as engagement_services
        from tests.factories import ApplicationFactory
        from tests.fixtures_engagements import make_offered, sign_both

        student.student_profile.weekly_hours = 40  # room for a second engagement
        student.student_profile.save()
        other_application = make_offered(ApplicationFactory(student=student))
        other = sign_both(
            engagement_services.accept_offer(other_application, by=student),
            student,
            other_application.project.mentor,
        )
        post(engagement, mentor)
        post(engagement, mentor)
        post(other, other_application.project.mentor)
        post(other, student)

        with django_assert_num_queries(1):
            counts = selectors.unread_counts(student, [engagement.pk, other.pk, 999_999])

        assert counts == {engagement.pk: 2, other.pk: 1, 999_999: 0}
