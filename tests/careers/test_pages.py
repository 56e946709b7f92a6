"""The career-center pages, each for the allowed and the refused user."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from practicum.careers import selectors, services
from practicum.careers.models import AccessLogEntry, Consent, Enrollment
from tests.careers.conftest import SECRETS
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
MINE = reverse("careers:mine")
STUDENTS = reverse("careers:students")


def record_url(student) -> str:
    return reverse("careers:record", args=[student.pk])


class TestTheStudentsPage:
    def test_says_exactly_what_is_shared(self, client_for, student):
        page = client_for(student).get(MINE).content.decode()
        for item in (*selectors.WHAT_IS_SHARED, *selectors.WHAT_IS_NEVER_SHARED):
            assert item.replace("'", "&#x27;") in page

    @pytest.mark.parametrize("who", ["mentor", "staff", "superuser"])
    def test_only_for_students(self, client_for, people, who):
        assert client_for(people[who]).get(MINE).status_code == 404

    def test_anonymous_visitors_log_in_first(self):
        response = Client().get(MINE)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_the_profile_says_what_is_shared(self, client_for, student):
        page = client_for(student).get(reverse("profiles:mine")).content.decode()
        assert "Naming your institution here shares nothing with it" in page
        assert "never messages, notes, files, review texts or payments" in page


class TestEnrollingOnThePage:
    def test_by_email(
        self, client_for, student, institution, domain, mailoutbox,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        client = client_for(student)
        wrong = client.post(
            reverse("careers:request_enrollment"),
            {"institution": institution.pk, "email": "jo@gmail.com"},
        )
        assert wrong.status_code == 422
        assert f"This is not an address of {institution.name}." in wrong.content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("careers:request_enrollment"),
                {"institution": institution.pk, "email": "jo@uni.example.edu"},
            )
        assert response.status_code == 302
        link = re.search(r"https?://\S+(/careers/confirm/\S+/)", mailoutbox[-1].body).group(1)
        page = client.get(link)
        assert page.status_code == 200 and Enrollment.objects.get().state == "pending"
        assert client.post(link).status_code == 302
        assert Enrollment.objects.get().state == "verified"

    def test_someone_elses_link_is_refused(
        self, client_for, student, other_student, institution, domain, mailoutbox,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            services.request_enrollment(
                student, institution=institution, email="jo@uni.example.edu"
            )
        link = re.search(r"https?://\S+(/careers/confirm/\S+/)", mailoutbox[-1].body).group(1)
        assert client_for(other_student).post(link).status_code == 403
        assert Enrollment.objects.get().state == "pending"

    def test_consent_given_and_withdrawn(self, client_for, student, staff, institution):
        client = client_for(student)
        client.post(reverse("careers:request_enrollment"), {"institution": institution.pk})
        services.approve_enrollment(Enrollment.objects.get(), by=staff)

        client.post(reverse("careers:give_consent", args=[institution.pk]))
        assert client_for(staff).get(record_url(student)).status_code == 200
        client.post(reverse("careers:withdraw_consent", args=[institution.pk]))

        assert Consent.objects.get().withdrawn_at is not None
        assert client_for(staff).get(record_url(student)).status_code == 404

    def test_staff_decide_on_their_page(self, client_for, student, staff, other_staff, institution):
        enrollment = services.request_enrollment(student, institution=institution)
        approve = reverse("careers:approve", args=[enrollment.pk])
        assert student.name in client_for(staff).get(STUDENTS).content.decode()
        assert client_for(other_staff).post(approve).status_code == 404
        assert client_for(student).post(approve).status_code == 404
        assert client_for(staff).post(approve).status_code == 302
        assert Enrollment.objects.get().state == "verified"


class TestTheRecordPage:
    def test_staff_see_outcomes_never_the_workspace(self, client_for, sharing, staff, worked):
        response = client_for(staff).get(record_url(sharing))

        page = response.content.decode()
        assert response.status_code == 200
        assert "500–1,000 EUR" in page and "3.5 reported of 40 agreed" in page
        assert "1 of " in page  # deliverables accepted
        for secret in SECRETS:
            assert secret not in page
        assert f"/engagements/{worked.pk}/" not in page

    def test_each_visit_is_in_the_students_log(self, client_for, sharing, staff, worked):
        client_for(staff).get(record_url(sharing))
        client_for(staff).get(record_url(sharing))

        assert AccessLogEntry.objects.filter(student=sharing, staff=staff).count() == 2
        page = client_for(sharing).get(MINE).content.decode()
        assert page.count(f"{staff.name} of ") == 2
        assert "Opened your outcomes record" in page

    @pytest.mark.parametrize(
        "who", ["other_staff", "superuser", "mentor", "owner", "other_student"]
    )
    def test_404_for_anybody_else(self, client_for, people, sharing, worked, who):
        assert client_for(people[who]).get(record_url(sharing)).status_code == 404
        assert not AccessLogEntry.objects.exists()

    def test_404_when_the_student_only_names_the_institution(self, client_for, student, staff):
        assert client_for(staff).get(record_url(student)).status_code == 404

    def test_staff_never_reach_the_workspace(self, client_for, sharing, staff, worked):
        client = client_for(staff)
        for path in ("", "messages/", "checkins/", "deliverables/", "completion/"):
            assert client.get(f"/engagements/{worked.pk}/{path}").status_code == 404, path

    @pytest.mark.parametrize("extra", [0, 6])
    def test_fixed_query_budget(
        self, client_for, sharing, staff, worked, extra, django_assert_max_num_queries
    ):
        from tests.reciprocity.conftest import make_engagement

        for _ in range(extra):
            make_engagement(student=sharing, state="completed")
        client = client_for(staff)
        # session, user, navigation (2), consent, log entry (+ savepoints), student, count,
        # engagements, terms, hours, accepted, reviews, verified skills
        with django_assert_max_num_queries(17):
            assert client.get(record_url(sharing)).status_code == 200


class TestTheStudentsList:
    def test_lists_verified_consenting_students_only(self, client_for, sharing, staff, institution):
        pending = StudentFactory()
        services.request_enrollment(pending, institution=institution)
        services.give_consent(pending, institution=institution)

        page = client_for(staff).get(STUDENTS).content.decode()

        assert record_url(sharing) in page
        assert record_url(pending) not in page

    @pytest.mark.parametrize("who", ["student", "mentor", "superuser"])
    def test_404_for_who_is_no_staff(self, client_for, people, who):
        assert client_for(people[who]).get(STUDENTS).status_code == 404

    def test_paginated_with_a_fixed_budget(
        self, client_for, staff, institution, django_assert_max_num_queries
    ):
        for _ in range(selectors.PAGE_SIZE + 3):
            person = StudentFactory()
            services.approve_enrollment(
                services.request_enrollment(person, institution=institution), by=staff
            )
            services.give_consent(person, institution=institution)
        client = client_for(staff)
        with django_assert_max_num_queries(10):
            first = client.get(STUDENTS)
        assert len(first.context["students"]) == selectors.PAGE_SIZE
        assert len(client.get(STUDENTS + "?page=2").context["students"]) == 3
