"""Mentors: leaving the organization ends a mentor's access at once; owners reassign the mentor
(page and API), both sides are told, the timeline keeps it; an engagement without a mentor
warns its owners."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from practicum.accounts import services as accounts
from practicum.accounts.models import Membership
from practicum.completion import services as completion
from practicum.core.errors import Conflict, Refused
from practicum.engagements import services
from practicum.engagements.models import Engagement, EngagementEvent
from practicum.notifications.models import Notification
from practicum.projects.models import Project
from tests.factories import MembershipFactory
from tests.fixtures_engagements import start_today

pytestmark = pytest.mark.django_db


def remove(person, organization, owner):
    accounts.remove_member(Membership.objects.get(user=person, organization=organization), by=owner)


class TestLeavingTheOrganization:
    def test_the_mentor_loses_the_engagement_at_once(
        self, active_engagement, mentor, owner, organization, client_for, api_client_for
    ):
        page = reverse("engagements:detail", args=[active_engagement.pk])
        assert client_for(mentor).get(page).status_code == 200
        api = api_client_for(mentor)

        remove(mentor, organization, owner)

        active_engagement.refresh_from_db()
        assert active_engagement.mentor is None
        assert client_for(mentor).get(page).status_code == 404
        assert api.get(f"/api/v1/engagements/{active_engagement.pk}").status_code == 404
        assert Project.objects.get(pk=active_engagement.project_id).mentor is None

    def test_the_timeline_and_the_owners_know(self, active_engagement, mentor, owner, organization):
        remove(mentor, organization, owner)

        event = EngagementEvent.objects.get(engagement=active_engagement, kind="mentor_changed")
        assert (event.details["reason"], event.details["previous"], event.details["mentor"]) == (
            "member_removed",
            mentor.pk,
            None,
        )
        told = set(
            Notification.objects.filter(kind="mentor_changed").values_list("recipient", flat=True)
        )
        assert told == {active_engagement.student_id}  # the owner removed them: no news to them

    def test_the_owner_is_warned_and_offered_a_new_mentor(
        self, active_engagement, mentor, owner, organization, client_for, student
    ):
        remove(mentor, organization, owner)
        page = reverse("engagements:detail", args=[active_engagement.pk])

        html = client_for(owner).get(page).content.decode()
        assert 'id="no-mentor"' in html
        assert "This engagement has no mentor." in html
        assert f'action="/engagements/{active_engagement.pk}/mentor/"' in html
        assert 'id="no-mentor"' not in client_for(student).get(page).content.decode()

    def test_completed_engagements_keep_their_mentor_for_the_record(
        self, active_engagement, mentor, owner, organization
    ):
        start_today(active_engagement)
        completion.complete(active_engagement, by=mentor, partial=True, reason="Done")

        remove(mentor, organization, owner)

        active_engagement.refresh_from_db()
        assert active_engagement.mentor == mentor


class TestReassigning:
    @pytest.fixture
    def new_mentor(self, organization):
        return MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user

    def test_an_owner_reassigns_and_everyone_concerned_is_told(
        self, active_engagement, owner, mentor, new_mentor, student
    ):
        services.reassign_mentor(active_engagement, by=owner, mentor_id=new_mentor.pk)

        active_engagement.refresh_from_db()
        assert active_engagement.mentor == new_mentor
        told = set(
            Notification.objects.filter(kind="mentor_changed").values_list("recipient", flat=True)
        )
        assert told == {student.pk, new_mentor.pk, mentor.pk}
        event = EngagementEvent.objects.get(engagement=active_engagement, kind="mentor_changed")
        assert (event.actor, event.details["mentor"], event.details["previous"]) == (
            owner,
            new_mentor.pk,
            mentor.pk,
        )

    @pytest.mark.parametrize("who", ["mentor", "student", "other_mentor"])
    def test_only_owners(self, request, active_engagement, new_mentor, who):
        with pytest.raises(Refused):
            services.reassign_mentor(
                active_engagement, by=request.getfixturevalue(who), mentor_id=new_mentor.pk
            )

    @pytest.mark.parametrize("mentor_id", ["outsider", "student", None, "1", True])
    def test_the_new_mentor_is_a_member(self, request, active_engagement, owner, mentor_id):
        if mentor_id in ("outsider", "student"):
            mentor_id = request.getfixturevalue(mentor_id).pk
        with pytest.raises(ValidationError) as caught:
            services.reassign_mentor(active_engagement, by=owner, mentor_id=mentor_id)
        assert "mentor" in caught.value.error_dict

    def test_not_after_the_end(self, active_engagement, owner, mentor, student, new_mentor):
        from practicum.engagements import agreements

        agreements.cancel(active_engagement, by=student, reason="Stop")
        with pytest.raises(Conflict) as caught:
            services.reassign_mentor(active_engagement, by=owner, mentor_id=new_mentor.pk)
        assert caught.value.code == "engagement_not_active"

    def test_the_page_form(self, active_engagement, owner, new_mentor, client_for):
        url = reverse("engagements:change_mentor", args=[active_engagement.pk])
        response = client_for(owner).post(url, {"mentor-mentor": new_mentor.pk})
        assert response.status_code == 302
        assert Engagement.objects.get(pk=active_engagement.pk).mentor == new_mentor
        timeline = client_for(owner).get(reverse("workspace:timeline", args=[active_engagement.pk]))
        assert f"{owner.name} made {new_mentor.name} the mentor" in timeline.content.decode()

    def test_the_page_refuses_a_mentor_and_hides_the_form(
        self, active_engagement, mentor, new_mentor, client_for
    ):
        url = reverse("engagements:change_mentor", args=[active_engagement.pk])
        assert client_for(mentor).post(url, {"mentor-mentor": new_mentor.pk}).status_code == 403
        page = client_for(mentor).get(reverse("engagements:detail", args=[active_engagement.pk]))
        assert "Change the mentor" not in page.content.decode()

    def test_the_api(self, active_engagement, owner, mentor, new_mentor, api_client_for, outsider):
        path = f"/api/v1/engagements/{active_engagement.pk}/mentor"
        body = {"mentor_id": new_mentor.pk}

        assert (
            api_client_for(outsider).post(path, body, content_type="application/json").status_code
            == 404
        )
        refused = api_client_for(mentor).post(path, body, content_type="application/json")
        assert (refused.status_code, refused.json()["code"]) == (403, "not_owner")
        done = api_client_for(owner).post(path, body, content_type="application/json")
        assert done.status_code == 200
        assert done.json()["mentor"]["id"] == new_mentor.pk
        again = api_client_for(owner).post(path, body, content_type="application/json")
        assert again.status_code == 422
