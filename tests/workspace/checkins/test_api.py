"""Check-ins and the calendar feed over JSON: the same rules as the pages, with error codes."""

import datetime
import json
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from practicum.engagements import lifecycle
from practicum.engagements.models import EngagementEvent
from practicum.workspace.checkins import services

pytestmark = pytest.mark.django_db

API = "/api/v1"
READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]


def base(checkin) -> str:
    return f"{API}/engagements/{checkin.engagement_id}/checkins/{checkin.pk}"


def send(client, method, path, data):
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def future(**delta) -> str:
    return (timezone.now() + datetime.timedelta(**delta)).isoformat()


WRITES = [
    ("post", "/agenda", {"text": "A point"}),
    ("put", "/notes", {"notes": "Some notes"}),
    ("post", "/outcome", {"outcome": "held"}),
    ("post", "/reschedule", {"scheduled_at": "2031-01-06T10:00:00Z", "reason": "Clash"}),
]


class TestRead:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_list_and_get(self, request, engagement, checkins, api_client_for, who):
        client = api_client_for(request.getfixturevalue(who))

        listed = client.get(f"{API}/engagements/{engagement.pk}/checkins")
        one = client.get(base(checkins[0]))

        assert listed.status_code == 200
        assert [c["id"] for c in listed.json()["items"]] == [c.pk for c in checkins]
        assert one.status_code == 200
        body = one.json()
        assert body["status"] == "scheduled"
        assert body["url"] == checkins[0].get_absolute_url()
        assert body["scheduled_at"].startswith(checkins[0].scheduled_at.date().isoformat())
        assert (body["agenda"], body["reschedules"], body["notes_revision"]) == ([], [], 0)

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404(self, request, engagement, checkin, api_client_for, who):
        client = api_client_for(request.getfixturevalue(who))
        assert error_of(client.get(f"{API}/engagements/{engagement.pk}/checkins")) == (
            404,
            "not_found",
        )
        assert client.get(base(checkin)).status_code == 404

    def test_anonymous_gets_401(self, engagement, checkin):
        assert Client().get(f"{API}/engagements/{engagement.pk}/checkins").status_code == 401
        assert Client().get(base(checkin)).status_code == 401

    def test_an_unknown_check_in_is_404(self, engagement, student, api_client_for):
        response = api_client_for(student).get(f"{API}/engagements/{engagement.pk}/checkins/999999")
        assert response.status_code == 404

    def test_reschedules_are_listed(self, checkin, student, mentor, api_client_for):
        to = checkin.scheduled_at + datetime.timedelta(hours=2)
        services.reschedule(checkin, by=student, to=to, reason="Exam")

        body = api_client_for(mentor).get(base(checkin)).json()

        [move] = body["reschedules"]
        assert move["reason"] == "Exam"
        assert move["side"] == "student"
        assert move["actor"]["id"] == student.pk
        assert datetime.datetime.fromisoformat(move["new_at"]) == to
        assert datetime.datetime.fromisoformat(move["previous_at"]) == checkin.scheduled_at
        assert body["sequence"] == 1


