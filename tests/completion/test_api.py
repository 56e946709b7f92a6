"""Completion and payment over the JSON API: the same rules as the pages, as status codes."""

import datetime

import pytest
from django.test import Client

from practicum.api.urls import api
from practicum.completion import selectors
from practicum.engagements import lifecycle

pytestmark = pytest.mark.django_db

READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff", "superuser"]
DAY = datetime.timedelta(days=1)


def base(engagement) -> str:
    return f"/api/v1/engagements/{engagement.pk}"


def client_of(api_client_for, person):
    return Client() if person is None else api_client_for(person)


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def payment_body(engagement, **overrides):
    today = lifecycle.today_of(engagement)
    return {"amount": 60000, "paid_on": today.isoformat(), "reference": "TRX", **overrides}


class TestRead:
    @pytest.mark.parametrize("who", READERS)
    def test_readers(self, request, api_client_for, completed_engagement, who):
        client = api_client_for(request.getfixturevalue(who))
        body = client.get(f"{base(completed_engagement)}/completion").json()
        assert body["completed"] is True and body["partial"] is False
        assert (body["deliverables_accepted"], body["deliverables_total"]) == (1, 1)
        assert body["payment"]["state"] == "due"
        assert body["payment"]["amount"] == 60000
        payment = client.get(f"{base(completed_engagement)}/payment").json()
        assert (
            payment["due_on"]
            == selectors.completion_of(completed_engagement).payment_due_on.isoformat()
        )
        assert payment["history"] == []

    @pytest.mark.parametrize("who", [*STRANGERS, "anonymous"])
    def test_others(self, api_client_for, people, active_engagement, who):
        client = client_of(api_client_for, people[who])
        for path in ("completion", "payment"):
            response = client.get(f"{base(active_engagement)}/{path}")
            assert response.status_code == (401 if who == "anonymous" else 404)

    def test_active_engagement(self, api_client_for, student, active_engagement):
        body = api_client_for(student).get(f"{base(active_engagement)}/completion").json()
        assert body["completed"] is False and body["state"] == "active"
        assert body["payment"]["state"] == "not_due"
        assert body["payment"]["amount"] == 60000  # what the agreement promises

    def test_pending_engagement_has_no_checklist(self, api_client_for, student, pending_engagement):
        body = api_client_for(student).get(f"{base(pending_engagement)}/completion").json()
        assert body["deliverables_total"] is None


class TestActions:
    def test_complete(self, api_client_for, mentor, accepted_engagement):
        response = post(api_client_for(mentor), f"{base(accepted_engagement)}/completion")
        assert response.status_code == 200
        assert response.json()["completed"] is True
        assert response.json()["state"] == "completed"

    def test_complete_without_every_deliverable(self, api_client_for, mentor, active_engagement):
        response = post(api_client_for(mentor), f"{base(active_engagement)}/completion")
        assert response.status_code == 409
        assert response.json()["code"] == "deliverables_open"

    def test_partial_needs_a_reason(self, api_client_for, mentor, active_engagement):
        client = api_client_for(mentor)
        response = post(client, f"{base(active_engagement)}/completion", {"partial": True})
        assert response.status_code == 422
        assert response.json()["fields"] == {"reason": ["Give a reason."]}
        response = post(
            client,
            f"{base(active_engagement)}/completion",
            {"partial": True, "reason": "Budget cut"},
        )
        assert response.status_code == 200
        assert response.json()["reason"] == "Budget cut"

    def test_not_active_is_409(self, api_client_for, mentor, pending_engagement):
        response = post(
            api_client_for(mentor),
            f"{base(pending_engagement)}/completion",
            {"partial": True, "reason": "x"},
        )
        assert response.status_code == 409
        assert response.json()["code"] == "engagement_not_active"

    def test_payment_round_trip(self, api_client_for, mentor, student, completed_engagement):
        org, me = api_client_for(mentor), api_client_for(student)
        recorded = post(
            org, f"{base(completed_engagement)}/payments", payment_body(completed_engagement)
        )
        assert recorded.status_code == 201
        assert recorded.json()["amount_display"] == "600.00 EUR"
        assert recorded.json()["recorded_by"]["id"] == mentor.pk

        disputed = post(me, f"{base(completed_engagement)}/payment/dispute", {"reason": "Where?"})
        assert disputed.json()["state"] == "disputed"
        again = post(
            org,
            f"{base(completed_engagement)}/payments",
            payment_body(completed_engagement, reference="2"),
        )
        assert again.status_code == 201
        confirmed = post(me, f"{base(completed_engagement)}/payment/confirm")
        assert confirmed.status_code == 200
        body = confirmed.json()
        assert body["state"] == "confirmed"
        assert [p["status"] for p in body["history"]] == ["disputed", "confirmed"]
        assert body["payment"]["reference"] == "2"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"amount": "lots"}, "amount"),
            ({"amount": 0}, "amount"),
            ({"paid_on": "yesterday"}, "paid_on"),
            ({"paid_on": "2999-01-01"}, "paid_on"),
            ({"reference": "r" * 201}, "reference"),
        ],
    )
    def test_bad_payment_is_422(self, api_client_for, mentor, completed_engagement, body, field):
        response = post(
            api_client_for(mentor),
            f"{base(completed_engagement)}/payments",
            payment_body(completed_engagement, **body),
        )
        assert response.status_code == 422
        assert field in response.json()["fields"]

    def test_missing_fields_are_422(self, api_client_for, mentor, completed_engagement):
        response = post(api_client_for(mentor), f"{base(completed_engagement)}/payments", {})
        assert response.status_code == 422
        assert {"amount", "paid_on"} <= set(response.json()["fields"])

    def test_dispute_needs_a_reason(self, api_client_for, student, paid_engagement):
        client = api_client_for(student)
        assert post(client, f"{base(paid_engagement)}/payment/dispute", {}).status_code == 422
        response = post(client, f"{base(paid_engagement)}/payment/dispute", {"reason": " "})
        assert response.status_code == 422

    def test_confirm_before_recording_is_409(self, api_client_for, student, completed_engagement):
        response = post(api_client_for(student), f"{base(completed_engagement)}/payment/confirm")
        assert response.status_code == 409
        assert response.json()["code"] == "no_payment"


