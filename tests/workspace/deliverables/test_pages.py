"""The deliverables page: who sees what and which form, errors next to fields (422, what was
typed kept), the download view's permissions and headers, and a fixed query budget."""

import pytest
from django.test import Client
from django.urls import reverse

from practicum.core import uploads
from practicum.engagements import services as engagement_services
from practicum.workspace.deliverables import services
from practicum.workspace.deliverables.models import Submission
from tests.factories import ApplicationFactory, ProjectFactory
from tests.fixtures_engagements import make_offered, sign_both
from tests.uploads import SAMPLES, upload, zip_of
from tests.workspace.deliverables.conftest import set_deliverables

pytestmark = pytest.mark.django_db

READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]
LINK = "https://docs.example.com/findings"


def url(name, engagement, *args):
    return reverse(f"deliverables:{name}", args=[engagement.pk, *args])


def html(response) -> str:
    return response.content.decode()


def client_of(people, role, client_for):
    return Client() if people[role] is None else client_for(people[role])


def submit(engagement, student, **kwargs):
    kwargs.setdefault("link", LINK)
    return services.submit(engagement, "d1", by=student, **kwargs)


class TestListPage:
    @pytest.mark.parametrize("role", READERS)
    def test_readers_see_the_deliverables(self, engagement, people, client_for, role):
        response = client_for(people[role]).get(url("list", engagement))
        assert response.status_code == 200
        assert "Findings report" in html(response)
        assert 'aria-current="page">Deliverables' in html(response)

    @pytest.mark.parametrize("role", STRANGERS)
    def test_everybody_else_gets_404(self, engagement, people, client_for, role):
        assert client_for(people[role]).get(url("list", engagement)).status_code == 404

    def test_anonymous_is_sent_to_log_in(self, engagement):
        response = Client().get(url("list", engagement))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_the_student_sees_the_submit_form(self, engagement, client_for, student):
        page = html(client_for(student).get(url("list", engagement)))
        assert url("submit", engagement, "d1") in page
        assert 'enctype="multipart/form-data"' in page
        assert "Not submitted" in page

    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_others_do_not(self, engagement, people, client_for, role):
        page = html(client_for(people[role]).get(url("list", engagement)))
        assert url("submit", engagement, "d1") not in page

    def test_the_organization_sees_the_review_form(self, engagement, people, client_for, student):
        submission = submit(engagement, student, note="Here is **v1**")
        accept_url = url("accept", engagement, submission.pk)
        for role in ("mentor", "owner"):
            page = html(client_for(people[role]).get(url("list", engagement)))
            assert accept_url in page
            assert url("request_changes", engagement, submission.pk) in page
            assert "<strong>v1</strong>" in page  # the note as Markdown
            assert "Submitted — waiting for review" in page
        for role in ("student",):
            assert accept_url not in html(client_for(people[role]).get(url("list", engagement)))

    def test_the_history_with_reviews(self, engagement, client_for, student, mentor):
        first = submit(engagement, student, note="v1")
        services.request_changes(first, by=mentor, feedback="Please add *charts*.")
        second = submit(engagement, student, note="v2", file=upload("chart.png"))
        services.accept(second, by=mentor, feedback="Thanks!")

        page = html(client_for(student).get(url("list", engagement)))
        assert "Submission 1" in page and "Submission 2" in page
        assert "<em>charts</em>" in page and "Thanks!" in page
        assert "chart.png" in page
        assert url("download", engagement, second.pk) in page
        assert url("submit", engagement, "d1") not in page  # accepted: nothing to submit

    def test_overdue_is_shown(self, engagement, client_for, student):
        set_deliverables(engagement, {"key": "d1", "title": "Late one", "due_on": "2020-01-01"})
        page = html(client_for(student).get(url("list", engagement)))
        assert "Overdue" in page

    def test_before_the_agreement_is_signed(self, pending_engagement, client_for, student):
        response = client_for(student).get(url("list", pending_engagement))
        assert response.status_code == 200
        assert "once both sides have signed" in html(response)

    @pytest.mark.parametrize("count", [1, 12])
    def test_fixed_query_budget(
        self, engagement, client_for, student, mentor, django_assert_max_num_queries, count
    ):
        set_deliverables(engagement, *({"key": f"d{i}", "due_on": None} for i in range(1, 4)))
        for index in range(count):
            for key in ("d1", "d2", "d3"):
                submission = services.submit(engagement, key, by=student, link=LINK)
                if index < count - 1:
                    services.request_changes(submission, by=mentor, feedback="Again")
        for person in (student, mentor):
            client = client_for(person)
            client.get(url("list", engagement))  # the session is warm
            with django_assert_max_num_queries(8):
                response = client.get(url("list", engagement))
            assert html(response).count('class="submission status-') == 3 * count


