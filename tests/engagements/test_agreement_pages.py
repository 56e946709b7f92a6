"""The agreement on the engagement page: who sees and uses which form, errors next to fields,
versions and diffs, and a query budget that does not grow with the number of versions."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practicum.engagements import agreements, services
from practicum.engagements.models import AgreementVersion, Engagement
from tests.factories import InstitutionStaffFactory

pytestmark = pytest.mark.django_db

Status = AgreementVersion.Status
READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]


@pytest.fixture
def engagement(offered, student):
    return services.accept_offer(offered, by=student)


@pytest.fixture
def staff(student):
    """Career-center staff of the student's institution."""
    role = InstitutionStaffFactory()
    profile = student.student_profile
    profile.institution = role.institution
    profile.save()
    return role.user


@pytest.fixture
def other_staff(staff):
    return InstitutionStaffFactory().user


def url(name, engagement, *args):
    return reverse(f"engagements:{name}", args=[engagement.pk, *args])


def html_of(response) -> str:
    return response.content.decode()


def sign_data(person, version=1, hours=10, response_time=24):
    return {
        "sign-version_number": version,
        "sign-full_name": person.name,
        "sign-student_hours_per_week": hours,
        "sign-student_response_time_hours": response_time,
    }


def terms_data(terms: dict, **overrides) -> dict:
    """What the propose-changes form posts when nothing is touched but `overrides`."""
    deliverables = terms["deliverables"]
    data = {
        "terms-objectives": "\n".join(terms["objectives"]),
        "terms-learning_goals": "\n".join(terms["learning_goals"]),
        "terms-starts_on": terms["starts_on"],
        "terms-ends_on": terms["ends_on"],
        "terms-estimated_hours": terms["estimated_hours"],
        "terms-hours_per_week": terms["hours_per_week"],
        "terms-compensation": terms["compensation_amount"] / 100,
        "terms-currency": terms["currency"],
        "terms-checkin_cadence": terms["checkin_cadence"],
        "terms-checkin_weekday": terms["checkin_weekday"],
        "terms-checkin_time": terms["checkin_time"],
        "terms-response_time_hours": terms["response_time_hours"],
        "terms-student_hours_per_week": terms["student_hours_per_week"],
        "terms-student_response_time_hours": terms["student_response_time_hours"],
        "terms-reason": "",
        "terms-deliverables-TOTAL_FORMS": len(deliverables) + 1,
        "terms-deliverables-INITIAL_FORMS": len(deliverables),
        "terms-deliverables-MIN_NUM_FORMS": 0,
        "terms-deliverables-MAX_NUM_FORMS": 1000,
    }
    for index, d in enumerate(deliverables):
        for attr in ("key", "title", "description"):
            data[f"terms-deliverables-{index}-{attr}"] = d[attr]
        data[f"terms-deliverables-{index}-due_on"] = d["due_on"] or ""
    return {**data, **{f"terms-{k}": v for k, v in overrides.items()}}


def activate(engagement, student, mentor):
    agreements.sign(
        engagement,
        by=student,
        version_number=1,
        full_name=student.name,
        student_hours_per_week=10,
        student_response_time_hours=24,
    )
    agreements.sign(engagement, by=mentor, version_number=1, full_name=mentor.name)


class TestWhoSeesWhat:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_agreement(self, request, client_for, engagement, who):
        response = client_for(request.getfixturevalue(who)).get(url("detail", engagement))

        html = html_of(response)
        assert response.status_code == 200
        assert "Waiting for the agreement" in html
        assert "Agreement, version 1" in html
        assert "Findings report" in html
        assert "600.00 EUR" in html
        assert "Sign the agreement" in html
        assert "Cancel the engagement" in html

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404_everywhere(self, request, client_for, engagement, who):
        client = client_for(request.getfixturevalue(who))
        assert client.get(url("detail", engagement)).status_code == 404
        assert client.get(url("agreement_version", engagement, 1)).status_code == 404
        assert client.get(url("agreement_diff", engagement) + "?from=1&to=1").status_code == 404
        assert client.post(url("cancel", engagement), {"cancel-reason": "x"}).status_code == 404
        assert (
            client.post(
                url("agreement_sign", engagement), sign_data(request.getfixturevalue(who))
            ).status_code
            == 404
        )

    def test_anonymous_visitors_log_in_first(self, engagement):
        client = Client()
        assert client.get(url("detail", engagement)).status_code == 302
        assert client.post(url("cancel", engagement), {"cancel-reason": "x"}).status_code == 302
        assert client.get(url("agreement_version", engagement, 1)).status_code == 302


