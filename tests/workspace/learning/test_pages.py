"""The learning plan page and its forms: who sees and uses what, errors kept on the page, HTMX
status changes, practised skills for the organization's side, and a fixed query budget."""

import pytest
from django.test import Client
from django.urls import reverse

from practicum.engagements import agreements
from practicum.engagements.models import EngagementEvent
from practicum.workspace.learning import services
from practicum.workspace.learning.models import LearningItem, PractisedSkill
from tests.factories import ProjectSkillFactory, SkillFactory
from tests.workspace.learning.conftest import GOALS

pytestmark = pytest.mark.django_db

Kind = LearningItem.Kind
Status = LearningItem.Status
READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]


def plan_url(engagement):
    return reverse("learning:plan", args=[engagement.pk])


def url(name, engagement, *args):
    return reverse(f"learning:{name}", args=[engagement.pk, *args])


def goal(engagement, title=GOALS[0]) -> LearningItem:
    return LearningItem.objects.get(engagement=engagement, title=title)


def html(response) -> str:
    return response.content.decode()


def write_requests(engagement, skill):
    """Every form target of the page with data a party could send."""
    item = goal(engagement)
    return [
        (url("add_item", engagement), {"kind": "goal", "goal-title": "Learn dbt"}),
        (url("edit_item", engagement, item.pk), {"notes": "x"}),
        (url("item_status", engagement, item.pk), {"status": "done"}),
        (url("remove_item", engagement, item.pk), {}),
        (url("record_skill", engagement), {"skill": skill.pk}),
        (url("remove_skill", engagement, skill.pk), {}),
    ]


class TestWhoSeesWhat:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_plan(self, request, client_for, engagement, who):
        response = client_for(request.getfixturevalue(who)).get(plan_url(engagement))

        page = html(response)
        assert response.status_code == 200
        assert 'aria-current="page">Learning plan' in page
        for title in GOALS:
            assert title in page
        assert "In the agreement" in page
        assert "Add a goal" in page
        assert 'name="status"' in page
        assert ("Record skill" in page) is (who in ("mentor", "owner"))

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404_everywhere(self, request, client_for, engagement, skill, who):
        client = client_for(request.getfixturevalue(who))

        assert client.get(plan_url(engagement)).status_code == 404
        assert client.get(url("edit_item", engagement, goal(engagement).pk)).status_code == 404
        for target, data in write_requests(engagement, skill):
            assert client.post(target, data).status_code == 404, target

    def test_anonymous_visitors_log_in_first(self, engagement, skill):
        client = Client()
        response = client.get(plan_url(engagement))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        for target, data in write_requests(engagement, skill):
            assert client.post(target, data).status_code == 302

    def test_read_only_once_the_engagement_ends(self, client_for, engagement, student, mentor):
        agreements.cancel(engagement, by=mentor, reason="Budget cut.")

        page = html(client_for(student).get(plan_url(engagement)))

        assert "can be changed while the engagement is active" in page
        assert "Add a goal" not in page

    def test_writes_to_an_inactive_engagement_are_refused_with_a_message(
        self, client_for, engagement, student, mentor
    ):
        agreements.cancel(engagement, by=mentor, reason="Budget cut.")
        client = client_for(student)

        response = client.post(
            url("add_item", engagement), {"kind": "goal", "goal-title": "x"}, follow=True
        )

        assert "the workspace is read-only" in html(response)
        assert LearningItem.objects.filter(engagement=engagement).count() == len(GOALS)


