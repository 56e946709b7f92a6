"""The JSON API: the same rules as the pages, with machine-readable error codes."""

import datetime
import json

import pytest
from django.test import Client

from practicum.engagements import services
from practicum.engagements.models import Application, Engagement
from practicum.projects.models import Project
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectSkillFactory,
    SkillFactory,
    StudentSkillFactory,
)

from .conftest import days, make_offered

pytestmark = pytest.mark.django_db

API = "/api/v1"
PITCH = "I analysed survey data for my statistics course."
VALID = {"pitch": PITCH, "availability_confirmed": True}


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


class TestApply:
    def url(self, project):
        return f"{API}/projects/{project.pk}/applications"

    def test_a_student_applies(self, api_client_for, student, project):
        project.screening_questions = ["Which tools?"]
        project.save()

        response = post(
            api_client_for(student),
            self.url(project),
            {"pitch": PITCH, "availability_confirmed": True, "answers": ["pandas"]},
        )

        assert response.status_code == 201
        body = response.json()
        application = Application.objects.get()
        assert body["id"] == application.pk
        assert body["url"] == f"/applications/{application.pk}/"
        assert body["status"] == "submitted"
        assert body["status_label"] == "Submitted"
        assert body["answers"] == [{"question": "Which tools?", "answer": "pandas"}]
        assert body["project"]["id"] == project.pk
        assert body["project"]["organization"]["slug"] == project.organization.slug
        assert body["student"] == {"id": student.pk, "name": student.name}
        assert body["engagement_id"] is None

    def test_bad_input_is_422_with_fields(self, api_client_for, student, project):
        project.screening_questions = ["Which tools?"]
        project.save()

        response = post(
            api_client_for(student),
            self.url(project),
            {"pitch": "x" * 2001, "availability_confirmed": False},
        )

        assert error_of(response) == (422, "invalid")
        assert set(response.json()["fields"]) == {"pitch", "availability_confirmed", "answers"}

    def test_a_missing_field_is_422(self, api_client_for, student, project):
        response = post(api_client_for(student), self.url(project), {"pitch": PITCH})

        assert error_of(response) == (422, "invalid")
        assert "availability_confirmed" in response.json()["fields"]

    def test_twice_is_409(self, api_client_for, student, application):
        response = post(api_client_for(student), self.url(application.project), VALID)
        assert error_of(response) == (409, "already_applied")

    def test_closed_is_409_with_the_reason(self, api_client_for, student, project):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-1))

        response = post(api_client_for(student), self.url(project), VALID)

        assert error_of(response) == (409, "not_accepting")
        assert "deadline has passed" in response.json()["message"]

    def test_a_draft_is_404(self, api_client_for, student, project):
        Project.objects.filter(pk=project.pk).update(status=Project.Status.DRAFT)

        response = post(api_client_for(student), self.url(project), VALID)

        assert error_of(response) == (404, "not_found")

    def test_non_students_get_403(self, api_client_for, owner, project):
        response = post(api_client_for(owner), self.url(project), VALID)
        assert error_of(response) == (403, "students_only")

    def test_anonymous_gets_401(self, project):
        response = post(Client(), self.url(project), VALID)
        assert error_of(response) == (401, "unauthenticated")
        assert not Application.objects.exists()


class TestReading:
    def test_my_applications(self, api_client_for, student, application, other_student):
        ApplicationFactory(student=other_student)

        body = api_client_for(student).get(f"{API}/applications").json()["items"]

        assert [a["id"] for a in body] == [application.pk]

    def test_an_offer_shows_its_expiry(self, api_client_for, student, application):
        make_offered(application, expires_in=-datetime.timedelta(hours=1))

        body = api_client_for(student).get(f"{API}/applications/{application.pk}").json()

        assert body["status"] == "offered"
        assert body["offer_expired"] is True
        assert body["offer_expires_at"] is not None

    @pytest.mark.parametrize(("who", "status"), [("student", 200), ("owner", 200), ("mentor", 200)])
    def test_one_application_for_the_people_involved(
        self, request, api_client_for, application, who, status
    ):
        client = api_client_for(request.getfixturevalue(who))
        assert client.get(f"{API}/applications/{application.pk}").status_code == status

    @pytest.mark.parametrize("who", ["other_student", "outsider"])
    def test_others_get_404(self, request, api_client_for, application, who):
        response = api_client_for(request.getfixturevalue(who)).get(
            f"{API}/applications/{application.pk}"
        )
        assert error_of(response) == (404, "not_found")


class TestApplicants:
    def url(self, project, query=""):
        return f"{API}/projects/{project.pk}/applications{query}"

    def test_with_profile_and_skill_match(self, api_client_for, owner, project, application):
        wanted = ProjectSkillFactory(project=project, skill=SkillFactory(name="SQL"), min_level=3)
        profile = application.student.student_profile
        StudentSkillFactory(profile=profile, skill=wanted.skill, level=2)

        [body] = api_client_for(owner).get(self.url(project)).json()["items"]

        assert body["application"]["id"] == application.pk
        assert body["profile"]["id"] == profile.pk
        assert body["profile"]["url"] == f"/students/{profile.pk}/"
        assert body["profile"]["weekly_hours"] == profile.weekly_hours
        assert body["overdue"] is False
        match = body["skill_match"]
        assert match["summary"] == "0 of 1 required skill at the level asked"
        assert match["meets_required"] is False
        assert match["checks"] == [
            {
                "skill_id": wanted.skill_id,
                "skill": "SQL",
                "is_required": True,
                "min_level": 3,
                "held_level": 2,
                "state": "below",
            }
        ]

    def test_filters(self, api_client_for, mentor, project, application):
        ApplicationFactory(project=project, status="shortlisted")
        client = api_client_for(mentor)

        assert client.get(self.url(project, "?status=shortlisted")).json()["count"] == 1
        assert len(client.get(self.url(project, "?sort=match&meets_required=true")).json()) == 2
        response = client.get(self.url(project, "?status=nonsense"))
        assert error_of(response) == (422, "invalid")
        assert "status" in response.json()["fields"]

    @pytest.mark.parametrize("who", ["student", "outsider"])
    def test_others_get_404(self, request, api_client_for, project, application, who):
        response = api_client_for(request.getfixturevalue(who)).get(self.url(project))
        assert error_of(response) == (404, "not_found")