class TestSigning:
    def test_both_sign_on_the_page_and_the_engagement_is_active(
        self, client_for, engagement, student, mentor
    ):
        response = client_for(student).post(
            url("agreement_sign", engagement), sign_data(student), follow=True
        )
        html = html_of(response)
        assert "You signed the agreement." in html
        assert "waiting for the other side" in html
        assert f"Signed for the student by <strong>{student.name}</strong>" in html

        response = client_for(mentor).post(
            url("agreement_sign", engagement), sign_data(mentor), follow=True
        )
        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.ACTIVE
        assert "Propose an amendment" in html_of(response)

    def test_a_wrong_name_is_shown_next_to_the_field(self, client_for, engagement, student):
        data = {**sign_data(student), "sign-full_name": "Not Me"}

        response = client_for(student).post(url("agreement_sign", engagement), data)

        assert response.status_code == 422
        assert "Type your full name exactly as on your account" in html_of(response)
        assert not engagement.agreement_versions.get().signatures.exists()

    def test_missing_commitment_is_a_field_error(self, client_for, engagement, student):
        data = {**sign_data(student), "sign-student_hours_per_week": ""}
        response = client_for(student).post(url("agreement_sign", engagement), data)
        assert response.status_code == 422
        assert "This field is required." in html_of(response)

    def test_signing_an_outdated_version_says_so(self, client_for, engagement, student, mentor):
        agreements.propose_edit(engagement, by=mentor, changes={"estimated_hours": 45})

        response = client_for(student).post(
            url("agreement_sign", engagement), sign_data(student, version=1), follow=True
        )

        assert "Version 1 is not the draft to sign; version 2 is." in html_of(response)


class TestChanges:
    def test_proposing_an_edit_to_the_draft(self, client_for, engagement, student):
        terms = engagement.agreement_versions.get().terms
        data = terms_data(terms, learning_goals="SQL\nPresenting", estimated_hours=44)
        data["terms-deliverables-1-title"] = "Slides"

        response = client_for(student).post(url("agreement_terms", engagement), data)

        assert response.status_code == 302
        draft = engagement.agreement_versions.get(status=Status.DRAFT)
        assert draft.number == 2
        assert draft.terms["learning_goals"] == ["SQL", "Presenting"]
        assert draft.terms["estimated_hours"] == 44
        assert [d["key"] for d in draft.terms["deliverables"]] == ["d1", "d2"]

    def test_invalid_terms_keep_what_was_typed(self, client_for, engagement, student):
        terms = engagement.agreement_versions.get().terms
        data = terms_data(terms, ends_on="2000-01-01", hours_per_week=99)

        response = client_for(student).post(url("agreement_terms", engagement), data)

        html = html_of(response)
        assert response.status_code == 422
        assert "Ensure this value is less than or equal to 60." in html
        assert 'value="99"' in html
        assert engagement.agreement_versions.count() == 1

    def test_service_errors_land_on_the_form(self, client_for, engagement, student):
        terms = engagement.agreement_versions.get().terms
        response = client_for(student).post(
            url("agreement_terms", engagement), terms_data(terms, ends_on="2000-01-01")
        )
        assert response.status_code == 422
        assert "The end cannot come before the start." in html_of(response)

    def test_an_amendment_accepted_then_one_rejected(self, client_for, engagement, student, mentor):
        activate(engagement, student, mentor)
        terms = engagement.agreement_versions.get().terms
        data = terms_data(terms, compensation="700.00", reason="More work", full_name=mentor.name)

        assert client_for(mentor).post(url("agreement_terms", engagement), data).status_code == 302
        page = html_of(client_for(student).get(url("detail", engagement)))
        assert "Amendment proposed: version 2" in page
        assert "Accept the amendment" in page
        assert "60000" in page and "70000" in page  # the diff
        assert "Accept the amendment" not in html_of(
            client_for(mentor).get(url("detail", engagement))
        )

        response = client_for(student).post(
            url("amendment_accept", engagement, 2), {"accept-full_name": student.name}
        )
        assert response.status_code == 302
        assert engagement.agreement_versions.get(number=2).status == Status.CURRENT

        new_terms = engagement.agreement_versions.get(number=2).terms
        data = terms_data(new_terms, hours_per_week=12, reason="Exams", full_name=student.name)
        client_for(student).post(url("agreement_terms", engagement), data)
        response = client_for(mentor).post(
            url("amendment_reject", engagement, 3), {"reject-reason": "No"}
        )
        assert response.status_code == 302
        assert engagement.agreement_versions.get(number=3).status == Status.REJECTED

    def test_the_proposer_cannot_accept_their_own_amendment(
        self, client_for, engagement, student, mentor
    ):
        activate(engagement, student, mentor)
        agreements.propose_amendment(
            engagement,
            by=mentor,
            changes={"hours_per_week": 12},
            reason="More",
            full_name=mentor.name,
        )
        response = client_for(mentor).post(
            url("amendment_accept", engagement, 2), {"accept-full_name": mentor.name}
        )
        assert response.status_code == 403

    def test_an_amendment_needs_a_reason(self, client_for, engagement, student, mentor):
        activate(engagement, student, mentor)
        terms = engagement.agreement_versions.get().terms
        data = terms_data(terms, hours_per_week=12, full_name=mentor.name)
        response = client_for(mentor).post(url("agreement_terms", engagement), data)
        assert response.status_code == 422
        assert engagement.agreement_versions.count() == 1


