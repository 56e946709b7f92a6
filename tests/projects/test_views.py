"""The project page, the create and edit pages, the status buttons and the organization's lists."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practicum.engagements.models import Application
from practicum.projects.models import Project
from tests.factories import (
    ApplicationFactory,
    OrganizationFactory,
    ProjectFactory,
    ProjectSkillFactory,
    SkillFactory,
    StudentFactory,
    UserFactory,
)

from .conftest import days

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


def test_url_names_and_paths(project, organization):
    assert reverse("projects:detail", args=[7]) == "/projects/7/"
    assert project.get_absolute_url() == f"/projects/{project.pk}/"
    assert reverse("projects:edit", args=[7]) == "/projects/7/edit/"
    for action in ("publish", "close", "reopen", "archive"):
        assert reverse(f"projects:{action}", args=[7]) == f"/projects/7/{action}/"
    assert reverse("projects:create", args=["acme"]) == "/organizations/acme/projects/new/"
    assert reverse("projects:organization", args=["acme"]) == "/organizations/acme/projects/"


class TestProjectPage:
    def test_shows_everything_a_student_needs_to_decide(self, project, mentor):
        project.description = "We *need* help.\n\n<script>alert(1)</script>"
        project.screening_questions = ["Which tools do you use?"]
        project.location = "Rotterdam"
        project.save()
        ProjectSkillFactory(project=project, skill=SkillFactory(name="Statistics"), min_level=3)
        ProjectSkillFactory(
            project=project, skill=SkillFactory(name="Excel"), min_level=1, is_required=False
        )
        project.organization.is_verified = True
        project.organization.save()

        html = html_of(Client().get(project.get_absolute_url()))

        for text in [
            project.title,
            project.summary,
            "<em>need</em>",
            "Clean the survey data",  # objectives
            "Findings report",  # deliverable
            f'due <time datetime="{project.ends_on:%Y-%m-%d}"',
            "600.00 EUR",
            "about 15.00 EUR an hour",  # 600 EUR for 40 hours
            "40 hours",
            "(4 weeks)",
            '1 <span class="muted">(1 left)</span>',
            "Remote, Rotterdam",
            "Statistics",
            "at least Proficient",
            "Nice to have",
            "at least Beginner",
            "Survey analysis",  # learning outcome
            mentor.name,
            "Weekly, Monday at 10:00",
            "24 hours",
            "Which tools do you use?",
            "✓ Verified",
        ]:
            assert text in html, text
        assert "<script>" not in html

    def test_a_student_gets_an_apply_button(self, client_for, student, project):
        html = html_of(client_for(student).get(project.get_absolute_url()))
        assert f'href="/projects/{project.pk}/apply/"' in html
        assert ">Apply</a>" in html

    def test_a_student_who_applied_sees_the_status(self, client_for, student, project):
        ApplicationFactory(project=project, student=student, status=Application.Status.SHORTLISTED)
        html = html_of(client_for(student).get(project.get_absolute_url()))
        assert "You applied on" in html
        assert "Shortlisted" in html
        assert ">Apply</a>" not in html

    def test_a_visitor_is_asked_to_log_in_to_apply(self, project):
        html = html_of(Client().get(project.get_absolute_url()))
        assert "Log in to apply" in html

    def test_a_closed_project_says_why(self, client_for, student, project):
        Project.objects.filter(pk=project.pk).update(
            status=Project.Status.CLOSED, closed_reason=Project.ClosedReason.FULL, places_taken=1
        )
        html = html_of(client_for(student).get(project.get_absolute_url()))
        assert "Not taking applications: All places are filled" in html
        assert ">Apply</a>" not in html

    def test_a_project_past_its_deadline_says_so(self, project):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-1))
        html = html_of(Client().get(project.get_absolute_url()))
        assert "The application deadline has passed" in html

    def test_an_archived_project_still_renders(self, project):
        Project.objects.filter(pk=project.pk).update(status=Project.Status.ARCHIVED)
        response = Client().get(project.get_absolute_url())
        assert response.status_code == 200
        assert "This project is archived." in html_of(response)

    def test_members_get_the_management_buttons(self, client_for, mentor, project):
        html = html_of(client_for(mentor).get(project.get_absolute_url()))
        assert f'href="/projects/{project.pk}/edit/"' in html
        assert f'action="/projects/{project.pk}/close/"' in html
        assert f'action="/projects/{project.pk}/archive/"' in html
        assert f'action="/projects/{project.pk}/publish/"' not in html
        assert f'action="/projects/{project.pk}/reopen/"' not in html
        assert f'href="/projects/{project.pk}/applicants/"' in html
        assert ">Apply</a>" not in html

    def test_members_see_their_draft_with_a_publish_button(self, client_for, owner, draft):
        html = html_of(client_for(owner).get(draft.get_absolute_url()))
        assert "This is a draft" in html
        assert f'action="/projects/{draft.pk}/publish/"' in html

    @pytest.mark.parametrize("who", ["anonymous", "student", "outsider"])
    def test_a_draft_is_not_found_by_others(self, client_for, draft, outsider, who):
        client = {
            "anonymous": Client(),
            "student": client_for(StudentFactory()),
            "outsider": client_for(outsider),
        }[who]
        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_others_get_no_management_buttons(self, client_for, outsider, project):
        html = html_of(client_for(outsider).get(project.get_absolute_url()))
        assert "/edit/" not in html
        assert "/close/" not in html

    def test_an_unknown_project_is_not_found(self, db):
        assert Client().get("/projects/999999/").status_code == 404

    @pytest.mark.parametrize("skills", [3, 30])
    def test_the_query_count_is_fixed(
        self, client_for, student, project, skills, django_assert_max_num_queries
    ):
        for _ in range(skills):
            ProjectSkillFactory(project=project)
        ApplicationFactory(project=project, student=student)
        client = client_for(student)
        # session, user, project, deliverables, skills, membership check, application, and the
        # view counted (one UPDATE)
        with django_assert_max_num_queries(8):
            client.get(project.get_absolute_url())


class TestCreatePage:
    def url(self, organization):
        return reverse("projects:create", args=[organization.slug])

    def form_data(self, mentor, skill, **changes):
        data = {
            "title": "Map our delivery routes",
            "summary": "Find faster routes.",
            "description": "We deliver **bread**.",
            "objectives": "Collect the routes\r\nSuggest better ones",
            "learning_outcomes": "Route planning",
            "screening_questions": "Have you used QGIS?",
            "starts_on": days(14).isoformat(),
            "ends_on": days(41).isoformat(),
            "application_deadline": days(7).isoformat(),
            "estimated_hours": "40",
            "hours_per_week": "10",
            "compensation": "600.00",
            "currency": "EUR",
            "capacity": "1",
            "work_mode": "remote",
            "location": "",
            "timezone": "Europe/Amsterdam",
            "mentor": str(mentor.pk),
            "checkin_cadence": "weekly",
            "checkin_weekday": "1",
            "checkin_time": "09:30",
            "response_time_hours": "24",
            "deliverable_title": ["Route map"],
            "deliverable_due_on": [days(41).isoformat()],
            "deliverable_description": ["A map."],
            "skill_id": [str(skill.pk)],
            "skill_level": ["2"],
            "skill_kind": ["required"],
        }
        return data | changes

    def test_a_member_gets_the_form(self, client_for, mentor, organization):
        response = client_for(mentor).get(self.url(organization))
        html = html_of(response)
        assert response.status_code == 200
        assert f"New project for {organization.name}" in html
        assert mentor.name in html  # in the mentor <select>
        assert "Save draft" in html
        assert "Save and publish" in html
        assert 'hx-get="/skills/autocomplete/"' in html

    def test_saves_a_draft(self, client_for, mentor, organization, skill):
        response = client_for(mentor).post(
            self.url(organization), self.form_data(mentor, skill, save="")
        )

        project = Project.objects.get()
        assert response.status_code == 302
        assert response["Location"] == project.get_absolute_url()
        assert project.status == Project.Status.DRAFT
        assert project.compensation_amount == 60000
        assert project.objectives == ["Collect the routes", "Suggest better ones"]
        assert project.mentor == mentor
        assert project.deliverables.get().title == "Route map"
        skill_row = project.skills.get()
        assert (skill_row.skill, skill_row.min_level, skill_row.is_required) == (skill, 2, True)

    def test_save_and_publish(self, client_for, mentor, organization, skill):
        client_for(mentor).post(self.url(organization), self.form_data(mentor, skill, publish="1"))
        assert Project.objects.get().status == Project.Status.OPEN

    def test_no_pay_needs_the_unpaid_choice(self, client_for, mentor, organization, skill):
        """Issue 12, money: publishing needs a pay amount or the explicit unpaid choice."""
        response = client_for(mentor).post(
            self.url(organization), self.form_data(mentor, skill, publish="1", compensation="")
        )
        assert "Give the compensation, or choose “unpaid — for academic credit”." in html_of(
            response
        )
        assert Project.objects.get().status == Project.Status.DRAFT

    def test_publish_unpaid_for_academic_credit(self, client_for, mentor, organization, skill):
        client_for(mentor).post(
            self.url(organization),
            self.form_data(mentor, skill, publish="1", compensation="", unpaid="on"),
        )
        project = Project.objects.get()
        assert (project.status, project.unpaid) == (Project.Status.OPEN, True)

    def test_an_outsider_cannot_post_a_project(self, client_for, organization, skill, mentor):
        response = client_for(UserFactory()).post(
            self.url(organization), self.form_data(mentor, skill, publish="1", unpaid="on")
        )
        assert response.status_code in (403, 404)
        assert not Project.objects.exists()

    def test_publishing_problems_are_listed_and_the_draft_kept(
        self, client_for, mentor, organization, skill
    ):
        data = self.form_data(
            mentor,
            skill,
            publish="1",
            objectives="",
            application_deadline=days(20).isoformat(),
            hours_per_week="5",
            deliverable_due_on=[days(50).isoformat()],
        )
        response = client_for(mentor).post(self.url(organization), data)

        html = html_of(response)
        project = Project.objects.get()
        assert response.status_code == 200
        assert project.status == Project.Status.DRAFT
        assert "The project is not published yet" in html
        assert "Add at least one objective." in html
        assert "must be on or before the start date" in html
        assert "makes at most 20 hours, fewer than the 40 hours estimated" in html
        assert "Deliverable 1 (“Route map”) is due on" in html
        assert f'action="/projects/{project.pk}/edit/"' in html

    def test_a_decimal_amount_becomes_minor_units(self, client_for, mentor, organization, skill):
        data = self.form_data(mentor, skill, compensation="1234.5", currency="JPY")
        response = client_for(mentor).post(self.url(organization), data)
        assert "JPY amounts are whole numbers." in html_of(response)
        assert not Project.objects.exists()

        data = self.form_data(mentor, skill, compensation="1234", currency="JPY")
        client_for(mentor).post(self.url(organization), data)
        assert Project.objects.get().compensation_amount == 1234

    def test_row_errors_show_next_to_the_row(self, client_for, mentor, organization, skill):
        data = self.form_data(mentor, skill, skill_level=["7"], deliverable_title=[""])
        html = html_of(client_for(mentor).post(self.url(organization), data))
        assert "Nothing was saved" in html
        assert 'id="skill-errors-0"' in html
        assert "Skill 1: the minimum level must be between 1 and 4." in html
        assert "Deliverable 1 needs a title." in html
        assert not Project.objects.exists()

    def test_without_javascript_a_deliverable_row_is_added_without_saving(
        self, client_for, mentor, organization, skill
    ):
        data = self.form_data(mentor, skill, add_deliverable="1")
        html = html_of(client_for(mentor).post(self.url(organization), data))
        assert html.count('name="deliverable_title"') == 2 + 1  # two rows and the template
        assert not Project.objects.exists()

    def test_without_javascript_a_skill_is_removed_without_saving(
        self, client_for, mentor, organization, skill
    ):
        data = self.form_data(mentor, skill, remove_skill="0")
        html = html_of(client_for(mentor).post(self.url(organization), data))
        assert f'name="skill_id" value="{skill.pk}"' not in html
        assert not Project.objects.exists()

    def test_a_student_may_not(self, client_for, student, organization):
        assert client_for(student).get(self.url(organization)).status_code == 403

    def test_a_member_of_another_organization_may_not(self, client_for, outsider, organization):
        response = client_for(outsider).post(self.url(organization), {"title": "Mine now"})
        assert response.status_code == 403
        assert not Project.objects.exists()

    def test_a_visitor_is_sent_to_log_in(self, organization):
        response = Client().get(self.url(organization))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def resubmit(response, **changes) -> dict:
    """The edit form's data as the browser would send it back, with `changes` made."""
    form = response.context["form"]
    data = {}
    for field in form:
        if not field.field.disabled:
            value = field.field.widget.format_value(field.field.prepare_value(field.value()))
            data[field.html_name] = "" if value is None else value
    data["deliverable_title"] = [row.title for row in form.deliverable_rows]
    data["deliverable_due_on"] = [row.due_on for row in form.deliverable_rows]
    data["deliverable_description"] = [row.description for row in form.deliverable_rows]
    data["skill_id"] = [row.skill_id for row in form.skill_rows]
    data["skill_level"] = [row.level for row in form.skill_rows]
    data["skill_kind"] = [row.kind for row in form.skill_rows]
    return data | changes