ACTIONS = {
    "complete": ("accepted_engagement", "completion", {}, "organization"),
    "partial": (
        "active_engagement",
        "completion",
        {"partial": True, "reason": "x"},
        "organization",
    ),
    "record": ("completed_engagement", "payments", None, "organization"),
    "confirm": ("paid_engagement", "payment/confirm", {}, "student"),
    "dispute": ("paid_engagement", "payment/dispute", {"reason": "No"}, "student"),
}
OK = {"complete": 200, "partial": 200, "record": 201, "confirm": 200, "dispute": 200}
ALLOWED = {"organization": {"mentor", "owner"}, "student": {"student"}}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", [*READERS, *STRANGERS, "anonymous"])
def test_permission_matrix(request, api_client_for, people, action, who):
    fixture, path, body, side = ACTIONS[action]
    engagement = request.getfixturevalue(fixture)
    if body is None:
        body = payment_body(engagement)
    response = post(client_of(api_client_for, people[who]), f"{base(engagement)}/{path}", body)
    if who == "anonymous":
        expected = 401
    elif who in STRANGERS:
        expected = 404
    else:
        expected = OK[action] if who in ALLOWED[side] else 403
    assert response.status_code == expected, response.content
    if expected == 403:
        assert response.json()["code"] == "wrong_side"


def test_schemas_are_in_the_openapi_document():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    for name in ("CompletionOut", "PaymentStatusOut", "PaymentOut", "PaymentRecordIn"):
        assert name in schemas


class TestPaymentDifference:
    """Issue 12, money: a payment other than the amount agreed needs a reason both sides read."""

    def test_without_a_reason_is_422(self, api_client_for, mentor, completed_engagement):
        response = post(
            api_client_for(mentor),
            f"{base(completed_engagement)}/payments",
            payment_body(completed_engagement, amount=50000),
        )
        assert response.status_code == 422
        assert "difference_reason" in response.json()["fields"]

    def test_the_reason_is_shown_to_both_sides(
        self, api_client_for, mentor, student, completed_engagement
    ):
        recorded = post(
            api_client_for(mentor),
            f"{base(completed_engagement)}/payments",
            payment_body(completed_engagement, amount=50000, difference_reason="Two days off"),
        )
        assert recorded.status_code == 201
        assert recorded.json()["difference_reason"] == "Two days off"
        body = api_client_for(student).get(f"{base(completed_engagement)}/payment").json()
        assert body["payment"]["difference_reason"] == "Two days off"
        assert body["payment"]["differs"] is True

    def test_the_student_cannot_record_it(self, api_client_for, student, completed_engagement):
        response = post(
            api_client_for(student),
            f"{base(completed_engagement)}/payments",
            payment_body(completed_engagement, amount=50000, difference_reason="Two days off"),
        )
        assert response.status_code == 403
