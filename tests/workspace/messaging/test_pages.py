"""The thread page, its polling fragment and its forms, with and without HTMX."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from practicum.core.models import IdempotencyKey
from practicum.engagements.models import Engagement
from practicum.workspace.messaging import selectors, services
from practicum.workspace.messaging.models import BODY_MAX, Message
from tests.uploads import upload
from tests.workspace.messaging.conftest import asked_hours_ago, post, set_state

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def thread_url(engagement):
    return reverse("messaging:thread", args=[engagement.pk])


def post_url(engagement):
    return reverse("messaging:post", args=[engagement.pk])


def poll_url(engagement, after=None):
    url = reverse("messaging:poll", args=[engagement.pk])
    return url if after is None else f"{url}?after={after}"


def message_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="message-(\d+)"', html)]


class TestThreadPage:
    def test_messages_in_order_rendered_as_sanitized_markdown(
        self, client_for, engagement, student, mentor
    ):
        first = post(engagement, student, "Draft is **ready**. <script>alert(1)</script>")
        second = post(engagement, mentor, "[Looks good](https://example.com)")

        response = client_for(student).get(thread_url(engagement))

        html = response.content.decode()
        assert response.status_code == 200
        assert message_ids(html) == [first.pk, second.pk]
        assert "<strong>ready</strong>" in html
        assert "<script>alert(1)</script>" not in html
        assert 'href="https://example.com"' in html
        assert 'id="message-form"' in html
        assert 'name="form_token"' in html

    def test_times_in_the_viewers_time_zone(self, client_for, engagement, student, mentor):
        mentor.timezone = "Asia/Tokyo"
        mentor.save()
        message = post(engagement, student)
        moment = datetime.datetime(2030, 3, 5, 23, 30, tzinfo=datetime.UTC)
        Message.objects.filter(pk=message.pk).update(created_at=moment)

        html = client_for(mentor).get(thread_url(engagement)).content.decode()

        assert "Wed 6 Mar 2030, 08:30 JST" in html

    def test_opening_the_thread_clears_the_unread_count(
        self, client_for, engagement, student, mentor
    ):
        post(engagement, student)
        post(engagement, student)
        assert selectors.unread_count(mentor, engagement) == 2

        html = client_for(mentor).get(thread_url(engagement)).content.decode()

        assert html.count('<span class="badge new">New</span>') == 2
        assert selectors.unread_count(mentor, engagement) == 0
        again = client_for(mentor).get(thread_url(engagement)).content.decode()
        assert "badge new" not in again

    def test_open_questions_at_the_top(self, client_for, engagement, student, mentor):
        question = asked_hours_ago(
            post(engagement, student, "Which **export** format?", is_question=True), 30
        )
        answered = post(engagement, student, "Old question", is_question=True)
        services.mark_answered(answered, by=mentor)

        html = client_for(mentor).get(thread_url(engagement)).content.decode()

        top = html[html.index('id="open-questions"') : html.index('id="message-list"')]
        assert "Which export format?" in top  # the excerpt is plain text, not Markdown source
        assert "Old question" not in top
        assert "open for 1\xa0day, 6\xa0hours" in top
        assert "The organization promised an answer within 24 hours." in top
        assert "Past the promised time" in top
        assert reverse("messaging:answer", args=[engagement.pk, question.pk]) in top

    def test_earlier_messages_are_a_page_away(self, client_for, engagement, student):
        Message.objects.bulk_create(
            Message(engagement=engagement, author=student, side="student", body=f"#{n}")
            for n in range(selectors.PAGE_SIZE + 5)
        )
        ids = list(Message.objects.order_by("pk").values_list("pk", flat=True))
        client = client_for(student)

        latest = client.get(thread_url(engagement)).content.decode()
        earlier = client.get(f"{thread_url(engagement)}?before={ids[5]}").content.decode()

        assert message_ids(latest) == ids[5:]
        assert f"?before={ids[5]}" in latest
        assert message_ids(earlier) == ids[:5]
        assert 'id="message-poller"' not in earlier
        assert client.get(f"{thread_url(engagement)}?before=x").status_code == 404

    @pytest.mark.parametrize("count", [5, 60])
    def test_fixed_query_budget(
        self, client_for, engagement, student, mentor, django_assert_max_num_queries, count
    ):
        message = None
        for n in range(count):
            person = student if n % 2 else mentor
            message = post(
                engagement,
                person,
                f"#{n}",
                is_question=n % 5 == 0,
                # Every message quotes the one before, and has two files, or is edited.
                quote=message.pk if message else None,
                files=[upload("report.pdf"), upload("notes.txt")] if n % 2 else (),
            )
            if n % 10 == 0:
                services.mark_answered(message, by=student)
            if n % 2 == 0:
                services.edit_message(message, by=person, body=f"#{n}, edited")
        client = client_for(mentor)
        client.get(thread_url(engagement))  # the read marker exists from now on
        post(engagement, student, "One more")

        # Session, user, engagement, messages (their quotes joined), their files, the read
        # marker (read; move in a savepoint: 4), agreement versions and their signatures, open
        # questions, navigation (2).
        with django_assert_max_num_queries(17):
            response = client.get(thread_url(engagement))

        html = response.content.decode()
        assert len(message_ids(html)) == count + 1
        assert html.count('class="message-quote"') == count - 1
        assert html.count("report.pdf") == count // 2
        assert html.count(">edited</a>") == (count + 1) // 2


class TestPolling:
    def test_only_newer_messages(self, client_for, engagement, student, mentor):
        seen = post(engagement, student)
        newer = [post(engagement, mentor, "New one"), post(engagement, student, "Another")]
        client = client_for(student)

        response = client.get(poll_url(engagement, seen.pk), **HTMX)

        html = response.content.decode()
        assert response.status_code == 200
        assert message_ids(html) == [m.pk for m in newer]
        assert 'id="open-questions"' in html and 'hx-swap-oob="true"' in html

    def test_nothing_new_is_an_empty_answer(self, client_for, engagement, student):
        last = post(engagement, student)

        response = client_for(student).get(poll_url(engagement, last.pk), **HTMX)

        assert response.status_code == 200
        assert response.content == b""

    def test_polling_reads_what_it_shows(self, client_for, engagement, student, mentor):
        seen = post(engagement, student)
        post(engagement, student)

        client_for(mentor).get(poll_url(engagement, seen.pk), **HTMX)

        assert selectors.unread_count(mentor, engagement) == 0

    @pytest.mark.parametrize("after", ["x", "-1"])
    def test_a_bad_after_is_a_bad_request(self, client_for, engagement, student, after):
        assert client_for(student).get(poll_url(engagement, after)).status_code == 400

    def test_the_page_polls_while_people_can_post(self, client_for, engagement, student):
        html = client_for(student).get(thread_url(engagement)).content.decode()

        assert 'id="message-poller"' in html
        assert f'hx-get="{poll_url(engagement)}"' in html
        assert 'hx-trigger="every 5s"' in html

    def test_a_closed_thread_does_not_poll(self, client_for, engagement, student):
        set_state(engagement, Engagement.State.COMPLETED)

        html = client_for(student).get(thread_url(engagement)).content.decode()

        assert 'id="message-poller"' not in html
        assert 'id="message-form"' not in html
        assert "the thread is read-only" in html


class TestPosting:
    def test_without_javascript_post_and_redirect(self, client_for, engagement, student):
        key = str(uuid.uuid4())

        response = client_for(student).post(
            post_url(engagement), {"body": "Done with the cleaning.", "form_token": key}
        )

        message = Message.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{thread_url(engagement)}#message-{message.pk}"
        assert (message.body, message.is_question) == ("Done with the cleaning.", False)
        assert IdempotencyKey.objects.get(key=key).result_id == message.pk

    def test_a_double_submit_posts_once(self, client_for, engagement, student):
        client = client_for(student)
        data = {"body": "Twice?", "form_token": str(uuid.uuid4()), "is_question": "on"}

        first = client.post(post_url(engagement), data)
        second = client.post(post_url(engagement), data)

        assert Message.objects.count() == 1
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Message.objects.get().is_question

    def test_with_htmx_the_new_messages_come_back(self, client_for, engagement, student, mentor):
        seen = post(engagement, student)
        theirs = post(engagement, mentor, "Meanwhile")

        response = client_for(student).post(
            post_url(engagement),
            {"body": "Mine", "form_token": (key := str(uuid.uuid4())), "after": seen.pk},
            **HTMX,
        )

        html = response.content.decode()
        mine = Message.objects.last()
        assert response.status_code == 200
        assert message_ids(html) == [theirs.pk, mine.pk]
        # A fresh form (empty, a new key) replaces the one just sent.
        form = html[html.index('<form id="message-form"') :]
        assert 'hx-swap-oob="true"' in form
        assert 'name="form_token"' in form and key not in form

    @pytest.mark.parametrize(
        ("body", "error"),
        [("", "Write a message."), ("   ", "Write a message."), ("x" * (BODY_MAX + 1), "10,000")],
    )
    def test_bad_input_comes_back_with_what_was_typed(
        self, client_for, engagement, student, body, error
    ):
        response = client_for(student).post(post_url(engagement), {"body": body})

        html = response.content.decode()
        assert response.status_code == 422
        assert error in html
        assert Message.objects.count() == 0
        if body.strip():
            assert body in html

    def test_bad_input_with_htmx_replaces_the_form(self, client_for, engagement, student):
        response = client_for(student).post(
            post_url(engagement), {"body": "y" * (BODY_MAX + 1), "after": 0}, **HTMX
        )

        assert response.status_code == 422
        assert response["HX-Retarget"] == "#message-form"
        assert response["HX-Reswap"] == "outerHTML"
        assert "y" * (BODY_MAX + 1) in response.content.decode()

    def test_a_closed_engagement_says_so(self, client_for, engagement, student):
        set_state(engagement, Engagement.State.CANCELLED)
        client = client_for(student)

        response = client.post(post_url(engagement), {"body": "Still there?"}, follow=True)

        assert "the workspace is read-only" in response.content.decode()
        assert Message.objects.count() == 0
        htmx = client.post(post_url(engagement), {"body": "Still there?", "after": 0}, **HTMX)
        assert htmx["HX-Refresh"] == "true"


class TestAnswering:
    def test_either_party_marks_a_question_answered(self, client_for, engagement, student, owner):
        question = post(engagement, student, is_question=True)

        response = client_for(owner).post(
            reverse("messaging:answer", args=[engagement.pk, question.pk]), follow=True
        )

        assert "The question is marked answered." in response.content.decode()
        question.refresh_from_db()
        assert question.answered_by == owner

    def test_twice_is_told(self, client_for, engagement, student, mentor):
        question = post(engagement, student, is_question=True)
        services.mark_answered(question, by=mentor)

        response = client_for(student).post(
            reverse("messaging:answer", args=[engagement.pk, question.pk]), follow=True
        )

        assert "already marked answered" in response.content.decode()

    def test_an_unknown_message_is_not_found(self, client_for, engagement, student):
        url = reverse("messaging:answer", args=[engagement.pk, 999_999])
        assert client_for(student).post(url).status_code == 404


class TestPermissions:
    @pytest.mark.parametrize(
        ("role", "read", "write"),
        [
            ("student", 200, 302),
            ("mentor", 200, 302),
            ("owner", 200, 302),
            ("staff", 404, 404),
            ("other_mentor", 404, 404),
            ("outsider", 404, 404),
            ("other_student", 404, 404),
            ("other_staff", 404, 404),
        ],
    )
    def test_by_role(self, client_for, people, engagement, student, role, read, write):
        question = post(engagement, student, is_question=True)
        client = client_for(people[role])

        assert client.get(thread_url(engagement)).status_code == read
        assert client.get(poll_url(engagement, 0)).status_code == read
        assert client.post(post_url(engagement), {"body": "Hi"}).status_code == write
        answer_url = reverse("messaging:answer", args=[engagement.pk, question.pk])
        assert client.post(answer_url).status_code == write

    def test_anonymous_visitors_log_in_first(self, engagement):
        for response in (
            Client().get(thread_url(engagement)),
            Client().post(post_url(engagement), {"body": "Hi"}),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))


def test_admins_moderate_messages(admin_client, engagement, student):
    message = post(engagement, student, "Visible to moderators")

    assert admin_client.get("/admin/messaging/message/").status_code == 200
    page = admin_client.get(f"/admin/messaging/message/{message.pk}/change/")
    assert "Visible to moderators" in page.content.decode()


def test_admins_see_the_files_and_earlier_texts(admin_client, engagement, student):
    message = post(engagement, student, "First text", files=[upload("report.pdf")])
    services.edit_message(
        selectors.message_of(engagement, message.pk), by=student, body="Second text"
    )

    page = admin_client.get(f"/admin/messaging/message/{message.pk}/change/").content.decode()

    assert "report.pdf" in page and "First text" in page and "Second text" in page
