"""Feedback over JSON: the permission matrix, the double-blind answers (404 "hidden"), private
notes kept out of everything but your own review, validation (422), conflicts (409) and the
verified skills of a student."""

import pytest
from django.test import Client

from practicum.reviews.models import Review
from tests.factories import MembershipFactory, SkillFactory
from tests.reviews.conftest import ORGANIZATION_SCORES, STUDENT_SCORES, submit

pytestmark = pytest.mark.django_db

PARTIES = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]


def base(engagement):
    return f"/api/v1/engagements/{engagement.pk}/feedback"


def payload(who, **extra):
    student = who == "student"
    return {
        "scores": dict(STUDENT_SCORES if student else ORGANIZATION_SCORES),
        "strengths": f"API strengths of {who}",
        "to_improve": "",
        "recommend": True if student else None,
        "private_note": f"API NOTE OF {who.upper()}",
        **extra,
    }


def put(client, engagement, round, data):
    return client.put(f"{base(engagement)}/{round}/mine", data, content_type="application/json")


class TestRounds:
    @pytest.mark.parametrize("who", PARTIES)
    def test_readers_list_the_rounds(self, api_client_for, people, midpoint, who):
        response = api_client_for(people[who]).get(base(midpoint))

        assert response.status_code == 200
        midpoint_round, final_round = response.json()
        assert midpoint_round["round"] == "midpoint"
        assert midpoint_round["state"] == "open"
        assert midpoint_round["can_write"] is True
        sides = {"student": "student", "mentor": "organization", "owner": "organization"}
        assert midpoint_round["side"] == sides[who]
        assert final_round["state"] == "upcoming"

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404_everywhere(self, api_client_for, people, midpoint, who):
        client = api_client_for(people[who])

        assert client.get(base(midpoint)).status_code == 404
        assert client.get(f"{base(midpoint)}/midpoint/mine").status_code == 404
        assert client.get(f"{base(midpoint)}/midpoint/other").status_code == 404
        assert client.get(f"{base(midpoint)}/midpoint/reviews").status_code == 404
        assert put(client, midpoint, "midpoint", payload("student")).status_code == 404
        assert not Review.objects.exists()

    def test_anonymous_callers_get_401(self, midpoint):
        assert Client().get(base(midpoint)).status_code == 401
        assert put(Client(), midpoint, "midpoint", payload("student")).status_code == 401

    def test_the_rubric_lists_every_sentence(self, api_client_for, student):
        body = api_client_for(student).get("/api/v1/feedback/rubric").json()

        assert [c["key"] for c in body["student"]][:1] == ["clarity"]
        assert all(len(c["levels"]) == 5 for c in body["student"] + body["organization"])

    def test_an_unknown_round_is_404(self, api_client_for, student, midpoint):
        assert api_client_for(student).get(f"{base(midpoint)}/halfway/mine").status_code == 404


class TestWriting:
    @pytest.mark.parametrize("who", PARTIES)
    def test_parties_submit_and_read_their_own_review(self, api_client_for, people, midpoint, who):
        client = api_client_for(people[who])
        assert client.get(f"{base(midpoint)}/midpoint/mine").json()["code"] == "not_submitted"

        response = put(client, midpoint, "midpoint", payload(who))

        body = response.json()
        assert response.status_code == 200
        assert body["private_note"] == f"API NOTE OF {who.upper()}"
        assert body["mean_score"] == 4.0
        assert body["revealed_at"] is None
        assert client.get(f"{base(midpoint)}/midpoint/mine").json()["id"] == body["id"]

    @pytest.mark.parametrize("who", ["staff", "superuser"])
    def test_no_party_may_write_or_read(self, api_client_for, people, midpoint, who):
        """Career-center staff and platform admins are no party: the reviews do not exist."""
        client = api_client_for(people[who])

        response = put(client, midpoint, "midpoint", payload("student"))
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
        assert client.get(f"{base(midpoint)}/midpoint/mine").status_code == 404
        assert client.get(f"{base(midpoint)}/midpoint/other").status_code == 404
        assert not Review.objects.filter(engagement=midpoint).exists()

    @pytest.mark.parametrize("score", [0, 6])
    def test_a_score_outside_1_to_5_is_422(self, api_client_for, student, midpoint, score):
        data = payload("student", scores={**STUDENT_SCORES, "learning": score})

        response = put(api_client_for(student), midpoint, "midpoint", data)

        assert response.status_code == 422
        assert response.json()["code"] == "invalid"
        assert list(response.json()["fields"]) == ["learning"]
        assert not Review.objects.exists()

    def test_malformed_input_is_422(self, api_client_for, student, midpoint):
        client = api_client_for(student)
        assert put(client, midpoint, "midpoint", {"scores": "all fives"}).status_code == 422
        assert put(client, midpoint, "midpoint", {}).status_code == 422

    def test_before_the_round_opens_is_409(self, api_client_for, student, engagement):
        response = put(api_client_for(student), engagement, "midpoint", payload("student"))

        assert (response.status_code, response.json()["code"]) == (409, "round_not_open")

    def test_edits_until_revealed_then_409(self, api_client_for, student, mentor, midpoint):
        client = api_client_for(student)
        put(client, midpoint, "midpoint", payload("student"))
        edited = put(client, midpoint, "midpoint", payload("student", strengths="Edited"))
        assert edited.json()["strengths"] == "Edited"

        put(api_client_for(mentor), midpoint, "midpoint", payload("mentor"))
        response = put(client, midpoint, "midpoint", payload("student", strengths="Too late"))

        assert (response.status_code, response.json()["code"]) == (409, "revealed")

    def test_endorsements_in_the_final_review(self, api_client_for, mentor, final):
        skill = SkillFactory(name="Statistics")
        data = payload("mentor", recommend=True, endorsements=[{"skill": skill.pk, "level": 4}])

        body = put(api_client_for(mentor), final, "final", data).json()

        assert body["endorsements"] == [
            {
                "skill": {"id": skill.pk, "slug": skill.slug, "name": "Statistics"},
                "level": 4,
                "level_name": "Expert",
            }
        ]