class TestEditPage:
    def test_a_member_edits_the_text_of_an_open_project(self, client_for, mentor, project):
        ProjectSkillFactory(project=project, min_level=3, is_required=False)
        client = client_for(mentor)
        url = reverse("projects:edit", args=[project.pk])
        response = client.get(url)
        assert response.status_code == 200

        response = client.post(url, resubmit(response, title="Clearer title", objectives="A\nB"))

        assert response.status_code == 302, html_of(response)
        project.refresh_from_db()
        assert (project.title, project.objectives) == ("Clearer title", ["A", "B"])
        assert project.compensation_amount == 60000
        assert project.skills.get().min_level == 3

    def test_after_an_offer_the_text_still_saves(self, client_for, owner, project):
        ApplicationFactory(
            project=project, status=Application.Status.OFFERED, offered_at=timezone.now()
        )
        client = client_for(owner)
        url = reverse("projects:edit", args=[project.pk])
        data = resubmit(client.get(url), title="Clearer title", starts_on="2000-01-01")

        response = client.post(url, data)

        assert response.status_code == 302, html_of(response)
        fresh = Project.objects.get(pk=project.pk)
        assert fresh.title == "Clearer title"
        assert fresh.starts_on == project.starts_on  # disabled: what is sent is ignored

    def test_the_terms_are_disabled_after_an_offer(self, client_for, owner, project):
        ApplicationFactory(
            project=project, status=Application.Status.OFFERED, offered_at=timezone.now()
        )
        html = html_of(client_for(owner).get(reverse("projects:edit", args=[project.pk])))
        assert "change through an agreement amendment once the agreement exists" in html
        assert 'name="starts_on"' in html and "disabled" in html
        assert 'name="deliverable_title"' not in html.split("<template")[0]

    def test_an_outsider_gets_403_on_a_published_project(self, client_for, outsider, project):
        response = client_for(outsider).get(reverse("projects:edit", args=[project.pk]))
        assert response.status_code == 403

    def test_an_outsider_gets_404_on_a_draft(self, client_for, outsider, draft):
        response = client_for(outsider).get(reverse("projects:edit", args=[draft.pk]))
        assert response.status_code == 404

    def test_archived_projects_are_not_edited(self, client_for, owner, project):
        Project.objects.filter(pk=project.pk).update(status=Project.Status.ARCHIVED)
        response = client_for(owner).get(reverse("projects:edit", args=[project.pk]))
        assert response.status_code == 302


