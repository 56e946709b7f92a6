"""Editing a message: its author only, within 15 minutes of posting, while the thread is open;
the message is marked edited and the texts it had are kept for both parties to read."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practicum.core.errors import Conflict, Refused
from practicum.engagements.models import Engagement
from practicum.workspace.messaging import selectors, services
from practicum.workspace.messaging.models import Message, MessageRevision
from tests.workspace.messaging.conftest import post, posted_minutes_ago, set_state

pytestmark = pytest.mark.django_db

STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff", "superuser"]


def edit(message, by, body="Corrected text."):
    message = selectors.message_of(message.engagement, message.pk)
    return services.edit_message(message, by=by, body=body)


def edit_url(message):
    return reverse("messaging:edit", args=[message.engagement_id, message.pk])


def history_url(message):
    return reverse("messaging:history", args=[message.engagement_id, message.pk])


def api_url(message, rest=""):
    return f"/api/v1/engagements/{message.engagement_id}/messages/{message.pk}{rest}"


def patch(client, message, body):
    return client.patch(api_url(message), {"body": body}, content_type="application/json")


class TestService:
    def test_the_author_edits_within_the_window(self, engagement, student):
        message = posted_minutes_ago(post(engagement, student, "Meet at 10?"), 14)

        edited = edit(message, student, "  Meet at 11?  ")

        assert edited.body == "Meet at 11?"
        assert edited.edited_at is not None
        [revision] = MessageRevision.objects.filter(message=message)
        assert (revision.number, revision.body) == (1, "Meet at 10?")
        assert revision.written_at == message.created_at
        assert revision.replaced_at == edited.edited_at

    def test_past_the_window_the_message_stays(self, engagement, student):
        message = posted_minutes_ago(post(engagement, student, "Meet at 10?"), 16)

        with pytest.raises(Conflict) as caught:
            edit(message, student, "Meet at 11?")

        assert caught.value.code == "edit_window_closed"
        assert "15 minutes" in caught.value.message
        message.refresh_from_db()
        assert (message.body, message.edited_at) == ("Meet at 10?", None)
        assert not MessageRevision.objects.exists()

    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_only_the_author_edits(self, engagement, people, student, role):
        message = post(engagement, student, "Mine")

        with pytest.raises(Refused) as caught:
            edit(message, people[role])

        assert caught.value.code == "not_the_author"
        assert Message.objects.get().body == "Mine"

    def test_non_parties_are_refused(self, engagement, student, staff):
        with pytest.raises(Refused) as caught:
            edit(post(engagement, student), staff)
        assert caught.value.code == "not_a_party"

    def test_every_earlier_text_is_kept_newest_first(self, engagement, mentor):
        message = post(engagement, mentor, "v1")
        first = edit(message, mentor, "v2")
        edit(message, mentor, "v3")

        revisions = list(selectors.revisions_of(message))

        assert [(r.number, r.body) for r in revisions] == [(2, "v2"), (1, "v1")]
        assert revisions[0].written_at == first.edited_at
        assert Message.objects.get().body == "v3"

    def test_the_same_text_again_changes_nothing(self, engagement, student):
        message = post(engagement, student, "Same")

        edit(message, student, "Same\r\n")

        message.refresh_from_db()
        assert message.edited_at is None
        assert not MessageRevision.objects.exists()

    @pytest.mark.parametrize("body", ["", "  ", "x" * 10_001])
    def test_the_new_text_follows_the_rules(self, engagement, student, body):
        message = post(engagement, student, "Fine")

        with pytest.raises(ValidationError) as caught:
            edit(message, student, body)

        assert "body" in caught.value.message_dict
        assert Message.objects.get().body == "Fine"
        assert not MessageRevision.objects.exists()

    def test_not_once_the_engagement_is_closed(self, engagement, student):
        message = post(engagement, student)
        set_state(engagement, Engagement.State.COMPLETED)

        with pytest.raises(Conflict) as caught:
            edit(message, student)
        assert caught.value.code == "engagement_not_active"


class TestPages:
    def test_the_author_sees_an_edit_link_within_the_window(
        self, client_for, engagement, student, mentor
    ):
        fresh = post(engagement, student, "Fresh")
        old = posted_minutes_ago(post(engagement, student, "Old"), 16)
        thread = reverse("messaging:thread", args=[engagement.pk])

        mine = client_for(student).get(thread).content.decode()
        theirs = client_for(mentor).get(thread).content.decode()

        assert f'href="{edit_url(fresh)}"' in mine
        assert f'href="{edit_url(old)}"' not in mine
        assert f'href="{edit_url(fresh)}"' not in theirs

    def test_edit_then_both_see_edited_and_the_history(
        self, client_for, engagement, student, mentor
    ):
        message = posted_minutes_ago(post(engagement, student, "Meet at **10**?"), 14)
        client = client_for(student)
        assert "Meet at **10**?" in client.get(edit_url(message)).content.decode()

        response = client.post(edit_url(message), {"body": "Meet at **11**?"})

        assert response.status_code == 302
        assert response["Location"].endswith(f"?at={message.pk}#message-{message.pk}")
        thread = client_for(mentor).get(reverse("messaging:thread", args=[engagement.pk]))
        html = thread.content.decode()
        assert f'href="{history_url(message)}"' in html and ">edited</a>" in html
        assert "<strong>11</strong>" in html
        for reader in (mentor, student):
            history = client_for(reader).get(history_url(message)).content.decode()
            assert "<strong>11</strong>" in history  # now
            assert "<strong>10</strong>" in history  # before
            assert "Version 1" in history

    def test_past_the_window_the_form_says_so(self, client_for, engagement, student):
        message = posted_minutes_ago(post(engagement, student, "Old text"), 16)
        client = client_for(student)

        shown = client.get(edit_url(message))
        sent = client.post(edit_url(message), {"body": "New text"})

        assert shown.status_code == sent.status_code == 409
        assert "can be edited for 15 minutes" in sent.content.decode()
        assert Message.objects.get().body == "Old text"

    def test_a_bad_text_is_told_with_what_was_typed(self, client_for, engagement, student):
        message = post(engagement, student, "Old text")

        response = client_for(student).post(edit_url(message), {"body": "  "})

        assert response.status_code == 422
        assert "Write a message." in response.content.decode()
        assert Message.objects.get().body == "Old text"

    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_the_other_party_may_not_edit(self, client_for, people, engagement, student, role):
        message = post(engagement, student, "Mine")
        client = client_for(people[role])

        assert client.get(edit_url(message)).status_code == 403
        assert client.post(edit_url(message), {"body": "Theirs"}).status_code == 403
        assert client.post(edit_url(message), {"body": ""}).status_code == 403
        assert Message.objects.get().body == "Mine"

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_find_nothing(self, client_for, people, engagement, student, role):
        message = post(engagement, student, "Mine")
        edit(message, student, "Mine, edited")
        client = client_for(people[role])

        assert client.get(edit_url(message)).status_code == 404
        assert client.post(edit_url(message), {"body": "Theirs"}).status_code == 404
        assert client.get(history_url(message)).status_code == 404
        assert Message.objects.get().body == "Mine, edited"

    def test_anonymous_visitors_log_in_first(self, engagement, student):
        message = post(engagement, student)
        for response in (Client().get(history_url(message)), Client().get(edit_url(message))):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))

    def test_the_history_is_paginated(self, client_for, engagement, student):
        message = post(engagement, student, "v0")
        for n in range(1, 23):
            edit(message, student, f"v{n}")
        client = client_for(student)

        first = client.get(history_url(message)).content.decode()
        second = client.get(history_url(message) + "?page=2").content.decode()

        assert first.count('id="revision-') == 20
        assert "Version 22" in first and "Page 1 of 2" in first
        assert second.count('id="revision-') == 2 and "Version 1," in second


class TestApi:
    def test_the_author_edits(self, api_client_for, engagement, student):
        message = posted_minutes_ago(post(engagement, student, "Meet at 10?"), 14)

        response = patch(api_client_for(student), message, "Meet at 11?")

        assert response.status_code == 200
        data = response.json()
        assert (data["body"], data["edited"]) == ("Meet at 11?", True)
        assert data["edited_at"] is not None

    def test_past_the_window_is_409_with_a_code(self, api_client_for, engagement, student):
        message = posted_minutes_ago(post(engagement, student, "Meet at 10?"), 16)

        response = patch(api_client_for(student), message, "Meet at 11?")

        assert response.status_code == 409
        assert response.json()["code"] == "edit_window_closed"
        assert Message.objects.get().body == "Meet at 10?"

    def test_the_other_party_is_403(self, api_client_for, engagement, student, mentor):
        message = post(engagement, student, "Mine")

        response = patch(api_client_for(mentor), message, "Theirs")

        assert response.status_code == 403
        assert response.json()["code"] == "not_the_author"

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_find_nothing(self, api_client_for, people, engagement, student, role):
        message = post(engagement, student, "Mine")
        client = api_client_for(people[role])

        assert patch(client, message, "Theirs").status_code == 404
        assert client.get(api_url(message, "/revisions")).status_code == 404
        assert client.get(api_url(message)).status_code == 404
        assert Message.objects.get().body == "Mine"

    @pytest.mark.parametrize(
        "payload", [{"body": ""}, {"body": "a\x00b"}, {}, {"body": "x", "author": 1}]
    )
    def test_bad_input_is_422(self, api_client_for, engagement, student, payload):
        message = post(engagement, student, "Mine")

        response = api_client_for(student).patch(
            api_url(message), payload, content_type="application/json"
        )

        assert response.status_code == 422
        assert Message.objects.get().body == "Mine"

    def test_revisions_newest_first_and_paginated(self, api_client_for, engagement, student):
        message = post(engagement, student, "v0")
        for n in range(1, 4):
            edit(message, student, f"v{n}")
        client = api_client_for(student)

        page = client.get(api_url(message, "/revisions?page_size=2")).json()
        rest = client.get(api_url(message, "/revisions?page_size=2&page=2")).json()

        assert page["count"] == 3
        assert [r["body"] for r in page["items"]] == ["v2", "v1"]
        assert [(r["number"], r["body"]) for r in rest["items"]] == [(1, "v0")]
        assert client.get(api_url(message, "/revisions?page_size=101")).status_code == 422

    def test_the_other_party_reads_the_revisions(self, api_client_for, engagement, student, mentor):
        message = post(engagement, student, "v0")
        edit(message, student, "v1")

        response = api_client_for(mentor).get(api_url(message, "/revisions"))

        assert response.status_code == 200
        assert [r["body"] for r in response.json()["items"]] == ["v0"]
