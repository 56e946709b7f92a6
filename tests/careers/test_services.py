"""The career-center rules through the services: verified enrollment (email link or staff),
consent given and withdrawn, outcomes only, every look logged."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from practicum.careers import selectors, services
from practicum.careers.models import ENROLLMENT, AccessLogEntry, Consent, Enrollment
from practicum.core.errors import Conflict, Refused, ServiceError
from tests.factories import InstitutionStaffFactory, StudentFactory

pytestmark = pytest.mark.django_db
State = Enrollment.State
PAGE = AccessLogEntry.What.RECORD_PAGE


def link_token(mailoutbox) -> str:
    return re.search(r"/careers/confirm/([^/\s]+)/", mailoutbox[-1].body).group(1)


class TestTheTransitionTable:
    @pytest.mark.parametrize(
        ("state", "action"),
        [(s, a) for s in State.values for a in ENROLLMENT.by_action],
    )
    def test_every_move_from_every_state(self, state, action):
        transition = ENROLLMENT.by_action[action]
        if state in transition.sources:
            assert ENROLLMENT.target(state, action) == transition.target
        else:
            with pytest.raises(Conflict) as caught:
                ENROLLMENT.target(state, action)
            assert caught.value.code == "illegal_transition"


class TestEnrollmentByEmail:
    def test_an_address_outside_the_domains_is_refused(self, student, institution, domain):
        with pytest.raises(ValidationError) as caught:
            services.request_enrollment(student, institution=institution, email="me@gmail.com")
        assert "email" in caught.value.message_dict
        assert not Enrollment.objects.exists()

    def test_the_emailed_link_verifies_its_student_only(
        self, student, other_student, institution, domain, mailoutbox,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = services.request_enrollment(
                student, institution=institution, email="Jo@Students.Uni.Example.edu"
            )
        assert enrollment.state == State.PENDING and enrollment.method == "email"
        assert mailoutbox[-1].to == ["jo@students.uni.example.edu"]
        token = link_token(mailoutbox)

        with pytest.raises(Refused) as caught:
            services.confirm_enrollment(token, by=other_student)
        assert caught.value.code == "not_yours"
        services.confirm_enrollment(token, by=student)

        enrollment.refresh_from_db()
        assert enrollment.state == State.VERIFIED and enrollment.verified_at is not None
        assert services.confirm_enrollment(token, by=student).state == State.VERIFIED

    def test_an_expired_or_tampered_link(
        self, student, institution, domain, mailoutbox, django_capture_on_commit_callbacks,
        monkeypatch,
    ):  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            services.request_enrollment(
                student, institution=institution, email="jo@uni.example.edu"
            )
        token = link_token(mailoutbox)
        with pytest.raises(Conflict) as caught:
            services.confirm_enrollment(token + "x", by=student)
        assert caught.value.code == "link_invalid"
        monkeypatch.setattr(services, "LINK_VALID_FOR", datetime.timedelta(seconds=-1))
        with pytest.raises(Conflict) as caught:
            services.confirm_enrollment(token, by=student)
        assert caught.value.code == "link_expired"
        assert Enrollment.objects.get().state == State.PENDING

    def test_asking_again_replaces_the_link(
        self, student, institution, domain, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.request_enrollment(student, institution=institution, email="a@uni.example.edu")
        old = link_token(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            services.request_enrollment(student, institution=institution, email="b@uni.example.edu")
        with pytest.raises(Conflict) as caught:
            services.confirm_enrollment(old, by=student)
        assert caught.value.code == "link_replaced"
        services.confirm_enrollment(link_token(mailoutbox), by=student)
        assert Enrollment.objects.get().state == State.VERIFIED

    def test_only_students_enroll(self, mentor, institution):
        with pytest.raises(Refused) as caught:
            services.request_enrollment(mentor, institution=institution)
        assert caught.value.code == "students_only"


class TestEnrollmentByStaff:
    def test_the_institutions_staff_decide(
        self, student, staff, other_staff, superuser, institution
    ):
        enrollment = services.request_enrollment(student, institution=institution)
        assert enrollment.method == "staff"
        for stranger in (other_staff, superuser):
            with pytest.raises(Refused) as caught:
                services.approve_enrollment(enrollment, by=stranger)
            assert caught.value.code == "not_staff"
        services.approve_enrollment(enrollment, by=staff)
        enrollment.refresh_from_db()
        assert (enrollment.state, enrollment.decided_by) == (State.VERIFIED, staff)
        with pytest.raises(Conflict):
            services.reject_enrollment(enrollment, by=staff)

    def test_a_rejected_student_may_ask_again(self, student, staff, institution):
        enrollment = services.request_enrollment(student, institution=institution)
        services.reject_enrollment(enrollment, by=staff)
        assert Enrollment.objects.get().state == State.REJECTED
        with pytest.raises(Conflict):
            services.give_consent(student, institution=institution)
        services.request_enrollment(student, institution=institution)
        assert Enrollment.objects.get().state == State.PENDING

    def test_verified_is_final(self, sharing, institution):
        with pytest.raises(Conflict) as caught:
            services.request_enrollment(sharing, institution=institution)
        assert caught.value.code == "already_verified"


class TestConsent:
    def test_consent_needs_an_enrollment(self, student, institution):
        with pytest.raises(Conflict) as caught:
            services.give_consent(student, institution=institution)
        assert caught.value.code == "not_enrolled"

    def test_given_once_and_withdrawn_at_once(self, sharing, staff, institution, worked):
        again = services.give_consent(sharing, institution=institution)
        assert again.pk == Consent.objects.get().pk
        assert services.open_record(sharing.pk, by=staff, what=PAGE)

        assert services.withdraw_consent(sharing, institution=institution) == 1

        with pytest.raises(ServiceError) as caught:
            services.open_record(sharing.pk, by=staff, what=PAGE)
        assert (caught.value.status, caught.value.code) == (404, "not_found")
        assert not staff.has_perm("careers.read_record", sharing)


class TestTheRecord:
    def test_outcomes_only(self, sharing, staff, worked):
        record = services.open_record(sharing.pk, by=staff, what=PAGE)

        (outcome,) = record.page.object_list
        assert outcome.state == "active"
        assert outcome.starts_on is not None and outcome.ends_on is not None
        assert (outcome.hours_agreed, float(outcome.hours_reported)) == (40, 3.5)
        assert outcome.pay.label == "500–1,000 EUR"  # 600.00 EUR agreed
        assert outcome.deliverables_accepted == 1
        assert outcome.deliverables_total >= 1
        assert sorted((r.about, r.score) for r in outcome.ratings) == [
            ("organization", 4.5),
            ("student", 3.5),
        ]
        # The dataclasses carry no field that could hold a text of the workspace.
        assert set(vars(outcome)) == {
            "engagement_id", "project_title", "organization_name", "state", "state_label",
            "starts_on", "ends_on", "hours_agreed", "hours_reported", "pay",
            "deliverables_accepted", "deliverables_total", "ratings",
        }  # fmt: skip

    def test_hidden_reviews_give_no_rating(self, sharing, staff, worked):
        worked.reviews.update(revealed_at=None)
        (outcome,) = services.open_record(sharing.pk, by=staff, what=PAGE).page.object_list
        assert outcome.ratings == []

    def test_every_look_is_logged_for_the_student(self, sharing, staff, institution, worked):
        services.open_record(sharing.pk, by=staff, what=PAGE)
        services.open_record(sharing.pk, by=staff, what=AccessLogEntry.What.RECORD_API)

        log = list(selectors.access_log_of(sharing))
        assert [(e.staff, e.institution, e.what) for e in log] == [
            (staff, institution, "record_api"),
            (staff, institution, "record_page"),
        ]

    @pytest.mark.parametrize("who", ["other_staff", "superuser", "mentor", "other_student"])
    def test_nobody_else_reads_it(self, request, sharing, worked, who):
        with pytest.raises(ServiceError) as caught:
            services.open_record(sharing.pk, by=request.getfixturevalue(who), what=PAGE)
        assert caught.value.status == 404
        assert not AccessLogEntry.objects.exists()

    def test_naming_the_institution_shares_nothing(self, student, staff, worked):
        # The `staff` fixture's institution is the one the student names on their profile.
        with pytest.raises(ServiceError):
            services.open_record(student.pk, by=staff, what=PAGE)

    def test_consent_without_verification_shares_nothing(self, student, staff, institution):
        services.request_enrollment(student, institution=institution)
        services.give_consent(student, institution=institution)
        with pytest.raises(ServiceError):
            services.open_record(student.pk, by=staff, what=PAGE)

    def test_a_second_institution_sees_only_what_is_shared_with_it(self, sharing, staff, worked):
        second = InstitutionStaffFactory()
        services.approve_enrollment(
            services.request_enrollment(sharing, institution=second.institution), by=second.user
        )
        # Verified at the second institution, but consenting only to the first.
        with pytest.raises(ServiceError):
            services.open_record(sharing.pk, by=second.user, what=PAGE)
        assert [c.student for c in selectors.shared_students(staff)] == [sharing]
        assert list(selectors.shared_students(second.user)) == []
        assert StudentFactory().pk not in {c.student_id for c in selectors.shared_students(staff)}


def test_the_students_data_export_holds_the_career_center(sharing, staff, worked):
    from practicum.privacy.collect import files_for

    services.open_record(sharing.pk, by=staff, what=PAGE)
    exported = files_for(sharing)["career_center.json"]
    assert [e["state"] for e in exported["enrollments"]] == ["verified"]
    assert exported["consents"][0]["withdrawn_at"] is None
    assert [a["staff"] for a in exported["record_opened_by"]] == [staff.name]
