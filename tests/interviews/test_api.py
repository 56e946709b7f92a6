"""Interviews over JSON: allowed and refused users, bad input as 4xx JSON with nothing written."""

import pytest

from practicum.interviews.models import Interview
from tests.interviews.conftest import at, start_now

pytestmark = pytest.mark.django_db


def base(application) -> str:
    return f"/api/v1/applications/{application.pk}/interviews"


def one(interview, action="") -> str:
    return f"{base(interview.application)}/{interview.pk}" + (f"/{action}" if action else "")


def slot_json(hours, **extra) -> dict:
    return {
        "starts_at": at(hours).isoformat(),
        "duration_minutes": 30,
        "video_url": "https://meet.example.org/x",
        **extra,
    }


def post(client, path, body, **headers):
    return client.post(path, body, content_type="application/json", headers=headers)


def test_propose_pick_and_read(shortlisted, owner, student, api_client_for):
    org, me = api_client_for(owner), api_client_for(student)
    response = post(
        org,
        base(shortlisted),
        {"slots": [slot_json(48), {**slot_json(72), "video_url": "", "place": "Room 4"}]},
        **{"Idempotency-Key": "abc"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "proposed" and len(body["slots"]) == 2
    again = post(org, base(shortlisted), {"slots": [slot_json(48)]}, **{"Idempotency-Key": "abc"})
    assert again.status_code == 201 and again.json()["id"] == body["id"]

    room = next(s for s in body["slots"] if s["place"] == "Room 4")
    interview = Interview.objects.get()
    response = post(me, one(interview, "pick"), {"slot": room["id"]})
    assert response.status_code == 200
    assert response.json()["slot"]["id"] == room["id"]

    listed = me.get(base(shortlisted)).json()
    assert listed["count"] == 1
    assert [e["kind"] for e in listed["items"][0]["events"]] == ["proposed", "picked"]


def test_reschedule_and_cancel_with_notice(scheduled, student, owner, api_client_for):
    response = post(api_client_for(student), one(scheduled, "reschedule"), {"reason": "Exam"})
    assert response.status_code == 200
    event = response.json()["events"][-1]
    assert event["kind"] == "rescheduled" and 47 < event["notice_hours"] <= 48
    response = post(api_client_for(owner), one(scheduled, "cancel"), {})
    assert response.json()["status"] == "cancelled"


def test_outcome(scheduled, owner, student, api_client_for):
    response = post(api_client_for(owner), one(scheduled, "outcome"), {"outcome": "held"})
    assert response.status_code == 409 and response.json()["code"] == "too_early"
    start_now(scheduled)
    response = post(api_client_for(student), one(scheduled, "outcome"), {"outcome": "held"})
    assert response.status_code == 403
    response = post(api_client_for(owner), one(scheduled, "outcome"), {"outcome": "held"})
    assert response.json()["status"] == "held"


@pytest.mark.parametrize("who", ["other_student", "outsider", "superuser"])
def test_strangers_get_404(request, scheduled, api_client_for, who):
    client = api_client_for(request.getfixturevalue(who))
    assert client.get(base(scheduled.application)).status_code == 404
    assert client.get(one(scheduled)).status_code == 404
    response = post(client, one(scheduled, "cancel"), {})
    assert response.status_code == 404 and response.json()["code"]
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"


def test_the_student_may_not_propose(shortlisted, student, api_client_for):
    response = post(api_client_for(student), base(shortlisted), {"slots": [slot_json(48)]})
    assert response.status_code == 403
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    "slots",
    [
        [],
        [slot_json(-1)],
        [slot_json(48), slot_json(48)],
        [slot_json(48, video_url="javascript:alert(1)")],
        [{**slot_json(48), "starts_at": "9999-01-01T10:00:00+00:00"}],
        [slot_json(24 * (n + 1)) for n in range(11)],
        [{**slot_json(48), "duration_minutes": True}],
        [{**slot_json(48), "extra": 1}],
    ],
)
def test_bad_times_are_422_with_nothing_written(shortlisted, owner, api_client_for, slots):
    response = post(api_client_for(owner), base(shortlisted), {"slots": slots})
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "fields"}
    assert not Interview.objects.exists()


def test_a_bad_pick_is_422(proposed, student, api_client_for):
    response = post(api_client_for(student), one(proposed, "pick"), {"slot": 10**6})
    assert response.status_code == 422
    assert "slot" in response.json()["fields"]
