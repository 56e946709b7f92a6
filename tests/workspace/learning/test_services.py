"""The learning plan's rules, tested on the services: goals follow the agreement, items and
their statuses, who may write, and practised skills (the organization's side only)."""

import pytest
from django.core.exceptions import ValidationError

from practicum.core.errors import Conflict, Refused, ServiceError
from practicum.engagements import agreements
from practicum.engagements.models import AgreementVersion, EngagementEvent
from practicum.workspace.learning import selectors, services
from practicum.workspace.learning.models import LearningItem, PractisedSkill
from tests.workspace.learning.conftest import GOALS, amend_goals

pytestmark = pytest.mark.django_db

Kind = LearningItem.Kind
Status = LearningItem.Status


def goals_of(engagement) -> list[tuple[str, bool, bool]]:
    return list(
        LearningItem.objects.filter(engagement=engagement, kind=Kind.GOAL)
        .order_by("pk")
        .values_list("title", "from_agreement", "in_agreement")
    )


def current_terms(engagement) -> dict:
    return engagement.agreement_versions.get(status=AgreementVersion.Status.CURRENT).terms


class TestSyncGoals:
    def test_signing_brings_the_agreements_goals_into_the_plan(self, engagement):
        assert goals_of(engagement) == [(goal, True, True) for goal in GOALS]
        assert set(
            LearningItem.objects.filter(engagement=engagement).values_list("status", flat=True)
        ) == {Status.PLANNED}

    def test_nothing_before_both_signed(self, _profile_goals, pending_engagement):
        assert goals_of(pending_engagement) == []

    def test_is_idempotent(self, engagement):
        terms = current_terms(engagement)

        services.sync_goals(engagement, terms)
        services.sync_goals(engagement, terms)

        assert goals_of(engagement) == [(goal, True, True) for goal in GOALS]

    def test_keeps_the_status_and_notes_of_goals_already_there(self, engagement, student):
        goal = LearningItem.objects.get(engagement=engagement, title=GOALS[0])
        services.edit_item(engagement, goal.pk, by=student, status=Status.DONE, notes="Did it.")

        services.sync_goals(engagement, current_terms(engagement))

        goal.refresh_from_db()
        assert (goal.status, goal.notes) == (Status.DONE, "Did it.")

    def test_an_amendment_adds_new_goals_and_marks_dropped_ones(self, engagement, student, mentor):
        amend_goals(engagement, student, mentor, [GOALS[1], "Run a usability test"])

        assert goals_of(engagement) == [
            (GOALS[0], True, False),
            (GOALS[1], True, True),
            ("Run a usability test", True, True),
        ]

    def test_a_goal_listed_again_is_back_in_the_agreement(self, engagement, student, mentor):
        amend_goals(engagement, student, mentor, [GOALS[1]])
        amend_goals(engagement, mentor, student, GOALS)

        assert goals_of(engagement) == [(goal, True, True) for goal in GOALS]

    def test_a_goal_added_by_hand_becomes_the_agreements(self, engagement, student, mentor):
        services.add_item(engagement, by=student, kind=Kind.GOAL, title="Learn dbt")

        amend_goals(engagement, mentor, student, [*GOALS, "Learn dbt"])

        assert goals_of(engagement)[-1] == ("Learn dbt", True, True)
        assert LearningItem.objects.filter(engagement=engagement, title="Learn dbt").count() == 1

    def test_text_is_tidied_and_duplicates_ignored(self, engagement):
        services.sync_goals(
            engagement, {"learning_goals": [f"  {GOALS[0]} ", GOALS[0], "", "New   goal"]}
        )

        titles = [title for title, _, _ in goals_of(engagement)]
        assert titles == [*GOALS, "New goal"]

    def test_terms_without_goals(self, engagement):
        services.sync_goals(engagement, {})

        assert goals_of(engagement) == [(goal, True, False) for goal in GOALS]


