"""The career-center endpoints under /api/v1, each for the allowed and the refused user."""

import re

import pytest

from practicum.careers import services
from practicum.careers.models import AccessLogEntry, Enrollment
from tests.careers.conftest import SECRETS

pytestmark = pytest.mark.django_db
API = "/api/v1/careers"


def post(client, path, body=None):
    return client.post(API + path, body or {}, content_type="application/json")


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


class TestStudent:
    def test_enroll_by_email_consent_and_read_the_log(
        self, api_client_for, student, staff, institution, domain, mailoutbox,
        django_capture_on_commit_callbacks, worked,
    ):  # fmt: skip
        client = api_client_for(student)
        wrong = post(client, "/enrollments", {"institution": institution.pk, "email": "x@y.org"})
        assert error_of(wrong) == (422, "invalid") and "email" in wrong.json()["fields"]

        with django_capture_on_commit_callbacks(execute=True):
            created = post(
                client,
                "/enrollments",
                {"institution": institution.pk, "email": "jo@uni.example.edu"},
            )
        assert created.status_code == 201 and created.json()["state"] == "pending"
        token = re.search(r"/careers/confirm/([^/\s]+)/", mailoutbox[-1].body).group(1)
        confirmed = post(client, "/enrollments/confirm", {"token": token})
        assert confirmed.json()["state"] == "verified"

        consent = post(client, "/consents", {"institution": institution.pk})
        assert consent.status_code == 201
        assert client.get(API + "/enrollments").json()["items"][0]["sharing"] is True
        services.open_record(student.pk, by=staff, what=AccessLogEntry.What.RECORD_PAGE)

        log = client.get(API + "/access-log").json()
        assert log["count"] == 1
        assert log["items"][0]["staff_name"] == staff.name
        assert log["items"][0]["what"] == "record_page"

        assert client.delete(f"{API}/consents/{institution.pk}").status_code == 204
        assert api_client_for(staff).get(f"{API}/students/{student.pk}").status_code == 404

    def test_consent_without_enrollment_is_409(self, api_client_for, student, institution):
        response = post(api_client_for(student), "/consents", {"institution": institution.pk})
        assert error_of(response) == (409, "not_enrolled")

    @pytest.mark.parametrize("who", ["mentor", "staff", "superuser"])
    def test_student_endpoints_are_for_students(self, api_client_for, people, institution, who):
        client = api_client_for(people[who])
        assert error_of(client.get(API + "/enrollments")) == (404, "not_found")
        assert error_of(client.get(API + "/access-log")) == (404, "not_found")
        response = post(client, "/enrollments", {"institution": institution.pk})
        assert error_of(response) == (404, "not_found")
        assert not Enrollment.objects.exists()

    def test_page_parameters_are_bounded(self, api_client_for, student):
        response = api_client_for(student).get(API + "/access-log?page=0")
        assert response.status_code == 422


class TestStaff:
    def test_approve_then_read_the_record(
        self, api_client_for, student, staff, institution, worked
    ):
        enrollment = services.request_enrollment(student, institution=institution)
        client = api_client_for(staff)
        pending = client.get(API + "/pending").json()
        assert [r["id"] for r in pending["items"]] == [enrollment.pk]
        assert post(client, f"/enrollments/{enrollment.pk}/approve").status_code == 200
        assert client.get(f"{API}/students/{student.pk}").status_code == 404  # no consent yet
        services.give_consent(student, institution=institution)

        students = client.get(API + "/students").json()
        assert [r["student"]["id"] for r in students["items"]] == [student.pk]
        response = client.get(f"{API}/students/{student.pk}")

        assert response.status_code == 200
        body = response.json()
        (outcome,) = body["engagements"]["items"]
        assert outcome["state"] == "active"
        assert outcome["pay"]["label"] == "500–1,000 EUR"
        assert (outcome["deliverables_accepted"], outcome["hours_agreed"]) == (1, 40)
        assert len(outcome["ratings"]) == 2
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text
        entry = AccessLogEntry.objects.get()
        assert (entry.staff, entry.student, entry.what) == (staff, student, "record_api")

    @pytest.mark.parametrize("who", ["other_staff", "superuser", "mentor", "other_student"])
    def test_others_are_told_nothing(self, api_client_for, people, sharing, worked, who):
        client = api_client_for(people[who])
        assert error_of(client.get(f"{API}/students/{sharing.pk}")) == (404, "not_found")
        if who != "other_staff":
            assert error_of(client.get(API + "/students")) == (404, "not_found")
        else:
            assert client.get(API + "/students").json()["count"] == 0
        assert not AccessLogEntry.objects.exists()

    def test_only_the_institutions_staff_decide(
        self, api_client_for, student, other_staff, superuser, institution
    ):
        enrollment = services.request_enrollment(student, institution=institution)
        for person in (other_staff, superuser, student):
            response = post(api_client_for(person), f"/enrollments/{enrollment.pk}/approve")
            assert error_of(response) == (404, "not_found")
        assert Enrollment.objects.get().state == "pending"

    def test_deciding_twice_is_409(self, api_client_for, sharing, staff):
        enrollment = Enrollment.objects.get(student=sharing)
        response = post(api_client_for(staff), f"/enrollments/{enrollment.pk}/reject")
        assert error_of(response) == (409, "illegal_transition")
