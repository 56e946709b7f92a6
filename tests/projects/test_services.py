import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from practicum.core.errors import Conflict, Refused
from practicum.engagements.models import Application
from practicum.projects import services
from practicum.projects import status as project_status
from practicum.projects.models import Project
from tests.factories import ApplicationFactory, MembershipFactory, SkillFactory, StudentFactory

from .conftest import days

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def messages(exc: ValidationError, field: str) -> list[str]:
    return [m for e in exc.error_dict[field] for m in e.messages]


def publish_problem(draft, owner, **changes) -> ValidationError:
    """Make `changes` to the (otherwise publishable) draft, publish, and return the refusal."""
    if changes:
        services.update_project(draft, by=owner, data=changes)
    with pytest.raises(ValidationError) as caught:
        project_status.change(draft, "publish", by=owner)
    draft.refresh_from_db()
    assert draft.status == Project.Status.DRAFT
    return caught.value


class TestCreateDraft:
    def test_a_member_saves_a_full_draft(self, organization, owner, full_data, skill):
        project = services.create_project(organization, by=owner, data=full_data)

        project = Project.objects.get(pk=project.pk)
        assert project.status == Project.Status.DRAFT
        assert project.created_by == owner
        assert project.title == "Analyse our customer survey"
        assert project.compensation_amount == 60000
        assert project.checkin_time == datetime.time(14, 30)
        assert [(d.position, d.title) for d in project.deliverables.all()] == [
            (0, "Findings report")
        ]
        assert [(s.skill, s.min_level, s.is_required) for s in project.skills.all()] == [
            (skill, 2, True)
        ]

    def test_a_draft_needs_only_a_title(self, organization, mentor):
        project = services.create_project(organization, by=mentor, data={"title": "Idea"})

        assert project.status == Project.Status.DRAFT
        assert project.objectives == []
        assert project.currency == "EUR"
        assert project.capacity == 1

    def test_a_draft_without_a_title_is_refused(self, organization, owner):
        with pytest.raises(ValidationError) as caught:
            services.create_project(organization, by=owner, data={"title": "  "})
        assert messages(caught.value, "title") == ["Give the project a title."]
        assert not Project.objects.exists()

    def test_a_draft_may_break_the_publishing_rules(self, organization, owner, full_data):
        """Only types and lengths count for a draft: a past deadline and reversed dates wait."""
        full_data |= {
            "starts_on": days(30),
            "ends_on": days(10),
            "application_deadline": days(-3),
            "objectives": [],
            "deliverables": [],
            "compensation_amount": -5,
            "mentor": StudentFactory().pk,
        }
        project = services.create_project(organization, by=owner, data=full_data)
        assert project.ends_on == days(10)

    def test_types_and_lengths_are_checked_all_at_once(self, organization, owner):
        data = {
            "title": "x" * 201,
            "starts_on": "next week",
            "estimated_hours": "many",
            "hours_per_week": 0,
            "currency": "EURO",
            "capacity": 0,
            "work_mode": "moon",
            "timezone": "Mars/Olympus",
            "checkin_weekday": 9,
            "checkin_time": "noon",
            "response_time_hours": 500,
            "objectives": "not a list",
            "screening_questions": ["One?", "Two?", "Three?", "Four?"],
            "mentor": 987654,
            "deliverables": [{"title": "", "due_on": "soon"}],
        }
        with pytest.raises(ValidationError) as caught:
            services.create_project(organization, by=owner, data=data)

        assert set(caught.value.error_dict) == set(data)
        assert messages(caught.value, "title") == ["At most 200 characters (this has 201)."]
        assert messages(caught.value, "currency") == [
            "Choose a currency from the list (an ISO 4217 code such as EUR)."
        ]
        assert messages(caught.value, "screening_questions") == [
            "At most 3 screening questions (you gave 4)."
        ]
        assert messages(caught.value, "deliverables") == [
            "Deliverable 1 needs a title.",
            "Deliverable 1: enter the due date as YYYY-MM-DD.",
        ]
        assert not Project.objects.exists()

    def test_the_currency_code_is_one_of_iso_4217(self, organization, owner):
        project = services.create_project(
            organization, by=owner, data={"title": "Yen", "currency": "jpy"}
        )
        assert project.currency == "JPY"
        with pytest.raises(ValidationError):
            services.create_project(organization, by=owner, data={"title": "X", "currency": "XAU"})

    def test_skills_are_checked(self, organization, owner, skill):
        data = {
            "title": "Skills",
            "skills": [
                {"skill": skill.pk, "min_level": 5},
                {"skill": 999999, "min_level": 2},
                {"skill": skill.pk, "min_level": 2},
                {"skill": SkillFactory().pk, "min_level": 2, "is_required": "yes"},
            ],
        }
        with pytest.raises(ValidationError) as caught:
            services.create_project(organization, by=owner, data=data)
        assert messages(caught.value, "skills") == [
            "Skill 1: the minimum level must be between 1 and 4.",
            "Skill 2: choose a skill from the list.",
            "Skill 3 is listed twice.",
            "Skill 4: say whether it is required.",
        ]
        assert [e.params["index"] for e in caught.value.error_dict["skills"]] == [0, 1, 2, 3]

    def test_unknown_fields_are_refused(self, organization, owner):
        with pytest.raises(ValidationError) as caught:
            services.create_project(organization, by=owner, data={"title": "A", "status": "open"})
        assert messages(caught.value, "status") == ["This field does not exist."]