class TestItems:
    def test_add_an_item(self, client_for, engagement, mentor):
        response = client_for(mentor).post(
            url("add_item", engagement),
            {
                "kind": "resource",
                "resource-title": "Window functions explained",
                "resource-url": "https://example.org/sql",
                "resource-notes": "Read **part 2**.",
            },
        )

        item = LearningItem.objects.get(kind=Kind.RESOURCE)
        assert response.status_code == 302
        assert response["Location"].endswith(f"#item-{item.pk}")
        assert (item.title, item.url, item.created_by) == (
            "Window functions explained",
            "https://example.org/sql",
            mentor,
        )
        page = html(client_for(mentor).get(plan_url(engagement)))
        assert '<a href="https://example.org/sql"' in page
        assert "<strong>part 2</strong>" in page

    def test_bad_input_shows_the_form_again_with_what_was_typed(
        self, client_for, engagement, student
    ):
        response = client_for(student).post(
            url("add_item", engagement),
            {"kind": "resource", "resource-title": "A great book", "resource-url": "javascript:x"},
        )

        page = html(response)
        assert response.status_code == 422
        assert 'value="A great book"' in page
        assert "Enter a web address" in page
        assert not LearningItem.objects.filter(kind=Kind.RESOURCE).exists()

    def test_a_goal_already_in_the_plan(self, client_for, engagement, student):
        response = client_for(student).post(
            url("add_item", engagement), {"kind": "goal", "goal-title": GOALS[0]}
        )
        assert response.status_code == 422
        assert "This goal is already in the plan." in html(response)

    @pytest.mark.parametrize("data", [{}, {"kind": "hobby"}, {"kind": "goal"}])
    def test_missing_or_unknown_kind_or_title(self, client_for, engagement, student, data):
        response = client_for(student).post(url("add_item", engagement), data)
        assert response.status_code == 422

    def test_change_the_status(self, client_for, engagement, student):
        item = goal(engagement)

        response = client_for(student).post(
            url("item_status", engagement, item.pk), {"status": "in_progress"}
        )

        item.refresh_from_db()
        assert response.status_code == 302
        assert item.status == Status.IN_PROGRESS

    def test_change_the_status_with_htmx(self, client_for, engagement, mentor):
        item = goal(engagement)

        response = client_for(mentor).post(
            url("item_status", engagement, item.pk), {"status": "done"}, HTTP_HX_REQUEST="true"
        )

        page = html(response)
        assert response.status_code == 200
        assert page.lstrip().startswith("<li") and f'id="item-{item.pk}"' in page
        assert '<option value="done" selected>' in page
        assert "<html" not in page
        item.refresh_from_db()
        assert item.status == Status.DONE

    def test_a_refused_htmx_change_reloads_the_page(self, client_for, engagement, student, mentor):
        item = goal(engagement)
        agreements.cancel(engagement, by=mentor, reason="Budget cut.")

        response = client_for(student).post(
            url("item_status", engagement, item.pk), {"status": "done"}, HTTP_HX_REQUEST="true"
        )

        assert response["HX-Redirect"] == plan_url(engagement)
        item.refresh_from_db()
        assert item.status == Status.PLANNED

    @pytest.mark.parametrize("status", ["", "finished"])
    def test_unknown_status(self, client_for, engagement, student, status):
        item = goal(engagement)
        response = client_for(student).post(
            url("item_status", engagement, item.pk), {"status": status}
        )
        assert response.status_code == 422
        item.refresh_from_db()
        assert item.status == Status.PLANNED

    def test_edit_an_item(self, client_for, engagement, student):
        item = services.add_item(engagement, by=student, kind=Kind.TRAINING, title="Course")
        client = client_for(student)

        assert client.get(url("edit_item", engagement, item.pk)).status_code == 200
        response = client.post(
            url("edit_item", engagement, item.pk),
            {"title": "SQL course", "url": "https://example.org", "notes": "Weeks 1–2"},
        )

        item.refresh_from_db()
        assert response.status_code == 302
        assert (item.title, item.url, item.notes) == (
            "SQL course",
            "https://example.org",
            "Weeks 1–2",
        )

    def test_edit_errors_keep_what_was_typed(self, client_for, engagement, student):
        item = services.add_item(engagement, by=student, kind=Kind.TRAINING, title="Course")

        response = client_for(student).post(
            url("edit_item", engagement, item.pk), {"title": "", "notes": "Kept notes"}
        )

        assert response.status_code == 422
        assert "Kept notes" in html(response)

    def test_an_agreement_goal_edits_notes_not_its_text(self, client_for, engagement, student):
        item = goal(engagement)
        client = client_for(student)

        page = html(client.get(url("edit_item", engagement, item.pk)))
        assert "disabled" in page and "changes by an amendment" in page
        response = client.post(
            url("edit_item", engagement, item.pk), {"title": "Hacked", "notes": "Chapter 3"}
        )

        item.refresh_from_db()
        assert response.status_code == 302
        assert (item.title, item.notes) == (GOALS[0], "Chapter 3")

    def test_remove_an_item(self, client_for, engagement, student):
        item = services.add_item(engagement, by=student, kind=Kind.TRAINING, title="Course")

        response = client_for(student).post(url("remove_item", engagement, item.pk))

        assert response.status_code == 302
        assert not LearningItem.objects.filter(pk=item.pk).exists()

    def test_an_agreement_goal_is_not_removed(self, client_for, engagement, student):
        item = goal(engagement)
        client = client_for(student)
        assert f'action="{url("remove_item", engagement, item.pk)}"' not in html(
            client.get(plan_url(engagement))
        )

        response = client.post(url("remove_item", engagement, item.pk), follow=True)

        assert "comes from the agreement" in html(response)
        assert LearningItem.objects.filter(pk=item.pk).exists()

    def test_unknown_item(self, client_for, engagement, student):
        client = client_for(student)
        assert (
            client.post(url("item_status", engagement, 999_999), {"status": "done"}).status_code
            == 404
        )
        assert client.get(url("edit_item", engagement, 999_999)).status_code == 404

    def test_dropped_goals_are_marked(self, client_for, engagement, student, mentor):
        from tests.workspace.learning.conftest import amend_goals

        amend_goals(engagement, student, mentor, [GOALS[1]])

        assert "No longer in the agreement" in html(client_for(student).get(plan_url(engagement)))


