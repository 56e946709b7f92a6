"""The deliverables API: the same rules as the page, as JSON, with a code on every refusal."""

import pytest
from django.test import Client

from practicum.api.urls import api
from practicum.workspace.deliverables import services
from practicum.workspace.deliverables.models import Submission
from tests.uploads import SAMPLES, upload

pytestmark = pytest.mark.django_db

READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]
LINK = "https://docs.example.com/findings"


def base(engagement) -> str:
    return f"/api/v1/engagements/{engagement.pk}/deliverables"


def submit(engagement, student, **kwargs):
    kwargs.setdefault("link", LINK)
    return services.submit(engagement, "d1", by=student, **kwargs)


class TestList:
    @pytest.mark.parametrize("role", READERS)
    def test_readers(self, engagement, people, api_client_for, student, mentor, role):
        first = submit(engagement, student, note="v1")
        services.request_changes(first, by=mentor, feedback="More")
        submit(engagement, student, note="v2", link="", file=upload("report.pdf"))

        response = api_client_for(people[role]).get(base(engagement))

        assert response.status_code == 200
        [deliverable] = response.json()
        assert deliverable["key"] == "d1"
        assert deliverable["title"] == "Findings report"
        assert deliverable["due_on"] == engagement.project.ends_on.isoformat()
        assert (deliverable["state"], deliverable["is_overdue"]) == ("waiting", False)
        assert [s["number"] for s in deliverable["submissions"]] == [1, 2]
        one, two = deliverable["submissions"]
        assert (one["status"], one["feedback"], one["reviewed_by"]["id"]) == (
            "changes_requested",
            "More",
            mentor.pk,
        )
        assert one["file"] is None
        assert two["file"]["name"] == "report.pdf"
        assert two["file"]["type"] == "pdf"
        assert two["file"]["content_type"] == "application/pdf"
        assert two["file"]["download_url"] == f"{base(engagement)}/submissions/{two['id']}/file"

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_get_404(self, engagement, people, api_client_for, role):
        response = api_client_for(people[role]).get(base(engagement))
        assert (response.status_code, response.json()["code"]) == (404, "not_found")

    def test_anonymous_gets_401(self, engagement):
        assert Client().get(base(engagement)).status_code == 401