class TestPublishingValidation:
    """Each rule publishing checks, one at a time, on a draft that passes all the others."""

    def test_a_valid_draft_is_published(self, draft, mentor):
        project_status.change(draft, "publish", by=mentor)

        draft.refresh_from_db()
        assert draft.status == Project.Status.OPEN
        assert draft.published_at is not None

    def test_the_dates_must_be_in_order(self, draft, owner):
        exc = publish_problem(draft, owner, starts_on=days(20), ends_on=days(19), deliverables=[])
        assert codes(exc)["ends_on"] == ["dates_out_of_order"]
        start, end = days(20), days(19)
        assert messages(exc, "ends_on") == [
            f"The project ends ({end.day} {end:%b %Y}) before it starts "
            f"({start.day} {start:%b %Y})."
        ]

    def test_the_deadline_is_on_or_before_the_start(self, draft, owner):
        exc = publish_problem(draft, owner, application_deadline=days(15))
        assert codes(exc) == {"application_deadline": ["deadline_after_start"]}

    def test_the_deadline_may_be_the_start_date(self, draft, owner):
        services.update_project(draft, by=owner, data={"application_deadline": days(14)})
        assert project_status.change(draft, "publish", by=owner).status == Project.Status.OPEN

    def test_the_deadline_is_not_in_the_past(self, draft, owner):
        exc = publish_problem(draft, owner, application_deadline=days(-1))
        assert codes(exc) == {"application_deadline": ["deadline_passed"]}
        assert "has passed" in messages(exc, "application_deadline")[0]

    def test_every_deliverable_is_due_within_the_dates(self, draft, owner):
        deliverables = [
            {"title": "Plan", "due_on": days(20)},
            {"title": "Report", "due_on": days(42)},
        ]
        exc = publish_problem(draft, owner, deliverables=deliverables)
        assert codes(exc) == {"deliverables": ["due_outside_dates"]}
        assert exc.error_dict["deliverables"][0].params["index"] == 1
        assert messages(exc, "deliverables")[0].startswith("Deliverable 2 (“Report”) is due on")

    def test_every_deliverable_has_a_due_date(self, draft, owner):
        exc = publish_problem(draft, owner, deliverables=[{"title": "Report"}])
        assert messages(exc, "deliverables") == ["Deliverable 1 (“Report”) needs a due date."]

    def test_the_hours_fit_in_the_weeks(self, draft, owner):
        # 27 days (3.9 weeks) × 10 h/week = 38.6 h < 40 h.
        exc = publish_problem(
            draft, owner, ends_on=days(40), deliverables=[{"title": "Report", "due_on": days(40)}]
        )
        assert codes(exc) == {"estimated_hours": ["hours_do_not_fit"]}
        assert messages(exc, "estimated_hours") == [
            "10 hours a week for 3.9 weeks (27 days) makes at most 38.6 hours, fewer than the "
            "40 hours estimated: lengthen the project, raise the hours per week or lower the "
            "estimate."
        ]

    def test_hours_that_just_fit_pass(self, draft, owner):
        # 28 days = 4 weeks × 10 h = 40 h, exactly the estimate.
        assert project_status.change(draft, "publish", by=owner).status == Project.Status.OPEN

    def test_the_mentor_belongs_to_the_organization(self, draft, owner, outsider):
        exc = publish_problem(draft, owner, mentor=outsider.pk)
        assert codes(exc) == {"mentor": ["mentor_not_member"]}
        assert messages(exc, "mentor") == [
            f"The mentor must be a member of {draft.organization.name}."
        ]

    def test_the_compensation_is_not_negative(self, draft, owner):
        exc = publish_problem(draft, owner, compensation_amount=-1)
        assert messages(exc, "compensation_amount") == ["Compensation cannot be negative."]

    @pytest.mark.parametrize("amount", [None, 0])
    def test_no_pay_without_the_unpaid_choice_is_refused(self, draft, owner, amount):
        """Issue 12, money: publishing needs a pay amount or the explicit unpaid choice."""
        exc = publish_problem(draft, owner, compensation_amount=amount)
        assert codes(exc) == {"compensation_amount": ["required"]}
        assert messages(exc, "compensation_amount") == [
            "Give the compensation, or choose “unpaid — for academic credit”."
        ]

    def test_unpaid_for_academic_credit_is_published_as_such(self, draft, owner):
        services.update_project(draft, by=owner, data={"compensation_amount": None, "unpaid": True})
        project = project_status.change(draft, "publish", by=owner)
        assert project.status == Project.Status.OPEN
        assert project.compensation_display == "Unpaid — for academic credit"
        assert project.hourly_display == ""

    def test_unpaid_with_an_amount_is_refused(self, draft, owner):
        exc = publish_problem(draft, owner, unpaid=True)
        assert codes(exc) == {"compensation_amount": ["unpaid_with_amount"]}

    def test_the_unpaid_choice_is_a_boolean(self, draft, owner):
        with pytest.raises(ValidationError) as caught:
            services.update_project(draft, by=owner, data={"unpaid": "yes"})
        assert "unpaid" in caught.value.error_dict

    def test_at_least_one_objective(self, draft, owner):
        exc = publish_problem(draft, owner, objectives=[])
        assert messages(exc, "objectives") == ["Add at least one objective."]

    def test_at_least_one_deliverable(self, draft, owner):
        exc = publish_problem(draft, owner, deliverables=[])
        assert messages(exc, "deliverables") == ["Add at least one deliverable."]

    @pytest.mark.parametrize("field", sorted(services.REQUIRED_TO_PUBLISH))
    def test_required_fields_are_present(self, draft, owner, field):
        empty = "" if field in ("summary", "description") else None
        exc = publish_problem(draft, owner, **{field: empty})
        assert exc.error_dict[field][0].code == "required"
        assert messages(exc, field) == [services.REQUIRED_TO_PUBLISH[field]]

    def test_on_site_work_needs_a_location(self, draft, owner):
        exc = publish_problem(draft, owner, work_mode="on_site", location="")
        assert codes(exc) == {"location": ["required"]}

    def test_every_problem_is_reported_at_once(self, organization, owner):
        draft = services.create_project(organization, by=owner, data={"title": "Bare"})
        exc = publish_problem(draft, owner)
        assert set(exc.error_dict) == {
            *services.REQUIRED_TO_PUBLISH,
            "compensation_amount",
            "objectives",
            "deliverables",
        }


