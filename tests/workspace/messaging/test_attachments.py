"""Files on messages: the upload rules every piece of work follows (type read from the content,
size), a bound on how many and how much per message, and downloads for the parties only."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.test import Client
from django.urls import reverse

from practicum.core import uploads
from practicum.engagements.models import EngagementEvent
from practicum.notifications.models import Notification
from practicum.workspace.messaging import services
from practicum.workspace.messaging.models import Message, MessageAttachment
from tests.uploads import SAMPLES, upload
from tests.workspace.messaging.conftest import post

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48)
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff", "superuser"]


def api_url(engagement, rest=""):
    return f"/api/v1/engagements/{engagement.pk}/messages{rest}"


def download_url(attachment):
    message = attachment.message
    return reverse("messaging:download", args=[message.engagement_id, message.pk, attachment.pk])


def declared(size: int, name: str = "big.pdf") -> InMemoryUploadedFile:
    """An upload that declares `size` bytes (what the upload handler counted) and holds a PDF
    header: the type check passes, the size is what is judged."""
    return InMemoryUploadedFile(io.BytesIO(SAMPLES["report.pdf"]), "files", name, None, size, None)


def nothing_written(media) -> bool:
    stored = list(media.rglob("*.*")) if media.exists() else []
    return (
        not Message.objects.exists()
        and not MessageAttachment.objects.exists()
        and not EngagementEvent.objects.filter(kind="message_posted").exists()
        and not Notification.objects.filter(kind="new_message").exists()
        and stored == []
    )


class TestPosting:
    def test_files_are_stored_under_random_names(self, engagement, student, media):
        message = post(
            engagement, student, "The draft and a chart.",
            files=[upload("report.pdf"), upload("chart.png")],
        )  # fmt: skip

        files = list(message.attachments.all())
        assert [(f.name, f.file_type, f.size) for f in files] == [
            ("report.pdf", "pdf", len(SAMPLES["report.pdf"])),
            ("chart.png", "png", len(SAMPLES["chart.png"])),
        ]
        for stored, sample in zip(files, ["report.pdf", "chart.png"], strict=True):
            assert stored.file.name.startswith(f"{services.ATTACHMENTS_FOLDER}/")
            assert "report" not in stored.file.name and "chart" not in stored.file.name
            assert (media / stored.file.name).read_bytes() == SAMPLES[sample]

    def test_a_program_named_pdf_is_refused_and_nothing_written(self, engagement, student, media):
        with pytest.raises(uploads.FileRefused) as caught:
            post(engagement, student, "Report", files=[upload("report.pdf", EXE)])

        assert caught.value.code == "file_type_not_allowed"
        assert caught.value.fields == {"files": [caught.value.message]}
        assert caught.value.message.startswith("report.pdf: ")
        assert nothing_written(media)

    def test_content_and_name_must_agree(self, engagement, student, media):
        with pytest.raises(uploads.FileRefused) as caught:
            post(engagement, student, "Chart", files=[upload("report.pdf", SAMPLES["chart.png"])])

        assert caught.value.code == "file_type_mismatch"
        assert nothing_written(media)

    def test_one_bad_file_refuses_them_all(self, engagement, student, media):
        with pytest.raises(uploads.FileRefused):
            post(
                engagement, student, "Two", files=[upload("notes.txt"), upload("x.gif", b"GIF89a")]
            )

        assert nothing_written(media)

    def test_each_file_within_the_size_limit(self, engagement, student, media):
        assert post(engagement, student, "Max", files=[declared(uploads.MAX_FILE_SIZE)]).pk
        Message.objects.all().delete()
        MessageAttachment.objects.all().delete()

        with pytest.raises(uploads.FileRefused) as caught:
            post(engagement, student, "Too big", files=[declared(uploads.MAX_FILE_SIZE + 1)])

        assert caught.value.code == "file_too_large"
        with pytest.raises(uploads.FileRefused) as caught:
            post(engagement, student, "Empty", files=[upload("notes.txt", b"")])
        assert caught.value.code == "file_empty"

    def test_the_files_of_one_message_are_bounded_together(self, engagement, student, media):
        third = services.ATTACHMENTS_MAX_TOTAL // 3
        assert post(engagement, student, "Fits", files=[declared(third) for _ in range(3)]).pk
        Message.objects.all().delete()

        with pytest.raises(uploads.FileRefused) as caught:
            post(engagement, student, "Too much", files=[declared(third + 1) for _ in range(3)])

        assert caught.value.code == "files_too_large"
        assert not Message.objects.exists()

    def test_at_most_a_few_files(self, engagement, student, media):
        five = [upload("notes.txt") for _ in range(services.MAX_ATTACHMENTS)]
        assert post(engagement, student, "Five", files=five).attachments.count() == 5
        Message.objects.all().delete()

        with pytest.raises(uploads.FileRefused) as caught:
            post(engagement, student, "Six", files=[upload("notes.txt") for _ in range(6)])

        assert caught.value.code == "too_many_files"
        assert not Message.objects.exists()

    def test_a_refused_message_keeps_no_file(self, engagement, student, media):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            post(engagement, student, "Quote", quote=10**9, files=[upload("report.pdf")])

        assert nothing_written(media)


class TestDownload:
    @pytest.fixture
    def attachment(self, engagement, student):
        return post(engagement, student, "Here", files=[upload("report.pdf")]).attachments.get()

    @pytest.mark.parametrize("role", ["student", "mentor", "owner"])
    def test_the_parties_download(self, client_for, people, attachment, role):
        response = client_for(people[role]).get(download_url(attachment))

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == SAMPLES["report.pdf"]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'

    @pytest.mark.parametrize("role", STRANGERS)
    def test_nobody_else_finds_it(self, client_for, api_client_for, people, attachment, role):
        assert client_for(people[role]).get(download_url(attachment)).status_code == 404
        api = api_client_for(people[role])
        path = api_url(attachment.message.engagement, f"/{attachment.message_id}")
        assert api.get(f"{path}/files/{attachment.pk}").status_code == 404

    def test_anonymous_visitors_log_in_first(self, attachment):
        response = Client().get(download_url(attachment))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_only_through_its_own_thread(
        self, client_for, attachment, engagement, other_engagement, mentor
    ):
        # The mentor reads both threads; a file is reached only through the message it is on.
        theirs = post(other_engagement, mentor, "Other", files=[upload("notes.txt")])
        client = client_for(mentor)
        wrong = [
            (engagement.pk, theirs.pk, theirs.attachments.get().pk),
            (other_engagement.pk, attachment.message_id, attachment.pk),
            (engagement.pk, theirs.pk, attachment.pk),
        ]
        for args in wrong:
            assert client.get(reverse("messaging:download", args=args)).status_code == 404

    def test_a_file_gone_from_the_storage_is_404(self, client_for, attachment, student, media):
        (media / attachment.file.name).unlink()
        assert client_for(student).get(download_url(attachment)).status_code == 404


class TestPages:
    def test_the_thread_lists_the_files(self, client_for, engagement, student, mentor):
        message = post(engagement, student, "Files", files=[upload("report.pdf")])

        page = client_for(mentor).get(reverse("messaging:thread", args=[engagement.pk]))

        html = page.content.decode()
        assert f'href="{download_url(message.attachments.get())}"' in html
        assert "report.pdf" in html

    def test_posting_files_from_the_form(self, client_for, engagement, student):
        response = client_for(student).post(
            reverse("messaging:post", args=[engagement.pk]),
            {"body": "See attached", "files": [upload("report.pdf"), upload("notes.txt")]},
        )

        assert response.status_code == 302
        assert [a.name for a in Message.objects.get().attachments.all()] == [
            "report.pdf",
            "notes.txt",
        ]

    def test_a_refused_file_is_told_next_to_the_field(self, client_for, engagement, student, media):
        response = client_for(student).post(
            reverse("messaging:post", args=[engagement.pk]),
            {"body": "Keep this text", "files": [upload("report.pdf", EXE)]},
        )

        assert response.status_code == 422
        html = response.content.decode()
        assert "Programs cannot be uploaded." in html
        assert "Keep this text" in html
        assert nothing_written(media)

    def test_with_htmx_the_form_comes_back_with_the_error(self, client_for, engagement, student):
        response = client_for(student).post(
            reverse("messaging:post", args=[engagement.pk]),
            {"body": "Six", "after": 0, "files": [upload("notes.txt") for _ in range(6)]},
            HTTP_HX_REQUEST="true",
        )

        assert response.status_code == 422
        assert "at most 5 files" in response.content.decode()
        assert not Message.objects.exists()


class TestApi:
    def test_multipart_post_with_files(self, api_client_for, engagement, student, mentor):
        response = api_client_for(student).post(
            api_url(engagement, "/with-files"),
            {"body": "Draft attached", "is_question": "true", "files": [upload("report.pdf")]},
        )

        assert response.status_code == 201, response.content
        data = response.json()
        assert data["is_question"] is True
        [file] = data["files"]
        assert (file["name"], file["type"], file["content_type"]) == (
            "report.pdf",
            "pdf",
            "application/pdf",
        )
        download = api_client_for(mentor).get(file["download_url"])
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == SAMPLES["report.pdf"]

    def test_the_list_shows_the_files(self, api_client_for, engagement, student):
        post(engagement, student, "Files", files=[upload("notes.txt")])

        [message] = api_client_for(student).get(api_url(engagement)).json()["messages"]

        assert [f["name"] for f in message["files"]] == ["notes.txt"]

    def test_a_program_named_pdf_is_422_with_a_code(
        self, api_client_for, engagement, student, media
    ):
        response = api_client_for(student).post(
            api_url(engagement, "/with-files"),
            {"body": "Report", "files": [upload("report.pdf", EXE)]},
        )

        assert response.status_code == 422
        assert response.json()["code"] == "file_type_not_allowed"
        assert list(response.json()["fields"]) == ["files"]
        assert nothing_written(media)

    def test_too_many_files_is_422(self, api_client_for, engagement, student, media):
        response = api_client_for(student).post(
            api_url(engagement, "/with-files"),
            {"body": "Six", "files": [upload("notes.txt") for _ in range(6)]},
        )

        assert response.status_code == 422
        assert response.json()["code"] == "too_many_files"
        assert nothing_written(media)

    def test_the_same_idempotency_key_posts_once(self, api_client_for, engagement, student, media):
        client = api_client_for(student)
        key = {"headers": {"Idempotency-Key": str(uuid.uuid4())}}

        first = client.post(
            api_url(engagement, "/with-files"), {"body": "Once", "files": [upload("notes.txt")]},
            **key,
        )  # fmt: skip
        second = client.post(
            api_url(engagement, "/with-files"), {"body": "Once", "files": [upload("notes.txt")]},
            **key,
        )  # fmt: skip

        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert MessageAttachment.objects.count() == 1
        assert len(list((media / services.ATTACHMENTS_FOLDER).iterdir())) == 1

    @pytest.mark.parametrize(
        "fields",
        [
            {"body": "a\x00b"},
            {"body": "a\x1b[31mb"},
            {"body": "x" * 100_000},
            {"body": ""},
            {"body": "Hi", "quote": "x"},
            {"body": "Hi", "quote": str(2**70)},
            {"body": "Hi", "quote": "-1"},
            {"body": "Hi", "is_question": "maybe"},
        ],
        ids=["nul", "control", "100kB", "empty", "quote_text", "quote_huge", "quote_neg", "bool"],
    )
    def test_hostile_fields_are_422(self, api_client_for, engagement, student, media, fields):
        response = api_client_for(student).post(
            api_url(engagement, "/with-files"), {**fields, "files": [upload("notes.txt")]}
        )

        assert response.status_code == 422, response.content
        assert set(response.json()) == {"code", "message", "fields"}
        assert nothing_written(media)

    def test_no_files_is_422(self, api_client_for, engagement, student, media):
        response = api_client_for(student).post(api_url(engagement, "/with-files"), {"body": "Hi"})

        assert response.status_code == 422
        assert nothing_written(media)

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_find_nothing(self, api_client_for, people, engagement, media, role):
        response = api_client_for(people[role]).post(
            api_url(engagement, "/with-files"), {"body": "Hi", "files": [upload("notes.txt")]}
        )

        assert response.status_code == 404
        assert nothing_written(media)