class TestStatusButtons:
    def test_publish(self, client_for, owner, draft):
        response = client_for(owner).post(reverse("projects:publish", args=[draft.pk]))
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == Project.Status.OPEN

    def test_publishing_problems_show_on_the_edit_form(self, client_for, owner, draft):
        Project.objects.filter(pk=draft.pk).update(objectives=[], hours_per_week=None)
        response = client_for(owner).post(reverse("projects:publish", args=[draft.pk]))
        html = html_of(response)
        assert response.status_code == 200
        assert "The project is not published yet" in html
        assert "Add at least one objective." in html
        assert "Give the hours per week." in html

    def test_close_and_reopen(self, client_for, mentor, project):
        client = client_for(mentor)
        client.post(reverse("projects:close", args=[project.pk]))
        assert Project.objects.get(pk=project.pk).status == Project.Status.CLOSED
        response = client.post(reverse("projects:reopen", args=[project.pk]), follow=True)
        assert Project.objects.get(pk=project.pk).status == Project.Status.OPEN
        assert "open to applications again" in html_of(response)

    def test_a_refused_change_says_why(self, client_for, owner, project):
        Project.objects.filter(pk=project.pk).update(places_taken=1)
        client = client_for(owner)
        client.post(reverse("projects:close", args=[project.pk]))
        response = client.post(reverse("projects:reopen", args=[project.pk]), follow=True)
        assert "This project cannot reopen. All 1 place(s) are taken" in html_of(response)
        assert Project.objects.get(pk=project.pk).status == Project.Status.CLOSED

    def test_an_illegal_transition_says_so(self, client_for, owner, project):
        response = client_for(owner).post(
            reverse("projects:reopen", args=[project.pk]), follow=True
        )
        assert "An open project cannot be reopened." in html_of(response)

    def test_only_post(self, client_for, owner, project):
        response = client_for(owner).get(reverse("projects:close", args=[project.pk]))
        assert response.status_code == 405

    def test_a_student_may_not(self, client_for, student, project):
        response = client_for(student).post(reverse("projects:close", args=[project.pk]))
        assert response.status_code == 403
        assert Project.objects.get(pk=project.pk).status == Project.Status.OPEN

    def test_an_outsider_gets_404_on_a_draft(self, client_for, outsider, draft):
        response = client_for(outsider).post(reverse("projects:archive", args=[draft.pk]))
        assert response.status_code == 404