class TestEditing:
    def test_text_can_change_after_publishing(self, project, mentor):
        services.update_project(
            project,
            by=mentor,
            data={"title": "New title", "objectives": ["Only this"], "location": "Utrecht"},
        )
        project.refresh_from_db()
        assert (project.title, project.objectives, project.location) == (
            "New title",
            ["Only this"],
            "Utrecht",
        )

    def test_a_published_project_stays_publishable(self, project, owner):
        with pytest.raises(ValidationError) as caught:
            services.update_project(project, by=owner, data={"objectives": [], "summary": ""})
        assert set(caught.value.error_dict) == {"objectives", "summary"}

    def test_an_old_deadline_does_not_block_other_edits(self, project, owner):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-2))
        services.update_project(project, by=owner, data={"title": "Still editable"})
        assert Project.objects.get(pk=project.pk).title == "Still editable"

    def test_moving_the_deadline_into_the_past_is_refused(self, project, owner):
        with pytest.raises(ValidationError) as caught:
            services.update_project(project, by=owner, data={"application_deadline": days(-1)})
        assert codes(caught.value) == {"application_deadline": ["deadline_passed"]}

    @pytest.mark.parametrize(
        "change",
        [
            {"starts_on": days(13)},
            {"ends_on": days(40), "estimated_hours": 30},
            {"estimated_hours": 30},
            {"hours_per_week": 12},
            {"compensation_amount": 70000},
            {"currency": "USD"},
            {"deliverables": [{"title": "Other", "description": "", "due_on": days(41)}]},
        ],
        ids=lambda change: "+".join(change),
    )
    def test_the_terms_are_fixed_once_an_offer_is_made(self, project, owner, change):
        ApplicationFactory(
            project=project, status=Application.Status.OFFERED, offered_at=timezone.now()
        )
        with pytest.raises(Conflict) as caught:
            services.update_project(project, by=owner, data=change)

        assert caught.value.code == "locked_after_offer"
        assert caught.value.status == 409
        assert caught.value.message.endswith(
            "they change through an agreement amendment once the agreement exists."
        )
        assert set(caught.value.fields) == set(change)
        fresh = Project.objects.get(pk=project.pk)
        assert (fresh.starts_on, fresh.compensation_amount, fresh.currency) == (
            project.starts_on,
            project.compensation_amount,
            project.currency,
        )

    def test_after_an_offer_text_and_unchanged_terms_still_save(self, project, owner):
        """Forms send every field back: terms sent unchanged are no change."""
        ApplicationFactory(
            project=project, status=Application.Status.OFFERED, offered_at=timezone.now()
        )
        deliverable = project.deliverables.get()
        services.update_project(
            project,
            by=owner,
            data={
                "title": "Sharper title",
                "starts_on": project.starts_on,
                "compensation_amount": project.compensation_amount,
                "deliverables": [{"title": "Findings report", "due_on": project.ends_on}],
                "capacity": 3,
            },
        )
        fresh = Project.objects.get(pk=project.pk)
        assert (fresh.title, fresh.capacity) == ("Sharper title", 3)
        # Unchanged deliverables are not rewritten: whatever refers to them keeps working.
        assert fresh.deliverables.get().pk == deliverable.pk

    def test_an_application_without_an_offer_does_not_lock(self, project, owner):
        ApplicationFactory(project=project)
        services.update_project(project, by=owner, data={"compensation_amount": 80000})
        assert Project.objects.get(pk=project.pk).compensation_amount == 80000

    def test_archived_projects_are_not_edited(self, project, owner):
        project_status.change(project, "archive", by=owner)
        with pytest.raises(Conflict) as caught:
            services.update_project(project, by=owner, data={"title": "Again"})
        assert caught.value.code == "archived"


