"""The thread over JSON: list after an id, post (idempotent with an Idempotency-Key), answer,
read."""

import uuid

import pytest
from django.test import Client

from practicum.workspace.messaging import selectors, services
from practicum.workspace.messaging.models import BODY_MAX, Message
from tests.workspace.messaging.conftest import post

pytestmark = pytest.mark.django_db


def url(engagement, rest=""):
    return f"/api/v1/engagements/{engagement.pk}/messages{rest}"


def send(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


class TestList:
    def test_messages_with_questions_and_unread(self, api_client_for, engagement, student, mentor):
        mine = post(engagement, student, "Mine")
        question = post(engagement, mentor, "Can you join Monday?", is_question=True)
        answered = post(engagement, mentor, "Ready?", is_question=True)
        services.mark_answered(answered, by=student)

        response = api_client_for(student).get(url(engagement))

        assert response.status_code == 200
        body = response.json()
        assert [m["id"] for m in body["messages"]] == [mine.pk, question.pk, answered.pk]
        first, second, third = body["messages"]
        assert first["author"] == {"id": student.pk, "name": student.name}
        assert (first["side"], first["is_question"], first["unread"]) == ("student", False, False)
        assert (second["is_question"], second["answered"], second["unread"]) == (True, False, True)
        assert third["answered"] and third["answered_by"]["id"] == student.pk
        assert (body["unread_count"], body["last_read_id"], body["has_more"]) == (2, 0, False)

    def test_paging_after_an_id(self, api_client_for, engagement, student):
        posted = [post(engagement, student, f"#{n}").pk for n in range(5)]
        client = api_client_for(student)

        first = client.get(url(engagement), {"limit": 2}).json()
        rest = client.get(url(engagement), {"after": posted[1], "limit": 10}).json()

        assert [m["id"] for m in first["messages"]] == posted[:2]
        assert first["has_more"]
        assert [m["id"] for m in rest["messages"]] == posted[2:]
        assert not rest["has_more"]

    @pytest.mark.parametrize(
        "params", [{"limit": 0}, {"limit": 201}, {"after": -1}, {"after": "x"}]
    )
    def test_bad_paging_is_422(self, api_client_for, engagement, student, params):
        response = api_client_for(student).get(url(engagement), params)

        assert response.status_code == 422
        assert response.json()["code"] == "invalid"

    def test_listing_does_not_read(self, api_client_for, engagement, student, mentor):
        post(engagement, student)

        api_client_for(mentor).get(url(engagement))

        assert selectors.unread_count(mentor, engagement) == 1


class TestPost:
    def test_post_a_question(self, api_client_for, engagement, student, mentor):
        response = send(
            api_client_for(student), url(engagement), {"body": "Which tool?", "is_question": True}
        )

        assert response.status_code == 201
        body = response.json()
        assert (body["body"], body["is_question"], body["answered"]) == ("Which tool?", True, False)
        assert body["side"] == "student"
        assert selectors.unread_count(mentor, engagement) == 1

    def test_the_same_idempotency_key_posts_once(self, api_client_for, engagement, student):
        client = api_client_for(student)
        key = {"headers": {"Idempotency-Key": str(uuid.uuid4())}}

        first = client.post(url(engagement), {"body": "Retry-safe"}, "application/json", **key)
        second = client.post(url(engagement), {"body": "Retry-safe"}, "application/json", **key)

        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert Message.objects.count() == 1

    def test_a_malformed_idempotency_key_is_422(self, api_client_for, engagement, student):
        response = api_client_for(student).post(
            url(engagement),
            {"body": "Hi"},
            "application/json",
            headers={"Idempotency-Key": "not a key"},
        )
        assert response.status_code == 422
        assert "idempotency_key" in response.json()["fields"]
        assert Message.objects.count() == 0

    @pytest.mark.parametrize(
        "payload",
        [
            {"body": ""},
            {"body": "   "},
            {"body": "x" * (BODY_MAX + 1)},
            {},
        ],
    )
    def test_bad_input_is_422(self, api_client_for, engagement, student, payload):
        response = send(api_client_for(student), url(engagement), payload)

        assert response.status_code == 422
        assert response.json()["code"] == "invalid"
        assert Message.objects.count() == 0

    @pytest.mark.parametrize(
        "role", ["other_mentor", "outsider", "other_student", "other_staff", "staff"]
    )
    def test_strangers_find_nothing(self, api_client_for, people, engagement, role):
        client = api_client_for(people[role])

        assert client.get(url(engagement)).status_code == 404
        assert send(client, url(engagement), {"body": "Hi"}).status_code == 404

    def test_anonymous_is_401(self, engagement):
        assert Client().get(url(engagement)).status_code == 401
        assert send(Client(), url(engagement), {"body": "Hi"}).status_code == 401

    def test_a_closed_engagement_is_409(self, api_client_for, engagement, student):
        from tests.workspace.messaging.conftest import set_state

        set_state(engagement, "completed")
        response = send(api_client_for(student), url(engagement), {"body": "Hi"})

        assert response.status_code == 409
        assert response.json()["code"] == "engagement_not_active"


class TestAnswerAndRead:
    def test_mark_a_question_answered(self, api_client_for, engagement, student, mentor):
        question = post(engagement, student, is_question=True)
        client = api_client_for(mentor)

        response = send(client, url(engagement, f"/{question.pk}/answered"))
        again = send(client, url(engagement, f"/{question.pk}/answered"))

        assert response.status_code == 200
        assert response.json()["answered_by"]["id"] == mentor.pk
        assert (again.status_code, again.json()["code"]) == (409, "already_answered")

    def test_only_questions_and_only_in_this_thread(self, api_client_for, engagement, student):
        plain = post(engagement, student)
        client = api_client_for(student)

        assert send(client, url(engagement, f"/{plain.pk}/answered")).status_code == 409
        assert send(client, url(engagement, "/999999/answered")).status_code == 404

    def test_mark_read(self, api_client_for, engagement, student, mentor):
        first = post(engagement, student)
        last = post(engagement, student)
        client = api_client_for(mentor)

        partly = send(client, url(engagement, "/read"), {"up_to": first.pk})
        fully = send(client, url(engagement, "/read"))

        assert partly.json() == {"last_read_id": first.pk, "unread_count": 1}
        assert fully.json() == {"last_read_id": last.pk, "unread_count": 0}

    def test_career_staff_keep_no_read_marker(self, api_client_for, engagement, staff):
        assert send(api_client_for(staff), url(engagement, "/read")).status_code == 404
