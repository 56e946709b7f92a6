"""The learning plan over JSON: the same rules as the page, errors as 4xx JSON with a code."""

import pytest
from django.test import Client

from practicum.engagements import agreements
from practicum.workspace.learning import services
from practicum.workspace.learning.models import LearningItem, PractisedSkill
from tests.workspace.learning.conftest import GOALS

pytestmark = pytest.mark.django_db

Kind = LearningItem.Kind


def base(engagement) -> str:
    return f"/api/v1/engagements/{engagement.pk}/learning"


def goal(engagement, title=GOALS[0]) -> LearningItem:
    return LearningItem.objects.get(engagement=engagement, title=title)


class TestRead:
    @pytest.mark.parametrize(
        ("who", "can_edit", "can_record"),
        [
            ("student", True, False),
            ("mentor", True, True),
            ("owner", True, True),
        ],
    )
    def test_readers(self, request, api_client_for, engagement, who, can_edit, can_record):
        response = api_client_for(request.getfixturevalue(who)).get(base(engagement))

        body = response.json()
        assert response.status_code == 200
        assert [i["title"] for i in body["items"]] == GOALS
        first = body["items"][0]
        assert first["kind"] == "goal" and first["status"] == "planned"
        assert first["status_label"] == "Planned"
        assert first["from_agreement"] is True and first["in_agreement"] is True
        assert (body["can_edit"], body["can_record_skills"]) == (can_edit, can_record)

    @pytest.mark.parametrize(
        "who", ["other_mentor", "outsider", "other_student", "other_staff", "staff"]
    )
    def test_strangers_404(self, request, api_client_for, engagement, who):
        response = api_client_for(request.getfixturevalue(who)).get(base(engagement))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_anonymous_401(self, engagement):
        assert Client().get(base(engagement)).status_code == 401

    def test_practised_skills_are_listed(self, api_client_for, engagement, mentor, skill):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk, note="Joins")

        body = api_client_for(mentor).get(base(engagement)).json()

        assert body["practised_skills"] == [
            {
                "skill": {"id": skill.pk, "name": "SQL", "slug": skill.slug},
                "note": "Joins",
                "recorded_by": {"id": mentor.pk, "name": mentor.name},
                "recorded_at": body["practised_skills"][0]["recorded_at"],
            }
        ]


