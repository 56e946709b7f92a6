"""A person's copy of their data: what it holds, who may download it, and for how long."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from practicum.alerts import services as alert_services
from practicum.core.errors import Conflict
from practicum.notifications.models import Notification
from practicum.privacy import services
from practicum.privacy.models import DataExport
from practicum.workspace.messaging import services as messaging
from tests.privacy.conftest import built


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_student_gets_everything_they_wrote_or_received(history, student, mentor):
    alert_services.save_search(student, by=student, name="Cafés", query="q=cafe", frequency="daily")
    files = built(student)
    assert set(files) >= {
        "README.txt",
        "account.json",
        "profile.json",
        "applications.json",
        "engagements.json",
        "agreements_signed.json",
        "messages.json",
        "reviews.json",
        "credentials.json",
        "notifications.json",
        "saved_searches.json",
    }
    assert [(s["name"], s["query"]) for s in files["saved_searches.json"]] == [("Cafés", "q=cafe")]
    assert files["account.json"]["email"] == student.email
    assert [m["body"] for m in files["messages.json"]] == [
        "Where is the survey data?",
        "In the shared folder.",
    ]
    assert files["applications.json"][0]["pitch"]
    assert files["agreements_signed.json"][0]["signed_as"]
    assert files["credentials.json"][0]["vc_jwt"].count(".") == 2
    reviews = files["reviews.json"]
    assert reviews["written"][0]["private_note_to_practicum"] == "PRIVATE NOTE OF THE STUDENT"
    received = reviews["received"][0]
    assert received["strengths"] == "Strengths from the organization"
    assert "private_note_to_practicum" not in received
    assert "PRIVATE NOTE OF THE ORGANIZATION" not in str(files)


def test_a_review_not_yet_revealed_is_not_in_the_other_sides_export(history, student, mentor):
    from practicum.reviews.models import Review

    Review.objects.filter(engagement=history, author=mentor).update(revealed_at=None)
    files = built(student)
    assert files["reviews.json"]["received"] == []


def test_the_mentor_gets_the_thread_but_no_student_profile(history, mentor):
    files = built(mentor)
    assert "profile.json" not in files
    assert len(files["messages.json"]) == 2
    assert files["reviews.json"]["written"][0]["private_note_to_practicum"] == (
        "PRIVATE NOTE OF THE ORGANIZATION"
    )


def test_an_outsider_export_holds_nothing_of_others(history, outsider):
    files = built(outsider)
    assert files["messages.json"] == [] and files["engagements.json"] == []


def test_one_export_is_prepared_at_a_time(student):
    services.request_export(student)
    with pytest.raises(Conflict) as refused:
        services.request_export(student)
    assert refused.value.code == "export_pending"
    assert DataExport.objects.filter(user=student).count() == 1


def test_the_owner_is_told_when_it_is_ready(student):
    built(student)
    notification = Notification.objects.get(recipient=student, kind="data_export_ready")
    assert "until" in notification.message
    assert notification.email_id is not None  # emailed by default


def test_only_its_owner_downloads_it_and_only_until_it_expires(client, student, other_student):
    built(student)
    export = DataExport.objects.get(user=student)
    url = reverse("privacy:download", args=[export.pk])
    client.force_login(other_student)
    assert client.get(url).status_code == 404
    client.force_login(student)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(url).status_code == 404


def test_the_page_asks_for_an_export_and_lists_them(client, student, django_assert_max_num_queries):
    client.force_login(student)
    response = client.post(reverse("privacy:request_export"), follow=True)
    assert "We are preparing your data" in response.content.decode()
    again = client.post(reverse("privacy:request_export"), follow=True)
    assert "being prepared" in again.content.decode()
    for _ in range(25):
        DataExport.objects.create(user=student, status=DataExport.Status.FAILED)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("privacy:data"))
    assert page.status_code == 200
    assert page.content.decode().count("Failed") == 10  # one page of exports


def test_anonymous_people_are_sent_to_log_in(client):
    for name in ("privacy:data", "privacy:delete_account"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response.url


def test_the_api_asks_lists_and_downloads(client, student, other_student):
    client.force_login(student)
    asked = client.post("/api/v1/me/exports")
    assert asked.status_code == 202 and asked.json()["status"] == "pending"
    assert client.post("/api/v1/me/exports").json()["code"] == "export_pending"
    services.build_export(asked.json()["id"])
    listed = client.get("/api/v1/me/exports").json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "ready"
    download = client.get(f"/api/v1/me/exports/{asked.json()['id']}/download")
    assert download.status_code == 200
    client.force_login(other_student)
    refused = client.get(f"/api/v1/me/exports/{asked.json()['id']}/download")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"


def test_messages_come_with_their_earlier_versions_files_and_quotes(history, student, mentor):
    from practicum.engagements.models import Engagement
    from practicum.workspace.messaging import selectors
    from tests.uploads import upload

    # Set the scene: the thread was open when this was written and edited.
    Engagement.objects.filter(pk=history.pk).update(state=Engagement.State.ACTIVE)
    history.refresh_from_db()
    asked = selectors.thread_page(history).messages[0]
    sent = messaging.post_message(
        history, by=student, body="Draft v1", quote=asked.pk, files=[upload("report.pdf")]
    )
    messaging.edit_message(selectors.message_of(history, sent.pk), by=student, body="Draft v2")
    Engagement.objects.filter(pk=history.pk).update(state=Engagement.State.COMPLETED)

    exported = built(mentor)["messages.json"][-1]

    assert exported["body"] == "Draft v2"
    assert exported["quotes_message"] == asked.pk
    assert exported["edited_at"] is not None
    assert [v["body"] for v in exported["earlier_versions"]] == ["Draft v1"]
    assert exported["files"] == ["report.pdf"]