class TestOrganizationProjectsPage:
    def url(self, organization):
        return reverse("projects:organization", args=[organization.slug])

    def test_members_see_every_project(self, client_for, mentor, organization):
        for status in Project.Status.values:
            ProjectFactory(organization=organization, title=f"The {status} one", status=status)
        ProjectFactory(title="Someone else's")

        response = client_for(mentor).get(self.url(organization))
        html = html_of(response)
        assert response.status_code == 200
        for status in Project.Status.values:
            assert f"The {status} one" in html
        assert "Someone else's" not in html
        assert [p.status for p in response.context["projects"]] == Project.Status.values
        assert "New project" in html

    def test_counts_applications(self, client_for, owner, project):
        ApplicationFactory.create_batch(2, project=project)
        ApplicationFactory(project=project, status=Application.Status.ACCEPTED)
        Project.objects.filter(pk=project.pk).update(places_taken=1)
        html = html_of(client_for(owner).get(self.url(project.organization)))
        assert '>3<span class="visually-hidden"> applications to' in html
        assert "1 of 1" in html

    def test_outsiders_may_not(self, client_for, outsider, student, organization):
        assert client_for(outsider).get(self.url(organization)).status_code == 403
        assert client_for(student).get(self.url(organization)).status_code == 403
        assert Client().get(self.url(organization)).status_code == 302

    @pytest.mark.parametrize("count", [3, 30])
    def test_the_query_count_is_fixed(
        self, client_for, owner, organization, count, django_assert_max_num_queries
    ):
        for _ in range(count):
            ApplicationFactory(project=ProjectFactory(organization=organization))
        client = client_for(owner)
        # session, user, organization, membership, the count for the pages, one page of
        # projects, their applications counted, navigation (memberships, staff roles)
        with django_assert_max_num_queries(9):
            response = client.get(self.url(organization))
        assert len(response.context["projects"]) == min(count, 25)

    def test_twenty_five_a_page_with_their_counts(self, client_for, owner, organization):
        projects = ProjectFactory.create_batch(26, organization=organization)
        ApplicationFactory.create_batch(2, project=projects[0])
        client = client_for(owner)
        first = html_of(client.get(self.url(organization)))
        assert "Page 1 of 2" in first
        second = client.get(self.url(organization), {"page": 2})
        [last] = second.context["projects"]
        assert last == projects[0] and last.application_count == 2
        assert '>2<span class="visually-hidden"> applications to' in html_of(second)