class TestItems:
    def test_each_side_adds_items_of_every_kind(self, engagement, student, mentor, owner):
        goal = services.add_item(engagement, by=student, kind=Kind.GOAL, title="Learn dbt")
        resource = services.add_item(
            engagement,
            by=mentor,
            kind=Kind.RESOURCE,
            title="Window functions explained",
            url="https://example.org/sql",
        )
        training = services.add_item(
            engagement, by=owner, kind=Kind.TRAINING, title="Privacy module", notes="Two hours."
        )

        assert (goal.created_by, goal.from_agreement, goal.status) == (
            student,
            False,
            Status.PLANNED,
        )
        assert resource.url == "https://example.org/sql"
        assert training.notes == "Two hours." and training.url == ""
        plan = selectors.plan_of(engagement)
        assert [i.title for i in plan.goals] == [*GOALS, "Learn dbt"]
        assert [i.title for i in plan.resources] == ["Window functions explained"]
        assert [i.title for i in plan.training] == ["Privacy module"]

    def test_a_resource_needs_a_link(self, engagement, student):
        with pytest.raises(ValidationError) as caught:
            services.add_item(engagement, by=student, kind=Kind.RESOURCE, title="A book")
        assert "url" in caught.value.error_dict

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "not a url"])
    def test_links_are_web_addresses(self, engagement, student, url):
        with pytest.raises(ValidationError) as caught:
            services.add_item(engagement, by=student, kind=Kind.TRAINING, title="x", url=url)
        assert "url" in caught.value.error_dict

    @pytest.mark.parametrize(
        "fields",
        [
            {"title": ""},
            {"title": "   "},
            {"title": "x" * (services.TITLE_MAX + 1)},
            {"title": "ok", "notes": "x" * (services.NOTES_MAX + 1)},
            {"title": "ok", "status": "finished"},
            {"title": 12},
        ],
    )
    def test_bad_input_is_refused_field_by_field(self, engagement, student, fields):
        with pytest.raises(ValidationError) as caught:
            services.add_item(engagement, by=student, kind=Kind.TRAINING, **fields)
        assert set(caught.value.error_dict) <= {"title", "notes", "status"}

    def test_unknown_kind(self, engagement, student):
        with pytest.raises(ValidationError) as caught:
            services.add_item(engagement, by=student, kind="hobby", title="Chess")
        assert "kind" in caught.value.error_dict

    def test_a_goal_appears_once(self, engagement, student):
        with pytest.raises(ValidationError) as caught:
            services.add_item(engagement, by=student, kind=Kind.GOAL, title=f" {GOALS[0]}")
        assert caught.value.error_dict["title"][0].messages == ["This goal is already in the plan."]

    def test_the_plan_has_a_limit(self, engagement, student):
        LearningItem.objects.bulk_create(
            LearningItem(engagement=engagement, kind=Kind.TRAINING, title=f"Item {n}")
            for n in range(services.ITEMS_MAX - len(GOALS))
        )
        with pytest.raises(Conflict) as caught:
            services.add_item(engagement, by=student, kind=Kind.TRAINING, title="One more")
        assert caught.value.code == "plan_full"

    def test_edit_changes_only_what_is_given(self, engagement, student, mentor):
        item = services.add_item(
            engagement, by=student, kind=Kind.TRAINING, title="Course", notes="Week 1"
        )

        services.edit_item(engagement, item.pk, by=mentor, title="SQL course", url="https://x.org")

        item.refresh_from_db()
        assert (item.title, item.url, item.notes) == ("SQL course", "https://x.org", "Week 1")

    def test_an_agreement_goal_keeps_its_text(self, engagement, student):
        goal = LearningItem.objects.get(engagement=engagement, title=GOALS[0])

        with pytest.raises(ValidationError) as caught:
            services.edit_item(engagement, goal.pk, by=student, title="Something else")
        assert "title" in caught.value.error_dict

        services.edit_item(engagement, goal.pk, by=student, title=GOALS[0], notes="Chapter 3")
        goal.refresh_from_db()
        assert (goal.title, goal.notes) == (GOALS[0], "Chapter 3")

    def test_a_goal_renamed_to_another_goals_text(self, engagement, student):
        item = services.add_item(engagement, by=student, kind=Kind.GOAL, title="Learn dbt")
        with pytest.raises(ValidationError):
            services.edit_item(engagement, item.pk, by=student, title=GOALS[1])

    @pytest.mark.parametrize(
        "steps",
        [
            [Status.IN_PROGRESS, Status.DONE],
            [Status.DONE, Status.PLANNED],
            [Status.DROPPED, Status.IN_PROGRESS],
        ],
    )
    def test_status_moves_freely(self, engagement, student, mentor, steps):
        goal = LearningItem.objects.get(engagement=engagement, title=GOALS[0])
        for person, status in zip([student, mentor], steps, strict=True):
            item = services.set_status(engagement, goal.pk, by=person, status=status)
            assert item.status == status
        goal.refresh_from_db()
        assert goal.status == steps[-1]

    def test_unknown_status(self, engagement, student):
        goal = LearningItem.objects.get(engagement=engagement, title=GOALS[0])
        with pytest.raises(ValidationError):
            services.set_status(engagement, goal.pk, by=student, status="finished")

    def test_remove_an_item(self, engagement, student, mentor):
        item = services.add_item(engagement, by=student, kind=Kind.GOAL, title="Learn dbt")

        services.remove_item(engagement, item.pk, by=mentor)

        assert not LearningItem.objects.filter(pk=item.pk).exists()

    def test_agreement_goals_cannot_be_removed(self, engagement, student, mentor):
        amend_goals(engagement, student, mentor, [GOALS[1]])
        for title in GOALS:  # in the agreement, or no longer
            goal = LearningItem.objects.get(engagement=engagement, title=title)
            with pytest.raises(Conflict) as caught:
                services.remove_item(engagement, goal.pk, by=student)
            assert caught.value.code == "agreement_goal"
        assert len(goals_of(engagement)) == 2

    def test_items_of_another_engagement_are_not_found(
        self, engagement, student, other_engagement, other_student
    ):
        theirs = services.add_item(
            other_engagement, by=other_student, kind=Kind.GOAL, title="Theirs"
        )

        for call in (
            lambda: services.set_status(engagement, theirs.pk, by=student, status=Status.DONE),
            lambda: services.edit_item(engagement, theirs.pk, by=student, notes="x"),
            lambda: services.remove_item(engagement, theirs.pk, by=student),
        ):
            with pytest.raises(ServiceError) as caught:
                call()
            assert (caught.value.code, caught.value.status) == ("no_such_item", 404)