class TestSubmit:
    def url(self, engagement, key="d1"):
        return f"{base(engagement)}/{key}/submissions"

    @pytest.mark.parametrize("name", sorted(SAMPLES))
    def test_each_allowed_type(self, engagement, api_client_for, student, name):
        response = api_client_for(student).post(
            self.url(engagement), {"file": upload(name), "note": "Here"}
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["file"]["name"] == name
        assert (body["number"], body["status"], body["note"]) == (1, "waiting", "Here")

    def test_a_link_only(self, engagement, api_client_for, student):
        response = api_client_for(student).post(self.url(engagement), {"link": LINK})
        assert response.status_code == 201
        assert (response.json()["link"], response.json()["file"]) == (LINK, None)

    def test_neither_link_nor_file_is_422(self, engagement, api_client_for, student):
        response = api_client_for(student).post(self.url(engagement), {"note": "Hi"})
        assert response.status_code == 422
        assert response.json()["code"] == "invalid"
        assert "__all__" in response.json()["fields"]

    def test_an_executable_renamed_pdf(self, engagement, api_client_for, student):
        response = api_client_for(student).post(
            self.url(engagement), {"file": upload("report.pdf", b"\x7fELF\x02\x01" + bytes(58))}
        )
        assert response.status_code == 422
        assert response.json()["code"] == "file_type_not_allowed"
        assert response.json()["fields"]["file"]

    def test_a_png_named_pdf(self, engagement, api_client_for, student):
        response = api_client_for(student).post(
            self.url(engagement), {"file": upload("report.pdf", SAMPLES["chart.png"])}
        )
        assert (response.status_code, response.json()["code"]) == (422, "file_type_mismatch")

    def test_resubmission_supersedes(self, engagement, api_client_for, student):
        client = api_client_for(student)
        first = client.post(self.url(engagement), {"link": LINK}).json()
        second = client.post(self.url(engagement), {"link": LINK + "/v2"}).json()
        assert second["number"] == 2
        assert Submission.objects.get(pk=first["id"]).status == "superseded"

    def test_unknown_deliverable_is_404(self, engagement, api_client_for, student):
        response = api_client_for(student).post(self.url(engagement, "d7"), {"link": LINK})
        assert (response.status_code, response.json()["code"]) == (404, "no_such_deliverable")

    def test_accepted_is_409(self, engagement, api_client_for, student, mentor):
        services.accept(submit(engagement, student), by=mentor)
        response = api_client_for(student).post(self.url(engagement), {"link": LINK})
        assert (response.status_code, response.json()["code"]) == (409, "already_accepted")

    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_only_the_student(self, engagement, people, api_client_for, role):
        response = api_client_for(people[role]).post(self.url(engagement), {"link": LINK})
        assert response.status_code == 403

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_get_404(self, engagement, people, api_client_for, role):
        response = api_client_for(people[role]).post(self.url(engagement), {"link": LINK})
        assert response.status_code == 404

    def test_session_clients_need_the_csrf_token(self, engagement, student):
        client = Client(enforce_csrf_checks=True)
        client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        response = client.post(self.url(engagement), {"link": LINK})
        assert response.status_code in (401, 403)
        assert not Submission.objects.exists()


class TestOneSubmission:
    def test_get(self, engagement, api_client_for, student, mentor):
        submission = submit(engagement, student, note="Note")
        response = api_client_for(mentor).get(f"{base(engagement)}/submissions/{submission.pk}")
        assert response.status_code == 200
        assert response.json()["note"] == "Note"
        assert response.json()["deliverable"] == "d1"
        assert response.json()["submitted_by"] == {"id": student.pk, "name": student.name}

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_get_404(self, engagement, people, api_client_for, student, role):
        submission = submit(engagement, student)
        client = api_client_for(people[role])
        assert client.get(f"{base(engagement)}/submissions/{submission.pk}").status_code == 404
        assert client.get(f"{base(engagement)}/submissions/{submission.pk}/file").status_code == 404

    @pytest.mark.parametrize("role", READERS)
    def test_download(self, engagement, people, api_client_for, student, role):
        submission = submit(engagement, student, link="", file=upload("numbers.xlsx"))
        response = api_client_for(people[role]).get(
            f"{base(engagement)}/submissions/{submission.pk}/file"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert response["Content-Disposition"] == 'attachment; filename="numbers.xlsx"'
        assert b"".join(response.streaming_content) == SAMPLES["numbers.xlsx"]

    def test_download_without_a_file_is_404(self, engagement, api_client_for, student):
        submission = submit(engagement, student)
        client = api_client_for(student)
        response = client.get(f"{base(engagement)}/submissions/{submission.pk}/file")
        assert response.status_code == 404


class TestReview:
    def url(self, engagement, submission, action):
        return f"{base(engagement)}/submissions/{submission.pk}/{action}"

    @staticmethod
    def post(client, url):
        """A POST without a body, as API clients send it."""
        return client.post(url, content_type="application/json")

    def test_accept_without_a_body(self, engagement, api_client_for, student, mentor):
        submission = submit(engagement, student)
        response = self.post(api_client_for(mentor), self.url(engagement, submission, "accept"))
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "accepted"

    def test_accept_with_feedback(self, engagement, api_client_for, student, owner):
        submission = submit(engagement, student)
        response = api_client_for(owner).post(
            self.url(engagement, submission, "accept"),
            {"feedback": "Well done"},
            content_type="application/json",
        )
        assert (response.status_code, response.json()["feedback"]) == (200, "Well done")
        assert response.json()["reviewed_by"]["id"] == owner.pk

    def test_request_changes(self, engagement, api_client_for, student, mentor):
        submission = submit(engagement, student)
        client = api_client_for(mentor)
        response = client.post(
            self.url(engagement, submission, "request-changes"),
            {"feedback": ""},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert "feedback" in response.json()["fields"]
        response = client.post(
            self.url(engagement, submission, "request-changes"), {}, content_type="application/json"
        )
        assert response.status_code == 422
        response = client.post(
            self.url(engagement, submission, "request-changes"),
            {"feedback": "Add sources"},
            content_type="application/json",
        )
        assert (response.status_code, response.json()["status"]) == (200, "changes_requested")

    def test_twice_is_409(self, engagement, api_client_for, student, mentor):
        submission = submit(engagement, student)
        client = api_client_for(mentor)
        self.post(client, self.url(engagement, submission, "accept"))
        response = self.post(client, self.url(engagement, submission, "accept"))
        assert (response.status_code, response.json()["code"]) == (409, "already_reviewed")

    @pytest.mark.parametrize("role", ["student"])
    def test_refused_to_other_readers(self, engagement, people, api_client_for, student, role):
        submission = submit(engagement, student)
        client = api_client_for(people[role])
        response = self.post(client, self.url(engagement, submission, "accept"))
        assert (response.status_code, response.json()["code"]) == (403, "wrong_side")
        # Refused before the feedback is looked at.
        response = client.post(
            self.url(engagement, submission, "request-changes"),
            {"feedback": ""},
            content_type="application/json",
        )
        assert (response.status_code, response.json()["code"]) == (403, "wrong_side")

    @pytest.mark.parametrize("role", STRANGERS)
    def test_strangers_get_404(self, engagement, people, api_client_for, student, role):
        submission = submit(engagement, student)
        client = api_client_for(people[role])
        response = self.post(client, self.url(engagement, submission, "accept"))
        assert response.status_code == 404


def test_schema_names_are_prefixed():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    mine = [name for name in schemas if "Deliverable" in name]
    assert {"DeliverableStateOut", "DeliverableSubmissionOut", "DeliverableFileOut"} <= set(mine)