class TestVersionsAndDiff:
    def test_every_version_is_readable_and_diffable(self, client_for, engagement, student):
        agreements.propose_edit(engagement, by=student, changes={"estimated_hours": 45})
        client = client_for(student)

        old = html_of(client.get(url("agreement_version", engagement, 1)))
        assert "Agreement, version 1" in old and "Superseded" in old
        diff = html_of(client.get(url("agreement_diff", engagement) + "?from=1&to=2"))
        assert "Estimated hours in all" in diff
        assert "40" in diff and "45" in diff

    @pytest.mark.parametrize("query", ["", "?from=1&to=9", "?from=a&to=1"])
    def test_bad_diff_requests_are_404(self, client_for, engagement, student, query):
        assert client_for(student).get(url("agreement_diff", engagement) + query).status_code == 404


class TestCancel:
    def test_cancelling_needs_a_reason_then_keeps_the_history(
        self, client_for, engagement, student
    ):
        client = client_for(student)
        response = client.post(url("cancel", engagement), {"cancel-reason": ""})
        assert response.status_code == 422
        assert "This field is required." in html_of(response)

        response = client.post(url("cancel", engagement), {"cancel-reason": "Exams"}, follow=True)

        html = html_of(response)
        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.CANCELLED
        assert "Engagement cancelled" in html and "Exams" in html
        assert "Agreement, version 1" in html
        assert "Sign the agreement" not in html


def test_the_page_keeps_its_query_budget_whatever_the_number_of_versions(
    client_for, engagement, student, mentor
):
    def count_queries() -> int:
        client = client_for(student)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("detail", engagement)).status_code == 200
        return len(queries)

    def add_version(hours):
        draft = engagement.agreement_versions.get(status=Status.DRAFT)
        agreements.sign(engagement, by=mentor, version_number=draft.number, full_name=mentor.name)
        agreements.propose_edit(engagement, by=student, changes={"estimated_hours": hours})

    add_version(41)
    assert engagement.agreement_versions.count() == 2
    with_two = count_queries()
    for hours in range(42, 52):
        add_version(hours)
    assert engagement.agreement_versions.count() == 12
    assert count_queries() == with_two
    assert with_two <= 8, with_two