class TestPractisedSkills:
    def test_the_project_skills_are_offered(self, client_for, engagement, mentor, project):
        ProjectSkillFactory(project=project, skill=SkillFactory(name="Pandas"))

        page = html(client_for(mentor).get(plan_url(engagement)))

        assert ">Pandas</option>" in page

    def test_a_search_adds_its_matches(self, client_for, engagement, mentor, skill):
        page = html(client_for(mentor).get(plan_url(engagement) + "?q=sq"))

        assert f'<option value="{skill.pk}">SQL</option>' in page
        assert "1 skill found for “sq”" in page

    def test_the_mentor_records_a_skill(self, client_for, engagement, mentor, skill):
        response = client_for(mentor).post(
            url("record_skill", engagement), {"skill": skill.pk, "note": "Window functions"}
        )

        assert response.status_code == 302
        assert PractisedSkill.objects.get().note == "Window functions"
        assert EngagementEvent.objects.filter(kind="skill_practised").count() == 1
        page = html(client_for(mentor).get(plan_url(engagement)))
        assert "Window functions" in page

    def test_the_student_sees_them_but_may_not_record(
        self, client_for, engagement, student, mentor, skill
    ):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk, note="Joins")
        client = client_for(student)

        page = html(client.get(plan_url(engagement)))
        assert "SQL" in page and "Joins" in page and "Record skill" not in page
        assert client.post(url("record_skill", engagement), {"skill": skill.pk}).status_code == 403
        assert client.post(url("remove_skill", engagement, skill.pk)).status_code == 403

    @pytest.mark.parametrize("value", ["", "abc", "999999", "-1"])
    def test_bad_skill(self, client_for, engagement, mentor, value):
        response = client_for(mentor).post(
            url("record_skill", engagement), {"skill": value, "note": "Kept note"}
        )
        assert response.status_code == 422
        assert "Kept note" in html(response)
        assert not PractisedSkill.objects.exists()

    def test_remove(self, client_for, engagement, owner, mentor, skill):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk)

        response = client_for(owner).post(url("remove_skill", engagement, skill.pk))

        assert response.status_code == 302
        assert not PractisedSkill.objects.exists()
        assert client_for(owner).post(url("remove_skill", engagement, skill.pk)).status_code == 404


class TestQueryBudget:
    @pytest.mark.parametrize("who", ["student", "mentor", "owner"])
    @pytest.mark.parametrize("count", [1, 25])
    def test_fixed_whatever_the_plan(
        self, request, client_for, engagement, mentor, who, count, django_assert_max_num_queries
    ):
        LearningItem.objects.bulk_create(
            LearningItem(engagement=engagement, kind=kind, title=f"{kind} {n}", url="https://x.org")
            for n in range(count)
            for kind in Kind.values
        )
        for n in range(count):
            services.record_practised_skill(
                engagement, by=mentor, skill_id=SkillFactory().pk, note=f"Note {n}"
            )
        client = client_for(request.getfixturevalue(who))

        with django_assert_max_num_queries(12):
            response = client.get(plan_url(engagement) + "?q=skill")
        assert response.status_code == 200