class TestWrite:
    def test_agenda(self, checkin, mentor, api_client_for):
        response = send(
            api_client_for(mentor),
            "post",
            f"{base(checkin)}/agenda",
            {"text": "Show the draft charts"},
        )

        assert response.status_code == 201
        [item] = response.json()["agenda"]
        assert (item["text"], item["side"], item["author"]["id"]) == (
            "Show the draft charts",
            "organization",
            mentor.pk,
        )

    def test_notes_with_revision(self, checkin, student, mentor, api_client_for):
        first = send(
            api_client_for(student), "put", f"{base(checkin)}/notes", {"notes": "v1", "revision": 0}
        )
        assert first.status_code == 200
        assert first.json()["notes_revision"] == 1
        assert first.json()["notes_edited_by"]["id"] == student.pk

        stale = send(
            api_client_for(mentor), "put", f"{base(checkin)}/notes", {"notes": "v2", "revision": 0}
        )
        assert error_of(stale) == (409, "notes_changed")

    def test_outcome(self, past_checkin, mentor, api_client_for):
        response = send(
            api_client_for(mentor),
            "post",
            f"{base(past_checkin)}/outcome",
            {"outcome": "missed", "missed_by": "both"},
        )

        assert response.status_code == 200
        assert (response.json()["status"], response.json()["missed_by"]) == ("missed", "both")
        assert EngagementEvent.objects.filter(kind="checkin_missed").count() == 1

    def test_outcome_before_its_time_is_409(self, checkin, mentor, api_client_for):
        response = send(
            api_client_for(mentor), "post", f"{base(checkin)}/outcome", {"outcome": "held"}
        )
        assert error_of(response) == (409, "too_early")

    def test_outcome_twice_is_409(self, past_checkin, mentor, student, api_client_for):
        services.record_outcome(past_checkin, by=student, outcome="held")
        response = send(
            api_client_for(mentor), "post", f"{base(past_checkin)}/outcome", {"outcome": "held"}
        )
        assert error_of(response) == (409, "outcome_recorded")

    def test_reschedule(self, checkin, student, api_client_for):
        day = lifecycle.starts_on(checkin.engagement) + datetime.timedelta(days=5)
        to = datetime.datetime.combine(day, datetime.time(10), datetime.UTC).isoformat()
        response = send(
            api_client_for(student),
            "post",
            f"{base(checkin)}/reschedule",
            {"scheduled_at": to, "reason": "Conference"},
        )

        assert response.status_code == 200
        body = response.json()
        assert datetime.datetime.fromisoformat(body["scheduled_at"]) == (
            datetime.datetime.fromisoformat(to).replace(microsecond=0)
        )
        assert body["reschedules"][0]["reason"] == "Conference"

    @pytest.mark.parametrize(
        "method,path,data,field",
        [
            ("post", "/agenda", {"text": ""}, "text"),
            ("post", "/agenda", {}, "text"),
            ("post", "/agenda", {"text": "x" * 501}, "text"),
            ("put", "/notes", {"notes": 12}, "notes"),
            ("put", "/notes", {"notes": "x" * 20_001}, "notes"),
            ("post", "/outcome", {"outcome": "cancelled"}, "outcome"),
            ("post", "/outcome", {"outcome": "missed"}, "missed_by"),
            ("post", "/reschedule", {"scheduled_at": "soon", "reason": "X"}, "scheduled_at"),
            ("post", "/reschedule", {"scheduled_at": "PAST", "reason": "X"}, "scheduled_at"),
            ("post", "/reschedule", {"scheduled_at": "NAIVE", "reason": "X"}, "scheduled_at"),
            ("post", "/reschedule", {"scheduled_at": "SOON", "reason": " "}, "reason"),
            ("post", "/reschedule", {"scheduled_at": "SOON"}, "reason"),
        ],
    )
    def test_bad_input_is_422(
        self, past_checkin, student, api_client_for, method, path, data, field
    ):
        soon = timezone.now() + datetime.timedelta(days=3)
        placeholders = {
            "SOON": soon.isoformat(),
            "NAIVE": soon.replace(tzinfo=None).isoformat(),
            "PAST": (timezone.now() - datetime.timedelta(days=1)).isoformat(),
        }
        data = {k: placeholders.get(v, v) if isinstance(v, str) else v for k, v in data.items()}

        response = send(api_client_for(student), method, f"{base(past_checkin)}{path}", data)

        assert error_of(response) == (422, "invalid"), response.json()
        assert field in response.json()["fields"]

    @pytest.mark.parametrize("method,path,data", WRITES)
    def test_career_staff_get_404(self, past_checkin, staff, api_client_for, method, path, data):
        response = send(api_client_for(staff), method, f"{base(past_checkin)}{path}", data)
        assert error_of(response) == (404, "not_found")

    @pytest.mark.parametrize("method,path,data", WRITES)
    def test_strangers_get_404(
        self, past_checkin, other_mentor, api_client_for, method, path, data
    ):
        response = send(api_client_for(other_mentor), method, f"{base(past_checkin)}{path}", data)
        assert response.status_code == 404

    @pytest.mark.parametrize("method,path,data", WRITES)
    def test_anonymous_gets_401(self, past_checkin, method, path, data):
        assert send(Client(), method, f"{base(past_checkin)}{path}", data).status_code == 401

    def test_a_closed_engagement_is_409(self, checkin, student, api_client_for):
        from practicum.engagements import agreements

        agreements.cancel(checkin.engagement, by=student, reason="Other plans.")
        response = send(api_client_for(student), "post", f"{base(checkin)}/agenda", {"text": "Hi"})
        assert error_of(response) == (409, "engagement_not_active")


class TestFeed:
    def test_get_and_regenerate(self, engagement, student, api_client_for):
        client = api_client_for(student)

        first = client.get(f"{API}/calendar/feed")
        assert first.status_code == 200
        old = first.json()["url"]
        assert first.json()["regenerated_at"] is None
        assert Client().get(old).status_code == 200

        second = client.post(f"{API}/calendar/feed")
        assert second.status_code == 200
        new = second.json()["url"]
        assert new != old
        assert second.json()["regenerated_at"] is not None
        assert client.get(f"{API}/calendar/feed").json()["url"] == new
        assert Client().get(old).status_code == 404
        assert Client().get(new).status_code == 200

    def test_the_address_stays_the_same_from_one_second_to_the_next(
        self, engagement, student, api_client_for, monkeypatch
    ):
        client = api_client_for(student)
        first = client.get(f"{API}/calendar/feed").json()["url"]
        now = time.time()
        monkeypatch.setattr(signing.time, "time", lambda: now + 5)
        assert client.get(f"{API}/calendar/feed").json()["url"] == first
        assert Client().get(first).status_code == 200

    def test_anonymous_gets_401(self):
        assert Client().get(f"{API}/calendar/feed").status_code == 401
        assert Client().post(f"{API}/calendar/feed").status_code == 401


def test_schema_names_are_prefixed():
    from practicum.api.urls import api

    names = set(api.get_openapi_schema()["components"]["schemas"])
    ours = {n for n in names if n.startswith(("CheckIn", "Calendar"))}
    assert {"CheckInOut", "CheckInAgendaIn", "CalendarFeedOut"} <= ours