class TestItems:
    def test_add(self, api_client_for, engagement, student):
        response = api_client_for(student).post(
            f"{base(engagement)}/items",
            {"kind": "resource", "title": "SQL guide", "url": "https://example.org/sql"},
            content_type="application/json",
        )

        body = response.json()
        assert response.status_code == 201
        assert (body["kind"], body["title"], body["url"], body["status"]) == (
            "resource",
            "SQL guide",
            "https://example.org/sql",
            "planned",
        )
        assert body["created_by"] == {"id": student.pk, "name": student.name}

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"kind": "hobby", "title": "Chess"}, "kind"),
            ({"kind": "goal"}, "title"),
            ({"kind": "goal", "title": ""}, "title"),
            ({"kind": "resource", "title": "No link"}, "url"),
            ({"kind": "training", "title": "x", "url": "javascript:alert(1)"}, "url"),
            ({"kind": "training", "title": "x", "status": "finished"}, "status"),
            ({"kind": "goal", "title": GOALS[0]}, "title"),
            ({"kind": "goal", "title": ["a list"]}, "title"),
        ],
    )
    def test_bad_input_422(self, api_client_for, engagement, student, payload, field):
        response = api_client_for(student).post(
            f"{base(engagement)}/items", payload, content_type="application/json"
        )

        body = response.json()
        assert response.status_code == 422, body
        assert body["code"] == "invalid"
        assert field in body["fields"]

    def test_not_json_422(self, api_client_for, engagement, student):
        response = api_client_for(student).post(
            f"{base(engagement)}/items", "{not json", content_type="application/json"
        )
        assert response.status_code in (400, 422)

    def test_career_staff_404(self, api_client_for, engagement, staff):
        client = api_client_for(staff)
        item = goal(engagement)
        responses = [
            client.post(
                f"{base(engagement)}/items",
                {"kind": "goal", "title": "x"},
                content_type="application/json",
            ),
            client.patch(
                f"{base(engagement)}/items/{item.pk}",
                {"status": "done"},
                content_type="application/json",
            ),
            client.delete(f"{base(engagement)}/items/{item.pk}"),
        ]
        assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "not_found")] * 3

    def test_strangers_404_on_writes(self, api_client_for, engagement, outsider):
        response = api_client_for(outsider).patch(
            f"{base(engagement)}/items/{goal(engagement).pk}",
            {"status": "done"},
            content_type="application/json",
        )
        assert response.status_code == 404

    def test_change_the_status(self, api_client_for, engagement, mentor):
        item = goal(engagement)

        response = api_client_for(mentor).patch(
            f"{base(engagement)}/items/{item.pk}",
            {"status": "in_progress"},
            content_type="application/json",
        )

        assert response.status_code == 200
        assert (response.json()["status"], response.json()["title"]) == ("in_progress", GOALS[0])

    def test_edit(self, api_client_for, engagement, student):
        item = services.add_item(engagement, by=student, kind=Kind.TRAINING, title="Course")

        response = api_client_for(student).patch(
            f"{base(engagement)}/items/{item.pk}",
            {"title": "SQL course", "notes": "Week 1"},
            content_type="application/json",
        )

        assert response.status_code == 200
        assert (response.json()["title"], response.json()["notes"]) == ("SQL course", "Week 1")

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"title": "Another text"}, "title"),  # an agreement goal's text
            ({"title": None}, "title"),
            ({"status": "finished"}, "status"),
            ({"status": None}, "status"),
        ],
    )
    def test_bad_edit_422(self, api_client_for, engagement, student, payload, field):
        response = api_client_for(student).patch(
            f"{base(engagement)}/items/{goal(engagement).pk}",
            payload,
            content_type="application/json",
        )
        assert response.status_code == 422
        assert field in response.json()["fields"]

    def test_unknown_item_404(self, api_client_for, engagement, student):
        client = api_client_for(student)
        response = client.patch(
            f"{base(engagement)}/items/999999", {"status": "done"}, content_type="application/json"
        )
        assert (response.status_code, response.json()["code"]) == (404, "no_such_item")
        assert client.delete(f"{base(engagement)}/items/999999").status_code == 404

    def test_remove(self, api_client_for, engagement, student):
        item = services.add_item(engagement, by=student, kind=Kind.TRAINING, title="Course")

        response = api_client_for(student).delete(f"{base(engagement)}/items/{item.pk}")

        assert response.status_code == 204
        assert not LearningItem.objects.filter(pk=item.pk).exists()

    def test_an_agreement_goal_is_not_removed(self, api_client_for, engagement, student):
        response = api_client_for(student).delete(f"{base(engagement)}/items/{goal(engagement).pk}")
        assert (response.status_code, response.json()["code"]) == (409, "agreement_goal")

    def test_inactive_409(self, api_client_for, engagement, student, mentor):
        agreements.cancel(engagement, by=mentor, reason="Budget cut.")
        response = api_client_for(student).post(
            f"{base(engagement)}/items",
            {"kind": "goal", "title": "x"},
            content_type="application/json",
        )
        assert (response.status_code, response.json()["code"]) == (409, "engagement_not_active")


class TestPractisedSkills:
    def test_record_then_record_again(self, api_client_for, engagement, mentor, skill):
        client = api_client_for(mentor)

        first = client.post(
            f"{base(engagement)}/skills",
            {"skill_id": skill.pk, "note": "Joins"},
            content_type="application/json",
        )
        again = client.post(
            f"{base(engagement)}/skills",
            {"skill_id": skill.pk, "note": "Joins and window functions"},
            content_type="application/json",
        )

        assert first.status_code == 201 and first.json()["skill"]["name"] == "SQL"
        assert again.status_code == 200 and again.json()["note"] == "Joins and window functions"
        assert PractisedSkill.objects.count() == 1

    def test_the_student_may_not(self, api_client_for, engagement, student, skill):
        response = api_client_for(student).post(
            f"{base(engagement)}/skills", {"skill_id": skill.pk}, content_type="application/json"
        )
        assert (response.status_code, response.json()["code"]) == (403, "wrong_side")

    def test_career_staff_may_not(self, api_client_for, engagement, staff, skill):
        response = api_client_for(staff).post(
            f"{base(engagement)}/skills", {"skill_id": skill.pk}, content_type="application/json"
        )
        assert response.status_code == 404

    @pytest.mark.parametrize(
        "payload", [{"skill_id": 999999}, {"skill_id": "abc"}, {}, {"skill_id": 1, "note": 5}]
    )
    def test_bad_input_422(self, api_client_for, engagement, mentor, payload):
        response = api_client_for(mentor).post(
            f"{base(engagement)}/skills", payload, content_type="application/json"
        )
        assert response.status_code == 422
        assert response.json()["code"] == "invalid"

    def test_remove(self, api_client_for, engagement, mentor, owner, skill):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk)
        client = api_client_for(owner)

        assert client.delete(f"{base(engagement)}/skills/{skill.pk}").status_code == 204
        response = client.delete(f"{base(engagement)}/skills/{skill.pk}")
        assert (response.status_code, response.json()["code"]) == (404, "no_such_skill")
