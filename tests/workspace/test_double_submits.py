"""Issue 12, double submits: every create form carries a token and every POST endpoint accepts an
`Idempotency-Key`; the same form sent twice (a double click) or the same request retried makes
one record, and the second answer is the first one (same redirect, same 201 with the same
object). A person who may not act gets the usual refusal and leaves no key behind."""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practicum.core.models import IdempotencyKey
from practicum.workspace.checkins.models import AgendaItem, CheckIn
from practicum.workspace.deliverables.models import Submission
from practicum.workspace.learning.models import LearningItem
from practicum.workspace.messaging.models import Message
from practicum.workspace.progress import services as progress
from practicum.workspace.progress.models import ProgressComment, ProgressUpdate

pytestmark = pytest.mark.django_db


@dataclass
class Endpoint:
    model: Any
    who: str  # the fixture of a person who may act
    page: Any  # engagement, target → (url, data)
    api: Any  # engagement, target → (path, body, multipart?)
    target: Any = None  # engagement, student → the object acted on (a check-in, an update)


def _update(engagement, student):
    return progress.post_update(engagement, by=student, done="Cleaned the data.", hours="2")


def _checkin(engagement, student):
    return CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at").first()


API = "/api/v1/engagements"

ENDPOINTS = {
    "progress update": Endpoint(
        ProgressUpdate,
        "student",
        lambda e, t: (reverse("progress:post", args=[e.pk]), {"done": "Drafted it", "hours": "2"}),
        lambda e, t: (f"{API}/{e.pk}/updates", {"done": "Drafted it", "hours": "2"}, False),
    ),
    "comment": Endpoint(
        ProgressComment,
        "mentor",
        lambda e, t: (
            reverse("progress:comment", args=[e.pk, t.pk]),
            {f"{t.pk}-body": "Nice work"},
        ),
        lambda e, t: (f"{API}/{e.pk}/updates/{t.pk}/comments", {"body": "Nice work"}, False),
        _update,
    ),
    "agenda item": Endpoint(
        AgendaItem,
        "mentor",
        lambda e, t: (reverse("checkins:agenda", args=[e.pk, t.pk]), {"agenda-text": "Scope"}),
        lambda e, t: (f"{API}/{e.pk}/checkins/{t.pk}/agenda", {"text": "Scope"}, False),
        _checkin,
    ),
    "question": Endpoint(
        Message,
        "student",
        lambda e, t: (
            reverse("messaging:post", args=[e.pk]),
            {"body": "Which data?", "is_question": "on"},
        ),
        lambda e, t: (
            f"{API}/{e.pk}/messages",
            {"body": "Which data?", "is_question": True},
            False,
        ),
    ),
    "learning item": Endpoint(
        LearningItem,
        "mentor",
        lambda e, t: (
            reverse("learning:add_item", args=[e.pk]),
            {
                "kind": "resource",
                "resource-title": "SQL windows",
                "resource-url": "https://example.org/sql",
                "resource-notes": "",
            },
        ),
        lambda e, t: (
            f"{API}/{e.pk}/learning/items",
            {"kind": "resource", "title": "SQL windows", "url": "https://example.org/sql"},
            False,
        ),
    ),
    "deliverable": Endpoint(
        Submission,
        "student",
        lambda e, t: (
            reverse("deliverables:submit", args=[e.pk, "d1"]),
            {"d1-link": "https://example.org/report", "d1-note": "Done"},
        ),
        lambda e, t: (
            f"{API}/{e.pk}/deliverables/d1/submissions",
            {"link": "https://example.org/report", "note": "Done"},
            True,
        ),
    ),
}


def made(endpoint: Endpoint, engagement) -> int:
    """How many records of the endpoint's kind the test made (the learning plan starts with
    the agreement's goals; a comment's update is the fixture's)."""
    if endpoint.model is LearningItem:
        return LearningItem.objects.filter(engagement=engagement, kind="resource").count()
    return endpoint.model.objects.count()


@pytest.fixture(params=sorted(ENDPOINTS))
def endpoint(request):
    return ENDPOINTS[request.param]


def target_of(endpoint, engagement, student):
    return endpoint.target(engagement, student) if endpoint.target else None


def test_a_double_click_on_the_page_makes_one_record(
    request, client_for, active_engagement, student, endpoint
):
    target = target_of(endpoint, active_engagement, student)
    url, data = endpoint.page(active_engagement, target)
    client = client_for(request.getfixturevalue(endpoint.who))
    data = {**data, "form_token": str(uuid.uuid4())}

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == 302, first.content.decode()[:3000]
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    assert made(endpoint, active_engagement) == 1


def test_a_new_form_token_makes_a_new_record(
    request, client_for, active_engagement, student, endpoint
):
    target = target_of(endpoint, active_engagement, student)
    url, data = endpoint.page(active_engagement, target)
    client = client_for(request.getfixturevalue(endpoint.who))
    for _ in range(2):
        assert client.post(url, {**data, "form_token": str(uuid.uuid4())}).status_code == 302
    assert made(endpoint, active_engagement) == 2


def test_a_retried_api_request_returns_the_first_result(
    request, api_client_for, active_engagement, student, endpoint
):
    target = target_of(endpoint, active_engagement, student)
    path, body, multipart = endpoint.api(active_engagement, target)
    client = api_client_for(request.getfixturevalue(endpoint.who))
    headers = {"Idempotency-Key": str(uuid.uuid4())}

    def send():
        if multipart:
            return client.post(path, body, headers=headers)
        return client.post(path, body, content_type="application/json", headers=headers)

    first, second = send(), send()

    assert first.status_code == 201, first.content
    assert second.status_code == 201
    assert second.json() == first.json()
    assert made(endpoint, active_engagement) == 1


def test_an_outsider_is_refused_and_leaves_no_key(
    client_for, api_client_for, active_engagement, student, outsider, endpoint
):
    target = target_of(endpoint, active_engagement, student)
    url, data = endpoint.page(active_engagement, target)
    page = client_for(outsider).post(url, {**data, "form_token": "k1"})
    path, body, multipart = endpoint.api(active_engagement, target)
    headers = {"Idempotency-Key": "k2"}
    if multipart:
        api = api_client_for(outsider).post(path, body, headers=headers)
    else:
        api = api_client_for(outsider).post(
            path, body, content_type="application/json", headers=headers
        )

    assert page.status_code == 404
    assert api.status_code == 404
    assert made(endpoint, active_engagement) == 0
    assert not IdempotencyKey.objects.filter(user=outsider).exists()


def test_a_file_is_not_stored_twice(client_for, active_engagement, student):
    """The deliverable page with a file: the second send does not read or store it again."""
    url = reverse("deliverables:submit", args=[active_engagement.pk, "d1"])
    client = client_for(student)
    key = str(uuid.uuid4())
    for _ in range(2):
        upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        response = client.post(url, {"d1-file": upload, "d1-note": "", "form_token": key})
        assert response.status_code == 302
    assert Submission.objects.count() == 1
