"""Quoting: a reply refers to one earlier message of the same thread, shown as a quote with its
author, its time and its first lines, linking to it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from practicum.engagements.models import EngagementEvent
from practicum.notifications.models import Notification
from practicum.workspace.messaging import selectors
from practicum.workspace.messaging.models import Message
from tests.workspace.messaging.conftest import post

pytestmark = pytest.mark.django_db

LONG = "Line one\n\nLine two\nLine three\nLine four, not shown"


def thread_url(engagement, query=""):
    return reverse("messaging:thread", args=[engagement.pk]) + query


def counts(engagement) -> tuple[int, int, int]:
    return (
        Message.objects.count(),
        EngagementEvent.objects.filter(engagement=engagement, kind="message_posted").count(),
        Notification.objects.filter(kind="new_message").count(),
    )


class TestService:
    def test_a_reply_quotes_an_earlier_message(self, engagement, student, mentor):
        asked = post(engagement, student, "When do we meet?")

        reply = post(engagement, mentor, "Tuesday.", quote=asked.pk)

        assert selectors.message_of(engagement, reply.pk).quote == asked

    def test_a_message_of_another_thread_is_refused(
        self, engagement, other_engagement, student, mentor
    ):
        # The mentor reads both threads, and still may not quote one in the other.
        elsewhere = post(other_engagement, mentor, "Other thread")
        before = counts(engagement)

        with pytest.raises(ValidationError) as caught:
            post(engagement, mentor, "Reply", quote=elsewhere.pk)

        assert list(caught.value.message_dict) == ["quote"]
        assert counts(engagement) == before

    def test_an_unknown_message_is_refused(self, engagement, student):
        with pytest.raises(ValidationError):
            post(engagement, student, "Reply", quote=10**9)
        assert not Message.objects.exists()

    def test_the_quote_shows_the_first_lines(self, engagement, student):
        assert post(engagement, student, LONG).opening_lines == "Line one\nLine two\nLine three…"
        assert post(engagement, student, "Short").opening_lines == "Short"
        assert len(post(engagement, student, "x" * 1000).opening_lines) == 300


class TestPages:
    def test_quote_in_reply_opens_the_box_with_the_quote(self, client_for, engagement, student):
        asked = post(engagement, student, LONG)

        page = client_for(student).get(thread_url(engagement, f"?quote={asked.pk}"))

        html = page.content.decode()
        assert f'name="quote" value="{asked.pk}"' in html
        assert "Replying to" in html and "Line three…" in html

    def test_the_reply_shows_the_quote_linking_to_it(self, client_for, engagement, student, mentor):
        asked = post(engagement, student, LONG)
        client = client_for(mentor)

        response = client.post(
            reverse("messaging:post", args=[engagement.pk]), {"body": "Tuesday.", "quote": asked.pk}
        )

        assert response.status_code == 302
        reply = Message.objects.get(body="Tuesday.")
        assert reply.quote_id == asked.pk
        html = client.get(thread_url(engagement)).content.decode()
        quote = html[html.index(f'id="message-{reply.pk}"') :]
        assert f'href="{thread_url(engagement, f"?at={asked.pk}")}#message-{asked.pk}"' in quote
        assert student.name in quote and "Line one<br>Line two<br>Line three…" in quote

    def test_a_quote_of_another_thread_is_told_and_nothing_posted(
        self, client_for, engagement, other_engagement, mentor
    ):
        elsewhere = post(other_engagement, mentor, "Other thread")
        before = counts(engagement)
        client = client_for(mentor)

        response = client.post(
            reverse("messaging:post", args=[engagement.pk]),
            {"body": "Keep this", "quote": elsewhere.pk},
        )

        assert response.status_code == 422
        assert "no such message in this thread" in response.content.decode()
        assert counts(engagement) == before
        assert client.get(thread_url(engagement, f"?quote={elsewhere.pk}")).status_code == 404

    @pytest.mark.parametrize("value", ["x", "-1", str(2**70)])
    def test_a_malformed_quote_is_refused(self, client_for, engagement, student, value):
        response = client_for(student).post(
            reverse("messaging:post", args=[engagement.pk]), {"body": "Hi", "quote": value}
        )

        assert response.status_code == 422
        assert not Message.objects.exists()

    def test_a_message_link_opens_the_page_that_shows_it(self, client_for, engagement, student):
        first = post(engagement, student, "The very first")
        for n in range(selectors.PAGE_SIZE + 5):
            post(engagement, student, f"#{n}")
        client = client_for(student)

        assert f'id="message-{first.pk}"' not in client.get(thread_url(engagement)).content.decode()
        shown = client.get(thread_url(engagement, f"?at={first.pk}")).content.decode()
        assert f'id="message-{first.pk}"' in shown
        for query in ("?at=999999", "?at=x", f"?at={2**70}", f"?quote={2**70}", "?before=-5"):
            assert client.get(thread_url(engagement, query)).status_code == 404, query


class TestApi:
    def url(self, engagement):
        return f"/api/v1/engagements/{engagement.pk}/messages"

    def test_the_quote_comes_back(self, api_client_for, engagement, student, mentor):
        asked = post(engagement, student, LONG)

        response = api_client_for(mentor).post(
            self.url(engagement), {"body": "Tuesday.", "quote": asked.pk}, "application/json"
        )

        assert response.status_code == 201
        quote = response.json()["quote"]
        assert quote["id"] == asked.pk
        assert quote["author"] == {"id": student.pk, "name": student.name}
        assert quote["excerpt"] == "Line one\nLine two\nLine three…"

    def test_a_message_of_another_thread_is_422_and_nothing_written(
        self, api_client_for, engagement, other_engagement, mentor
    ):
        elsewhere = post(other_engagement, mentor, "Other thread")
        before = counts(engagement)

        response = api_client_for(mentor).post(
            self.url(engagement), {"body": "Reply", "quote": elsewhere.pk}, "application/json"
        )

        assert response.status_code == 422
        assert list(response.json()["fields"]) == ["quote"]
        assert counts(engagement) == before

    @pytest.mark.parametrize("quote", [0, -1, 2**70, "one", True])
    def test_a_malformed_quote_is_422(self, api_client_for, engagement, student, quote):
        response = api_client_for(student).post(
            self.url(engagement), {"body": "Reply", "quote": quote}, "application/json"
        )

        assert response.status_code == 422
        assert not Message.objects.exists()
