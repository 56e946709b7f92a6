"""The agreement over JSON: the same services and rules as the page, with error codes."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from practicum.engagements import agreements, services
from practicum.engagements.models import Engagement
from tests.factories import InstitutionStaffFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]


@pytest.fixture
def engagement(offered, student):
    return services.accept_offer(offered, by=student)


@pytest.fixture
def staff(student):
    role = InstitutionStaffFactory()
    profile = student.student_profile
    profile.institution = role.institution
    profile.save()
    return role.user


@pytest.fixture
def other_staff(staff):
    return InstitutionStaffFactory().user


def post(client, path, data=None):
    return client.post(f"{API}{path}", json.dumps(data or {}), content_type="application/json")


def base(engagement) -> str:
    return f"/engagements/{engagement.pk}"


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def student_signs(client, engagement, student, version=1, hours=10):
    return post(
        client,
        f"{base(engagement)}/agreement/sign",
        {
            "version": version,
            "full_name": student.name,
            "student_hours_per_week": hours,
            "student_response_time_hours": 24,
        },
    )


def org_signs(client, engagement, person, version=1):
    return post(
        client,
        f"{base(engagement)}/agreement/sign",
        {"version": version, "full_name": person.name},
    )


class TestPermissions:
    GETS = ["/agreement", "/agreement/versions", "/agreement/versions/1", "/events"]

    @pytest.mark.parametrize("who", READERS)
    def test_readers_read(self, request, api_client_for, engagement, who):
        client = api_client_for(request.getfixturevalue(who))
        for path in self.GETS:
            assert client.get(f"{API}{base(engagement)}{path}").status_code == 200, path
        diff = client.get(f"{API}{base(engagement)}/agreement/diff?from=1&to=1")
        assert diff.status_code == 200

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404(self, request, api_client_for, engagement, who):
        person = request.getfixturevalue(who)
        client = api_client_for(person)
        for path in self.GETS:
            assert client.get(f"{API}{base(engagement)}{path}").status_code == 404, path
        assert error_of(org_signs(client, engagement, person)) == (404, "not_found")
        cancel = post(client, f"{base(engagement)}/cancel", {"reason": "x"})
        assert error_of(cancel) == (404, "not_found")

    def test_anonymous_is_401(self, engagement):
        assert Client().get(f"{API}{base(engagement)}/agreement").status_code == 401
        assert post(Client(), f"{base(engagement)}/cancel", {"reason": "x"}).status_code == 401


class TestFlow:
    def test_draft_edit_sign_amend_diff_events(
        self, api_client_for, engagement, student, mentor, owner
    ):
        as_student, as_mentor, as_owner = (api_client_for(p) for p in (student, mentor, owner))

        draft = as_student.get(f"{API}{base(engagement)}/agreement").json()
        assert (draft["number"], draft["status"]) == (1, "draft")
        assert draft["terms"]["deliverables"][0]["key"] == "d1"

        edit = post(
            as_mentor,
            f"{base(engagement)}/agreement/edits",
            {"changes": {"estimated_hours": 45}, "reason": "More analysis"},
        )
        assert edit.status_code == 201
        assert (edit.json()["number"], edit.json()["side"]) == (2, "organization")

        assert error_of(student_signs(as_student, engagement, student, version=1)) == (
            409,
            "outdated_version",
        )
        wrong = post(
            as_student,
            f"{base(engagement)}/agreement/sign",
            {"version": 2, "full_name": "X", "student_hours_per_week": 10,
             "student_response_time_hours": 24},
        )  # fmt: skip
        assert error_of(wrong) == (422, "invalid")
        assert "full_name" in wrong.json()["fields"]

        signed = student_signs(as_student, engagement, student, version=2)
        assert signed.status_code == 200
        assert [s["side"] for s in signed.json()["signatures"]] == ["student"]
        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.AGREEMENT_PENDING
        assert org_signs(as_owner, engagement, owner, version=2).status_code == 200
        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.ACTIVE

        proposal = post(
            as_student,
            f"{base(engagement)}/amendments",
            {
                "changes": {"hours_per_week": 8, "learning_goals": ["SQL"]},
                "reason": "Exams",
                "full_name": student.name,
            },
        )
        assert proposal.status_code == 201
        assert proposal.json()["status"] == "proposed"
        own = post(
            as_student, f"{base(engagement)}/amendments/3/accept", {"full_name": student.name}
        )
        assert error_of(own) == (403, "own_amendment")
        accepted = post(
            as_mentor, f"{base(engagement)}/amendments/3/accept", {"full_name": mentor.name}
        )
        assert accepted.json()["status"] == "current"

        versions = as_student.get(f"{API}{base(engagement)}/agreement/versions").json()["items"]
        assert [v["status"] for v in versions] == ["superseded", "superseded", "current"]
        diff = as_student.get(f"{API}{base(engagement)}/agreement/diff?from=2&to=3").json()
        assert {c["field"] for c in diff["fields"]} == {"hours_per_week", "learning_goals"}
        assert diff["deliverables_added"] == diff["deliverables_removed"] == []

        rejected_proposal = post(
            as_owner,
            f"{base(engagement)}/amendments",
            {
                # Later, and still within the 26 weeks an engagement may last.
                "changes": {
                    "ends_on": (engagement.project.starts_on + timedelta(weeks=20)).isoformat()
                },
                "reason": "Later",
                "full_name": owner.name,
            },
        )
        assert rejected_proposal.status_code == 201
        rejected = post(as_student, f"{base(engagement)}/amendments/4/reject", {"reason": "No"})
        assert rejected.json()["status"] == "rejected"
        again = post(as_student, f"{base(engagement)}/amendments/4/reject", {})
        assert error_of(again) == (409, "not_open")

        events = events_of(as_student, engagement)
        assert [e["kind"] for e in events] == [
            "drafted",
            "edit_proposed",
            "signed",
            "signed",
            "activated",
            "amendment_proposed",
            "amendment_accepted",
            "amendment_proposed",
            "amendment_rejected",
        ]

    def test_bad_edits_are_422_with_fields(self, api_client_for, engagement, student):
        response = post(
            api_client_for(student),
            f"{base(engagement)}/agreement/edits",
            {"changes": {"hours_per_week": "many", "deliverables": [{"key": "zz", "title": "A"}]}},
        )
        assert error_of(response) == (422, "invalid")
        assert set(response.json()["fields"]) == {"hours_per_week", "deliverables"}

    def test_unknown_versions_are_404(self, api_client_for, engagement, student):
        client = api_client_for(student)
        assert client.get(f"{API}{base(engagement)}/agreement/versions/9").status_code == 404
        assert client.get(f"{API}{base(engagement)}/agreement/diff?from=1&to=9").status_code == 404
        assert client.get(f"{API}{base(engagement)}/agreement/diff?from=1").status_code == 422
        amendment = post(client, f"{base(engagement)}/amendments/9/reject", {})
        assert error_of(amendment) == (404, "no_such_amendment")

    def test_cancel(self, api_client_for, engagement, student, mentor):
        agreements.sign(
            engagement,
            by=student,
            version_number=1,
            full_name=student.name,
            student_hours_per_week=10,
            student_response_time_hours=24,
        )
        client = api_client_for(mentor)
        assert error_of(post(client, f"{base(engagement)}/cancel", {"reason": ""})) == (
            422,
            "invalid",
        )
        response = post(client, f"{base(engagement)}/cancel", {"reason": "Budget cut"})
        assert response.status_code == 200
        assert response.json()["state"] == "cancelled"
        again = post(client, f"{base(engagement)}/cancel", {"reason": "Again"})
        assert error_of(again) == (409, "not_cancellable")
        signing = org_signs(client, engagement, mentor)
        assert error_of(signing) == (409, "not_pending")


def events_of(client, engagement) -> list[dict]:
    return client.get(f"{API}{base(engagement)}/events").json()["items"]