class TestDoubleBlind:
    def test_the_other_review_is_hidden_until_revealed(
        self, api_client_for, student, mentor, superuser, midpoint
    ):
        submit(midpoint, "midpoint", student)
        client = api_client_for(mentor)

        response = client.get(f"{base(midpoint)}/midpoint/other")
        assert (response.status_code, response.json()["code"]) == (404, "hidden")
        assert client.get(f"{base(midpoint)}/midpoint/reviews").json() == []
        hidden = api_client_for(superuser).get(f"{base(midpoint)}/midpoint/reviews")
        assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
        rounds = client.get(base(midpoint)).json()
        assert rounds[0]["other_review_submitted"] is True

        submit(midpoint, "midpoint", mentor)

        other = client.get(f"{base(midpoint)}/midpoint/other")
        assert other.status_code == 200
        assert other.json()["side"] == "student"
        assert other.json()["strengths"] == "Strengths from the student"
        assert client.get(base(midpoint)).json()[0]["state"] == "revealed"

    def test_private_notes_never_reach_the_other_side_or_an_admin(
        self, api_client_for, student, mentor, owner, superuser, midpoint
    ):
        submit(midpoint, "midpoint", student)
        submit(midpoint, "midpoint", mentor)

        texts = []
        for person in (student, mentor, superuser):
            client = api_client_for(person)
            for path in ("", "/midpoint/reviews", "/midpoint/other"):
                texts.append((person, client.get(base(midpoint) + path).content.decode()))
            texts.append(
                (person, client.get(f"/api/v1/engagements/{midpoint.pk}/events").content.decode())
            )
        for person, text in texts:
            assert "PRIVATE NOTE OF THE ORGANIZATION" not in text or person == mentor
            assert "PRIVATE NOTE OF THE STUDENT" not in text or person == student
            assert "private_note" not in text
        owner_reviews = api_client_for(owner).get(f"{base(midpoint)}/midpoint/reviews").json()
        assert {r["side"] for r in owner_reviews} == {"student", "organization"}

    def test_a_revealed_round_without_the_other_review(self, api_client_for, student, final):
        import datetime

        from practicum.reviews import services
        from tests.reviews.conftest import window

        midpoint = window(final, "midpoint")
        submit(final, "midpoint", student, now=midpoint.opens_at)
        services.reveal_closed_rounds()

        response = api_client_for(student).get(f"{base(final)}/midpoint/other")
        assert (response.status_code, response.json()["code"]) == (404, "not_submitted")
        assert midpoint.due_at < datetime.datetime.now(datetime.UTC)


class TestVerifiedSkills:
    @pytest.fixture
    def verified(self, final, student, mentor):
        skill = SkillFactory(name="Survey design")
        submit(final, "final", mentor, endorsements=[{"skill": skill.pk, "level": 2}])
        submit(final, "final", student)
        return skill

    def url(self, student):
        return f"/api/v1/students/{student.student_profile.pk}/verified-skills"

    @pytest.mark.parametrize("who", ["student", "mentor", "owner"])
    def test_whoever_sees_the_profile_sees_them(self, api_client_for, people, verified, who):
        response = api_client_for(people[who]).get(self.url(people["student"]))

        assert response.status_code == 200
        (item,) = response.json()["items"]
        assert item["skill"]["name"] == "Survey design"
        assert (item["level"], item["level_name"]) == (2, "Working")
        assert item["organization"]["name"] == people["owner"].memberships.get().organization.name
        assert item["project_title"]

    @pytest.mark.parametrize("who", ["outsider", "other_student", "other_staff", "staff"])
    def test_others_get_404(self, api_client_for, people, verified, who):
        assert api_client_for(people[who]).get(self.url(people["student"])).status_code == 404

    def test_discoverable_students_are_seen_by_organizations(
        self, api_client_for, student, verified
    ):
        profile = student.student_profile
        profile.discoverable = True
        profile.save()

        assert api_client_for(MembershipFactory().user).get(self.url(student)).status_code == 200

    def test_anonymous_callers_get_401(self, student):
        assert Client().get(self.url(student)).status_code == 401

    def test_unknown_profiles_are_404(self, api_client_for, student):
        response = api_client_for(student).get("/api/v1/students/999999/verified-skills")
        assert response.status_code == 404
