"""Progress updates over JSON."""

import pytest
from django.test import Client

from practicum.workspace.progress import services
from practicum.workspace.progress.models import ProgressUpdate
from tests.workspace.progress.conftest import report

pytestmark = pytest.mark.django_db


def url(engagement, rest=""):
    return f"/api/v1/engagements/{engagement.pk}/updates{rest}"


def send(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_list_with_comments_and_hours(api_client_for, engagement, student, mentor):
    first = report(engagement, student, hours="2.5")
    second = report(engagement, student, hours="10", blockers="Access")
    comment = services.comment_on_update(first, by=mentor, body="Good")

    response = api_client_for(mentor).get(url(engagement))

    assert response.status_code == 200
    body = response.json()
    assert (body["reported_hours"], body["agreed_hours"], body["over_agreed"]) == (
        "12.5",
        40,
        False,
    )
    assert [u["id"] for u in body["updates"]] == [second.pk, first.pk]
    assert body["updates"][0]["blockers"] == "Access"
    assert body["updates"][1]["hours"] == "2.5"
    assert body["updates"][1]["comments"] == [
        {
            "id": comment.pk,
            "author": {"id": mentor.pk, "name": mentor.name},
            "side": "organization",
            "body": "Good",
            "created_at": body["updates"][1]["comments"][0]["created_at"],
        }
    ]


def test_post_an_update(api_client_for, engagement, student):
    response = send(api_client_for(student), url(engagement), {"done": "Cleaned", "hours": "1.25"})

    assert response.status_code == 201
    body = response.json()
    assert (body["done"], body["hours"], body["comments"]) == ("Cleaned", "1.25", [])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"done": "Work", "hours": -1}, "hours"),
        ({"done": "Work", "hours": 168.5}, "hours"),
        ({"done": "Work", "hours": 0.1}, "hours"),
        ({"done": "", "hours": 1}, "done"),
        ({"hours": 1}, "done"),
        ({"done": "Work"}, "hours"),
        ({"done": "Work", "hours": "many"}, "hours"),
    ],
)
def test_bad_input_is_422(api_client_for, engagement, student, payload, field):
    response = send(api_client_for(student), url(engagement), payload)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert not ProgressUpdate.objects.exists()


def test_the_organization_may_not_post_updates(api_client_for, engagement, mentor):
    response = send(api_client_for(mentor), url(engagement), {"done": "x", "hours": 1})

    assert (response.status_code, response.json()["code"]) == (403, "wrong_side")


def test_comment(api_client_for, engagement, student, mentor):
    update = report(engagement, student)

    response = send(
        api_client_for(mentor), url(engagement, f"/{update.pk}/comments"), {"body": "Ok"}
    )

    assert response.status_code == 201
    assert (response.json()["side"], response.json()["body"]) == ("organization", "Ok")


def test_comment_errors(api_client_for, engagement, student, mentor, staff):
    """Career-center staff are told nothing exists, like any stranger."""
    update = report(engagement, student)
    path = url(engagement, f"/{update.pk}/comments")

    assert send(api_client_for(mentor), path, {"body": ""}).status_code == 422
    assert send(api_client_for(staff), path, {"body": "Hi"}).status_code == 404
    missing = url(engagement, f"/{update.pk + 1000}/comments")
    assert send(api_client_for(mentor), missing, {"body": "Hi"}).status_code == 404


@pytest.mark.parametrize(
    "role", ["other_mentor", "outsider", "other_student", "other_staff", "staff"]
)
def test_strangers_find_nothing(api_client_for, people, engagement, role):
    client = api_client_for(people[role])

    assert client.get(url(engagement)).status_code == 404
    assert send(client, url(engagement), {"done": "x", "hours": 1}).status_code == 404


def test_anonymous_is_401(engagement):
    assert Client().get(url(engagement)).status_code == 401