class TestActions:
    def act(self, client, application, action, data=None):
        return post(client, f"{API}/applications/{application.pk}/{action}", data)

    def test_the_whole_journey(self, api_client_for, owner, student, application):
        org, me = api_client_for(owner), api_client_for(student)

        assert self.act(org, application, "shortlist").json()["status"] == "shortlisted"
        body = self.act(org, application, "offer", {"message": "Welcome!", "expires_in_days": 7})
        assert body.json()["status"] == "offered"
        assert body.json()["offer_message"] == "Welcome!"
        body = self.act(me, application, "accept").json()

        engagement = Engagement.objects.get()
        assert body["status"] == "accepted"
        assert body["engagement_id"] == engagement.pk

        mine = me.get(f"{API}/engagements").json()["items"]
        assert [e["id"] for e in mine] == [engagement.pk]
        detail = me.get(f"{API}/engagements/{engagement.pk}").json()
        assert detail["state"] == "agreement_pending"
        assert detail["state_label"] == "Waiting for the agreement"
        assert detail["mentor"]["id"] == engagement.mentor_id
        assert detail["application_id"] == application.pk

    def test_reject_with_a_message(self, api_client_for, owner, application):
        body = self.act(api_client_for(owner), application, "reject", {"message": "Sorry."}).json()

        assert body["status"] == "rejected"
        assert body["status_label"] == "Not selected"
        assert body["rejection_message"] == "Sorry."

    def test_withdraw_and_decline(self, api_client_for, student, application):
        make_offered(application)
        assert self.act(api_client_for(student), application, "decline").json()["status"] == (
            "declined"
        )

    def test_illegal_transition_is_409(self, api_client_for, student, application):
        response = self.act(api_client_for(student), application, "accept")

        assert error_of(response) == (409, "illegal_transition")
        assert response.json()["message"] == (
            "An application cannot go from “Submitted” to “Accepted”."
        )

    def test_expired_is_409(self, api_client_for, student, application):
        make_offered(application, expires_in=-datetime.timedelta(minutes=5))
        assert error_of(self.act(api_client_for(student), application, "accept")) == (
            409,
            "offer_expired",
        )

    def test_a_withdrawn_offer_is_409(self, api_client_for, project):
        first, second = (make_offered(ApplicationFactory(project=project)) for _ in range(2))
        services.accept_offer(first, by=first.student)

        response = self.act(api_client_for(second.student), second, "accept")

        assert error_of(response) == (409, "offer_withdrawn")

    def test_clash_is_409(self, api_client_for, student, offered):
        other = ProjectFactory(starts_on=days(20), ends_on=days(30), hours_per_week=5)
        accepted = ApplicationFactory(project=other, student=student, status="accepted")
        Engagement.objects.create(application=accepted, project=other, student=student)

        response = self.act(api_client_for(student), offered, "accept")

        assert error_of(response) == (409, "schedule_clash")
        assert "15 hours a week in all, more than the 10" in response.json()["message"]

    @pytest.mark.parametrize("days_valid", [0, 31])
    def test_offer_days_out_of_range_is_422(self, api_client_for, owner, application, days_valid):
        response = self.act(
            api_client_for(owner), application, "offer", {"expires_in_days": days_valid}
        )

        assert error_of(response) == (422, "invalid")
        assert response.json()["fields"] == {
            "expires_in_days": ["The offer must hold between 1 and 30 days."]
        }

    def test_the_other_side_gets_403(self, api_client_for, owner, student, application):
        assert error_of(self.act(api_client_for(owner), application, "withdraw")) == (
            403,
            "not_the_applicant",
        )
        assert error_of(self.act(api_client_for(student), application, "shortlist")) == (
            403,
            "not_a_member",
        )

    def test_a_member_of_another_organization_gets_404(self, api_client_for, application):
        member_b = MembershipFactory().user

        for action in ("shortlist", "offer", "reject"):
            assert error_of(self.act(api_client_for(member_b), application, action)) == (
                404,
                "not_found",
            )
        assert Application.objects.get(pk=application.pk).status == "submitted"

    def test_anonymous_gets_401(self, application):
        assert error_of(self.act(Client(), application, "withdraw")) == (401, "unauthenticated")


class TestEngagements:
    @pytest.fixture
    def engagement(self, offered, student):
        return services.accept_offer(offered, by=student)

    @pytest.mark.parametrize("who", ["student", "owner", "mentor"])
    def test_the_people_involved_see_it(self, request, api_client_for, engagement, who):
        client = api_client_for(request.getfixturevalue(who))

        assert [e["id"] for e in client.get(f"{API}/engagements").json()["items"]] == [
            engagement.pk
        ]
        assert client.get(f"{API}/engagements/{engagement.pk}").status_code == 200

    @pytest.mark.parametrize("who", ["other_student", "outsider", "other_mentor"])
    def test_others_do_not(self, request, api_client_for, engagement, who):
        client = api_client_for(request.getfixturevalue(who))

        assert client.get(f"{API}/engagements").json() == {"items": [], "count": 0}
        assert error_of(client.get(f"{API}/engagements/{engagement.pk}")) == (404, "not_found")
