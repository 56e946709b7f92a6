"""GET /api/v1/organizations/{slug}/reciprocity and /api/v1/students/{id}/reciprocity."""

import pytest
from django.test import Client

from practicum.reciprocity import index as idx
from tests.factories import UserFactory
from tests.reciprocity.conftest import make_engagement, rating

ORG_URL = "/api/v1/organizations/{}/reciprocity"
STUDENT_URL = "/api/v1/students/{}/reciprocity"


class TestOrganization:
    def test_components_with_numerators_and_denominators(
        self, api_client_for, student, organization, history_of_three
    ):
        rating(history_of_three[0], side="student", scores={"a": 5, "b": 4})
        response = api_client_for(student).get(ORG_URL.format(organization.slug))
        assert response.status_code == 200
        body = response.json()
        assert body["side"] == "organization"
        assert body["enough_history"] is True
        assert (body["engagements"], body["min_engagements"]) == (3, 3)
        assert body["explained_at"] == "/reciprocity/"
        components = {c["key"]: c for c in body["components"]}
        assert list(components) == list(idx.ORGANIZATION_WEIGHTS)
        checkins = components["checkins_held"]
        assert (checkins["numerator"], checkins["denominator"], checkins["rate"]) == (3, 6, 0.5)
        assert checkins["sentence"] == "held 3 of 6 check-ins as scheduled"
        assert checkins["weight"] == idx.ORGANIZATION_WEIGHTS["checkins_held"]
        ratings = components["ratings"]
        assert (ratings["numerator"], ratings["denominator"], ratings["count"]) == (4.5, 5, 1)
        assert components["payments_on_time"]["rate"] is None
        w = idx.ORGANIZATION_WEIGHTS
        expected = (w["checkins_held"] * 0.5 + w["ratings"] * 0.875) / (
            w["checkins_held"] + w["ratings"]
        )
        assert body["value"] == pytest.approx(100 * expected, abs=0.05)

    def test_not_enough_history_has_no_value(self, api_client_for, outsider, organization):
        make_engagement(organization=organization)
        body = api_client_for(outsider).get(ORG_URL.format(organization.slug)).json()
        assert (body["value"], body["enough_history"], body["engagements"]) == (None, False, 1)
        assert len(body["components"]) == len(idx.ORGANIZATION_WEIGHTS)

    def test_unknown_organization(self, api_client_for, student):
        response = api_client_for(student).get(ORG_URL.format("nobody"))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_anonymous(self, organization):
        response = Client().get(ORG_URL.format(organization.slug))
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


class TestStudent:
    @pytest.mark.parametrize(
        "role, status",
        [
            ("student", 200),
            ("owner", 200),
            ("mentor", 200),
            ("other_mentor", 200),  # a member of the organization the student applied to
            ("outsider", 404),
            ("other_student", 404),
            ("staff", 404),
            ("other_staff", 404),
        ],
    )
    def test_same_visibility_as_the_page(self, role, status, people, api_client_for, application):
        profile = application.student.student_profile
        response = api_client_for(people[role]).get(STUDENT_URL.format(profile.pk))
        assert response.status_code == status
        if status == 200:
            body = response.json()
            assert body["side"] == "student"
            assert [c["key"] for c in body["components"]] == list(idx.STUDENT_WEIGHTS)
        else:
            assert response.json()["code"] == "not_found"

    def test_addressed_by_the_profiles_id(self, api_client_for, student):
        make_engagement(student=student)
        profile = student.student_profile
        assert profile.pk != student.pk
        body = api_client_for(student).get(STUDENT_URL.format(profile.pk)).json()
        assert body["engagements"] == 1
        assert api_client_for(student).get(STUDENT_URL.format(999999)).status_code == 404

    def test_platform_admins_do_not_see_it(self, api_client_for, student):
        admin = UserFactory(account_type="admin", is_staff=True)
        url = STUDENT_URL.format(student.student_profile.pk)
        assert api_client_for(admin).get(url).status_code == 404

    def test_bad_id(self, api_client_for, student):
        assert api_client_for(student).get(STUDENT_URL.format("abc")).status_code == 404

    def test_anonymous(self, student):
        url = STUDENT_URL.format(student.student_profile.pk)
        assert Client().get(url).status_code == 401