class TestSubmitPage:
    def test_a_file_and_a_note(self, engagement, client_for, student):
        response = client_for(student).post(
            url("submit", engagement, "d1"),
            {"d1-note": "The report", "d1-link": "", "d1-file": upload("report.pdf")},
        )
        assert response.status_code == 302
        assert response["Location"].endswith("/deliverables/#deliverable-d1")
        submission = Submission.objects.get()
        assert (submission.file_name, submission.file_type) == ("report.pdf", "pdf")
        assert submission.note == "The report"

    def test_a_large_upload_streamed_to_disk_is_read_there(
        self, engagement, client_for, student, settings
    ):
        # Beyond FILE_UPLOAD_MAX_MEMORY_SIZE Django writes the upload to a temporary file; the
        # type is read from that file, the zip opened in place.
        scan = bytes(3 * 1024 * 1024)
        content = zip_of({"[Content_Types].xml": b"<Types/>", "word/media/scan.png": scan})
        assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        response = client_for(student).post(
            url("submit", engagement, "d1"), {"d1-file": upload("big.docx", content)}
        )
        assert response.status_code == 302
        assert Submission.objects.get().file_type == "docx"

    def test_a_link_only(self, engagement, client_for, student):
        response = client_for(student).post(
            url("submit", engagement, "d1"), {"d1-link": "docs.example.com/x", "d1-note": ""}
        )
        assert response.status_code == 302
        assert Submission.objects.get().link == "https://docs.example.com/x"

    def test_neither_is_a_422_with_the_note_kept(self, engagement, client_for, student):
        response = client_for(student).post(
            url("submit", engagement, "d1"), {"d1-note": "My careful note"}
        )
        assert response.status_code == 422
        assert "Add a link, a file or both." in html(response)
        assert "My careful note" in html(response)
        assert not Submission.objects.exists()

    def test_an_executable_renamed_pdf_is_a_422_next_to_the_file(
        self, engagement, client_for, student
    ):
        response = client_for(student).post(
            url("submit", engagement, "d1"),
            {"d1-note": "Kept", "d1-file": upload("report.pdf", b"MZ\x90\x00" + bytes(60))},
        )
        assert response.status_code == 422
        assert "Programs cannot be uploaded." in html(response)
        assert "Kept" in html(response)
        assert not Submission.objects.exists()

    def test_a_png_named_pdf_is_a_422(self, engagement, client_for, student):
        response = client_for(student).post(
            url("submit", engagement, "d1"),
            {"d1-file": upload("report.pdf", SAMPLES["chart.png"])},
        )
        assert response.status_code == 422
        assert "its content is a PNG image" in html(response)

    def test_more_than_20_mb_is_a_422(self, engagement, client_for, student, tmp_path):
        big = tmp_path / "big.pdf"
        with big.open("wb") as handle:  # sparse on disk: only the header is written
            handle.write(SAMPLES["report.pdf"])
            handle.truncate(uploads.MAX_FILE_SIZE + 1)
        with big.open("rb") as handle:
            response = client_for(student).post(
                url("submit", engagement, "d1"), {"d1-file": handle, "d1-note": "Big"}
            )
        assert response.status_code == 422
        assert "larger than 20 MB" in html(response)
        assert not Submission.objects.exists()

    def test_a_bad_link_is_a_422(self, engagement, client_for, student):
        response = client_for(student).post(
            url("submit", engagement, "d1"), {"d1-link": "javascript:alert(1)"}
        )
        assert response.status_code == 422

    def test_an_unknown_deliverable_is_404(self, engagement, client_for, student):
        response = client_for(student).post(url("submit", engagement, "d9"), {"d9-link": LINK})
        assert response.status_code == 404

    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_only_the_student_may_submit(self, engagement, people, client_for, role):
        response = client_for(people[role]).post(url("submit", engagement, "d1"), {"d1-link": LINK})
        assert response.status_code == 403
        # Even with an invalid form, the refusal comes first.
        response = client_for(people[role]).post(url("submit", engagement, "d1"), {})
        assert response.status_code == 403

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_get_404(self, engagement, people, client_for, role):
        response = client_for(people[role]).post(url("submit", engagement, "d1"), {"d1-link": LINK})
        assert response.status_code == 404

    def test_an_accepted_deliverable_is_a_message(self, engagement, client_for, student, mentor):
        services.accept(submit(engagement, student), by=mentor)
        client = client_for(student)
        response = client.post(url("submit", engagement, "d1"), {"d1-link": LINK}, follow=True)
        assert "accepted already" in html(response)
        assert Submission.objects.count() == 1

    def test_get_is_not_allowed(self, engagement, client_for, student):
        assert client_for(student).get(url("submit", engagement, "d1")).status_code == 405