class TestOrganizationPage:
    def test_lists_the_open_projects(self, organization, project):
        ProjectFactory(organization=organization, title="A draft", status=Project.Status.DRAFT)
        ProjectFactory(organization=organization, title="Past", application_deadline=days(-1))
        ProjectFactory(title="Another organization's")

        html = html_of(Client().get(organization.get_absolute_url()))

        assert project.title in html
        assert f'href="{project.get_absolute_url()}"' in html
        assert "A draft" not in html
        assert "Past" not in html
        assert "Another organization's" not in html
        assert "All our projects" not in html

    def test_members_get_links_to_all_projects(self, client_for, mentor, organization):
        html = html_of(client_for(mentor).get(organization.get_absolute_url()))
        assert f'href="/organizations/{organization.slug}/projects/"' in html
        assert f'href="/organizations/{organization.slug}/projects/new/"' in html

    @pytest.mark.parametrize("count", [3, 30])
    def test_the_query_count_is_fixed(self, count, django_assert_max_num_queries):
        organization = OrganizationFactory()
        ProjectFactory.create_batch(count, organization=organization)
        # organization, projects (the soonest ten, and whether there are more)
        with django_assert_max_num_queries(2):
            response = Client().get(organization.get_absolute_url())
        assert len(response.context["open_projects"]) == min(count, 10)
        assert response.context["more"] is (count > 10)