class TestWhoMayWrite:
    def test_career_staff_may_not_write(self, engagement, staff):
        goal = LearningItem.objects.filter(engagement=engagement).first()
        for call in (
            lambda: services.add_item(engagement, by=staff, kind=Kind.GOAL, title="x"),
            lambda: services.set_status(engagement, goal.pk, by=staff, status=Status.DONE),
            lambda: services.edit_item(engagement, goal.pk, by=staff, notes="x"),
            lambda: services.remove_item(engagement, goal.pk, by=staff),
        ):
            with pytest.raises(Refused) as caught:
                call()
            assert caught.value.code == "not_a_party"

    def test_only_while_active(self, _profile_goals, pending_engagement, student):
        with pytest.raises(Conflict) as caught:
            services.add_item(pending_engagement, by=student, kind=Kind.GOAL, title="x")
        assert caught.value.code == "engagement_not_active"

    def test_not_after_cancellation(self, engagement, student, mentor):
        goal = LearningItem.objects.filter(engagement=engagement).first()
        agreements.cancel(engagement, by=mentor, reason="Budget cut.")
        engagement.refresh_from_db()

        with pytest.raises(Conflict):
            services.set_status(engagement, goal.pk, by=student, status=Status.DONE)


class TestPractisedSkills:
    def test_the_mentor_records_a_skill(self, engagement, mentor, skill):
        practised, created = services.record_practised_skill(
            engagement, by=mentor, skill_id=skill.pk, note="Cleaned the survey data."
        )

        assert created
        assert (practised.skill, practised.note, practised.recorded_by) == (
            skill,
            "Cleaned the survey data.",
            mentor,
        )
        event = EngagementEvent.objects.get(engagement=engagement, kind="skill_practised")
        assert event.actor == mentor
        assert event.details == {"side": "organization", "skill": skill.pk, "name": "SQL"}

    def test_an_owner_records_too(self, engagement, owner, skill):
        _, created = services.record_practised_skill(engagement, by=owner, skill_id=skill.pk)
        assert created

    def test_once_per_skill_recording_again_changes_the_note(self, engagement, mentor, skill):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk, note="First")

        practised, created = services.record_practised_skill(
            engagement, by=mentor, skill_id=skill.pk, note="Second"
        )

        assert not created and practised.note == "Second"
        assert PractisedSkill.objects.filter(engagement=engagement).count() == 1
        assert EngagementEvent.objects.filter(kind="skill_practised").count() == 1

    def test_not_the_student(self, engagement, student, skill):
        with pytest.raises(Refused) as caught:
            services.record_practised_skill(engagement, by=student, skill_id=skill.pk)
        assert caught.value.code == "wrong_side"
        assert not PractisedSkill.objects.exists()

    def test_not_staff(self, engagement, staff, skill):
        with pytest.raises(Refused):
            services.record_practised_skill(engagement, by=staff, skill_id=skill.pk)

    @pytest.mark.parametrize("skill_id", [0, 999_999, "1", None, True])
    def test_a_skill_of_the_taxonomy(self, engagement, mentor, skill, skill_id):
        with pytest.raises(ValidationError) as caught:
            services.record_practised_skill(engagement, by=mentor, skill_id=skill_id)
        assert "skill" in caught.value.error_dict

    def test_note_limit(self, engagement, mentor, skill):
        with pytest.raises(ValidationError) as caught:
            services.record_practised_skill(
                engagement, by=mentor, skill_id=skill.pk, note="x" * (services.NOTE_MAX + 1)
            )
        assert "note" in caught.value.error_dict

    def test_selector_lists_them_by_name(self, engagement, mentor, owner, skill, other_skill):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk)
        services.record_practised_skill(engagement, by=owner, skill_id=other_skill.pk)

        practised = selectors.practised_skills(engagement)

        assert [p.skill.name for p in practised] == ["Data visualisation", "SQL"]
        assert [p.recorded_by for p in practised] == [owner, mentor]

    def test_selector_costs_one_query(
        self, engagement, mentor, skill, other_skill, django_assert_num_queries
    ):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk)
        services.record_practised_skill(engagement, by=mentor, skill_id=other_skill.pk)
        with django_assert_num_queries(1):
            names = [
                (p.skill.category.name, p.recorded_by.name)
                for p in selectors.practised_skills(engagement)
            ]
        assert len(names) == 2

    def test_remove(self, engagement, mentor, owner, skill):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk)

        services.remove_practised_skill(engagement, skill.pk, by=owner)

        assert selectors.practised_skills(engagement) == []
        # The log keeps what happened.
        assert EngagementEvent.objects.filter(kind="skill_practised").count() == 1
        with pytest.raises(ServiceError) as caught:
            services.remove_practised_skill(engagement, skill.pk, by=owner)
        assert caught.value.status == 404

    def test_student_cannot_remove(self, engagement, mentor, student, skill):
        services.record_practised_skill(engagement, by=mentor, skill_id=skill.pk)
        with pytest.raises(Refused):
            services.remove_practised_skill(engagement, skill.pk, by=student)

    def test_only_while_active(self, pending_engagement, mentor, skill):
        with pytest.raises(Conflict):
            services.record_practised_skill(pending_engagement, by=mentor, skill_id=skill.pk)


class TestConcurrency:
    def test_the_same_goal_added_twice_at_once(self, engagement, student, mentor, concurrently):
        results = concurrently.run(
            [
                lambda: services.add_item(engagement, by=student, kind=Kind.GOAL, title="Learn"),
                lambda: services.add_item(engagement, by=mentor, kind=Kind.GOAL, title="Learn"),
            ]
        )

        assert sum(isinstance(r, LearningItem) for r in results) == 1
        assert sum(isinstance(r, ValidationError) for r in results) == 1
        assert (
            concurrently.read(
                lambda: LearningItem.objects.filter(engagement=engagement, title="Learn").count()
            )
            == 1
        )