class TestReviewPages:
    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_accept(self, engagement, people, client_for, student, role):
        submission = submit(engagement, student)
        response = client_for(people[role]).post(
            url("accept", engagement, submission.pk), {f"review-{submission.pk}-feedback": ""}
        )
        assert response.status_code == 302
        submission.refresh_from_db()
        assert submission.status == Submission.Status.ACCEPTED

    def test_request_changes_needs_feedback(self, engagement, client_for, student, mentor):
        submission = submit(engagement, student)
        response = client_for(mentor).post(
            url("request_changes", engagement, submission.pk),
            {f"review-{submission.pk}-feedback": ""},
        )
        assert response.status_code == 422
        assert "Say what should change." in html(response)

        response = client_for(mentor).post(
            url("request_changes", engagement, submission.pk),
            {f"review-{submission.pk}-feedback": "Add the sources."},
        )
        assert response.status_code == 302
        submission.refresh_from_db()
        assert (submission.status, submission.feedback) == ("changes_requested", "Add the sources.")

    def test_reviewing_twice_is_a_message(self, engagement, client_for, student, mentor, owner):
        submission = submit(engagement, student)
        services.accept(submission, by=mentor)
        response = client_for(owner).post(
            url("request_changes", engagement, submission.pk),
            {f"review-{submission.pk}-feedback": "Wait"},
            follow=True,
        )
        assert "reviewed already" in html(response)
        submission.refresh_from_db()
        assert submission.status == "accepted"

    @pytest.mark.parametrize("role", ["student"])
    def test_refused_to_others_who_read(self, engagement, people, client_for, student, role):
        submission = submit(engagement, student)
        for name, data in (("accept", {}), ("request_changes", {})):
            response = client_for(people[role]).post(url(name, engagement, submission.pk), data)
            assert response.status_code == 403, name

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_get_404(self, engagement, people, client_for, student, role):
        submission = submit(engagement, student)
        response = client_for(people[role]).post(url("accept", engagement, submission.pk))
        assert response.status_code == 404

    def test_a_submission_of_another_engagement_is_404(
        self, engagement, client_for, student, mentor, other_student
    ):
        project = ProjectFactory(organization=engagement.project.organization, mentor=mentor)
        offered = make_offered(ApplicationFactory(project=project, student=other_student))
        other = sign_both(
            engagement_services.accept_offer(offered, by=other_student), other_student, mentor
        )
        theirs = services.submit(other, "d1", by=other_student, link=LINK)
        client = client_for(mentor)  # who reads both engagements

        assert client.post(url("accept", engagement, theirs.pk)).status_code == 404
        assert client.get(url("download", engagement, theirs.pk)).status_code == 404
        assert client.post(url("accept", engagement, theirs.pk + 1000)).status_code == 404


class TestDownload:
    @pytest.fixture
    def submission(self, engagement, student):
        return submit(engagement, student, link="", file=upload("report.pdf"))

    @pytest.mark.parametrize("role", READERS)
    def test_readers_download(self, engagement, people, client_for, submission, role):
        response = client_for(people[role]).get(url("download", engagement, submission.pk))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == SAMPLES["report.pdf"]

    @pytest.mark.parametrize("role", STRANGERS)
    def test_everybody_else_gets_404(self, engagement, people, client_for, submission, role):
        response = client_for(people[role]).get(url("download", engagement, submission.pk))
        assert response.status_code == 404

    def test_anonymous_is_sent_to_log_in(self, engagement, submission):
        response = Client().get(url("download", engagement, submission.pk))
        assert response.status_code == 302

    def test_the_type_comes_from_the_content_not_the_browser(self, engagement, client_for, student):
        sent = upload("notes.txt")
        sent.content_type = "text/html"
        submission = submit(engagement, student, file=sent)
        response = client_for(student).get(url("download", engagement, submission.pk))
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment")

    def test_an_unusual_name_is_escaped(self, engagement, client_for, student):
        sent = upload('rap"port ü.pdf', SAMPLES["report.pdf"])
        submission = submit(engagement, student, file=sent)
        response = client_for(student).get(url("download", engagement, submission.pk))
        assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")

    def test_link_only_and_missing_files_are_404(
        self, engagement, client_for, student, submission, media
    ):
        link_only = submit(engagement, student)
        assert client_for(student).get(url("download", engagement, link_only.pk)).status_code == 404
        (media / submission.file.name).unlink()
        response = client_for(student).get(url("download", engagement, submission.pk))
        assert response.status_code == 404

    def test_no_public_media_url_serves_it(self, client_for, student, submission):
        assert client_for(student).get("/media/" + submission.file.name).status_code == 404
        assert client_for(student).get("/" + submission.file.name).status_code == 404