class TestReopen:
    def close(self, project, owner):
        project_status.change(project, "close", by=owner)
        project.refresh_from_db()

    def test_reopens_with_a_place_left_and_the_deadline_ahead(self, project, owner):
        self.close(project, owner)
        project_status.change(project, "reopen", by=owner)

        project.refresh_from_db()
        assert (project.status, project.closed_reason, project.closed_at) == ("open", "", None)

    def test_not_when_every_place_is_taken(self, project, owner):
        Project.objects.filter(pk=project.pk).update(places_taken=1)
        self.close(project, owner)
        with pytest.raises(Conflict) as caught:
            project_status.change(project, "reopen", by=owner)
        assert caught.value.code == "cannot_reopen"
        assert set(caught.value.fields) == {"capacity"}
        assert "All 1 place(s) are taken (1 accepted)" in caught.value.message

    def test_not_when_the_deadline_has_passed(self, project, owner):
        self.close(project, owner)
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-1))
        with pytest.raises(Conflict) as caught:
            project_status.change(project, "reopen", by=owner)
        assert set(caught.value.fields) == {"application_deadline"}
        assert "The application deadline has passed" in caught.value.message

    def test_says_both_reasons_when_both_hold(self, project, owner):
        Project.objects.filter(pk=project.pk).update(places_taken=1)
        self.close(project, owner)
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-1))
        with pytest.raises(Conflict) as caught:
            project_status.change(project, "reopen", by=owner)
        assert set(caught.value.fields) == {"capacity", "application_deadline"}


class TestCountPlace:
    def test_counts_up_and_down_never_below_zero(self, project):
        assert services.count_place(project, taken=+1).places_taken == 1
        assert services.count_place(project, taken=-1).places_taken == 0
        assert services.count_place(project, taken=-1).places_taken == 0
        project.refresh_from_db()
        assert project.places_taken == 0


class TestPermissions:
    """Who may post and manage projects: members (owners and mentors) of the organization."""

    def test_a_mentor_manages_the_organization_s_projects(self, organization, mentor, draft):
        services.create_project(organization, by=mentor, data={"title": "Mine"})
        services.update_project(draft, by=mentor, data={"title": "Edited"})
        project_status.change(draft, "publish", by=mentor)
        project_status.change(draft, "close", by=mentor)
        project_status.change(draft, "archive", by=mentor)

    @pytest.mark.parametrize("who", ["outsider", "student", "anonymous"])
    def test_others_may_not_create(self, organization, outsider, who):
        user = {"outsider": outsider, "student": StudentFactory(), "anonymous": AnonymousUser()}
        with pytest.raises(Refused) as caught:
            services.create_project(organization, by=user[who], data={"title": "Not yours"})
        assert caught.value.code == "not_a_member"
        assert caught.value.status == 403
        assert not Project.objects.exists()

    @pytest.mark.parametrize("action", ["update", *project_status.ACTIONS])
    def test_a_member_of_another_organization_may_not_manage(self, project, outsider, action):
        with pytest.raises(Refused):
            if action == "update":
                services.update_project(project, by=outsider, data={"title": "Taken over"})
            else:
                project_status.change(project, action, by=outsider)
        fresh = Project.objects.get(pk=project.pk)
        assert (fresh.title, fresh.status) == (project.title, project.status)

    def test_a_member_of_two_organizations_manages_only_theirs(self, project, outsider):
        MembershipFactory(user=outsider, organization=project.organization)
        project_status.change(project, "close", by=outsider)
