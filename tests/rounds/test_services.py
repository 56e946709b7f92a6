"""The rules of each round service: who, when, and what input."""

import pytest
from django.core.exceptions import ValidationError

from practicum.core.errors import Conflict, Refused
from practicum.projects.models import Project
from practicum.rounds import services, transitions
from practicum.rounds.models import MatchRound, RoundProject, RoundResult, RoundStudent
from tests.factories import (
    ApplicationFactory,
    InstitutionFactory,
    MembershipFactory,
    ProjectFactory,
    StudentFactory,
)

from .conftest import later, pass_deadline, student_of

pytestmark = pytest.mark.django_db

State = MatchRound.State


def fields_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


class TestCreate:
    def test_institution_staff_start_a_draft(self, staff, institution):
        match_round = services.create_round(
            by=staff, name="  Spring cohort ", institution=institution
        )

        assert match_round.state == State.DRAFT
        assert match_round.name == "Spring cohort"
        assert match_round.owner == institution
        assert match_round.created_by == staff

    def test_organization_owners_start_one_for_their_programme(self, org_owner, organization):
        match_round = services.create_round(
            by=org_owner, name="Summer programme", organization=organization
        )

        assert match_round.owner == organization

    def test_others_are_refused(self, staff, institution, org_owner, org_mentor, organization):
        with pytest.raises(Refused):
            services.create_round(by=org_owner, name="R", institution=institution)
        with pytest.raises(Refused):
            services.create_round(by=org_mentor, name="R", organization=organization)
        with pytest.raises(Refused):
            services.create_round(by=staff, name="R", institution=InstitutionFactory())

    def test_exactly_one_owner(self, staff, institution, organization):
        with pytest.raises(ValidationError) as both:
            services.create_round(
                by=staff, name="R", institution=institution, organization=organization
            )
        with pytest.raises(ValidationError) as neither:
            services.create_round(by=staff, name="R")

        assert "owner" in fields_of(both) and "owner" in fields_of(neither)

    def test_name_and_deadline_are_checked(self, staff, institution):
        with pytest.raises(ValidationError) as refused:
            services.create_round(
                by=staff, name=" ", institution=institution, ranking_deadline=later(hours=-1)
            )

        assert set(fields_of(refused)) == {"name", "ranking_deadline"}
        assert not MatchRound.objects.exists()


class TestUpdate:
    def test_rename_and_move_the_deadline(self, draft_round, staff):
        deadline = later(days=10)

        services.update_round(draft_round, by=staff, name="Autumn", ranking_deadline=deadline)

        draft_round.refresh_from_db()
        assert (draft_round.name, draft_round.ranking_deadline) == ("Autumn", deadline)

    def test_a_past_deadline_is_refused(self, draft_round, staff):
        with pytest.raises(ValidationError) as refused:
            services.update_round(
                draft_round, by=staff, name="R", ranking_deadline=later(minutes=-5)
            )

        assert "ranking_deadline" in fields_of(refused)

    def test_the_deadline_is_needed_once_ranking_is_open(self, ranking_round, staff):
        with pytest.raises(ValidationError) as refused:
            services.update_round(ranking_round, by=staff, name="R", ranking_deadline=None)

        assert "ranking_deadline" in fields_of(refused)

    def test_nothing_changes_after_the_run(self, matched):
        with pytest.raises(Conflict) as refused:
            services.update_round(
                matched.round, by=matched.staff, name="R", ranking_deadline=later(days=9)
            )

        assert refused.value.code == "round_locked"

    def test_only_the_staff(self, draft_round, org_owner):
        with pytest.raises(Refused):
            services.update_round(
                draft_round, by=org_owner, name="R", ranking_deadline=later(days=9)
            )


class TestProjects:
    @pytest.fixture
    def empty_round(self, staff, institution):
        return services.create_round(by=staff, name="R", institution=institution)

    def test_capacity_is_the_remaining_places(self, empty_round, staff):
        project = ProjectFactory(capacity=3)
        ApplicationFactory(project=project, status="accepted")

        entry = services.add_project(empty_round, by=staff, project=project)

        assert entry.capacity == 2

    def test_capacity_may_go_down_not_up(self, empty_round, staff):
        project = ProjectFactory(capacity=3)
        entry = services.add_project(empty_round, by=staff, project=project, capacity=1)
        services.set_capacity(entry, by=staff, capacity=2)
        assert RoundProject.objects.get().capacity == 2

        for bad in (4, 0, "2", True):
            with pytest.raises(ValidationError) as refused:
                services.set_capacity(entry, by=staff, capacity=bad)
            assert "capacity" in fields_of(refused)
        with pytest.raises(ValidationError):
            services.add_project(empty_round, by=staff, project=ProjectFactory(), capacity=2)

    def test_only_projects_taking_applications(self, empty_round, staff):
        draft = ProjectFactory(status=Project.Status.DRAFT, published_at=None)
        closed = ProjectFactory(status=Project.Status.CLOSED, closed_reason="manual")
        full = ProjectFactory(capacity=1)
        ApplicationFactory(project=full, status="accepted")

        for project in (draft, closed, full):
            with pytest.raises(ValidationError) as refused:
                services.add_project(empty_round, by=staff, project=project)
            assert "project" in fields_of(refused)

    def test_once(self, draft_round, staff, project_a):
        with pytest.raises(Conflict) as refused:
            services.add_project(draft_round, by=staff, project=project_a)

        assert refused.value.code == "already_in_round"

    def test_an_organizations_round_takes_only_its_projects(
        self, org_owner, organization, project_a, project_b
    ):
        match_round = services.create_round(by=org_owner, name="R", organization=organization)

        services.add_project(match_round, by=org_owner, project=project_a)
        with pytest.raises(ValidationError):
            services.add_project(match_round, by=org_owner, project=project_b)

    def test_removing_takes_the_choices_with_it(self, ranked):
        entry = ranked.round.projects.get(project=ranked.project_a)

        services.remove_project(entry, by=ranked.staff)

        assert not RoundProject.objects.filter(pk=entry.pk).exists()
        assert not ranked.round.students.filter(choices__round_project=entry.pk).exists()

    def test_no_change_after_the_run(self, matched):
        entry = matched.round.projects.select_related("round", "project").first()
        with pytest.raises(Conflict):
            services.remove_project(entry, by=matched.staff)
        with pytest.raises(Conflict):
            services.set_capacity(entry, by=matched.staff, capacity=1)
        with pytest.raises(Conflict):
            services.add_project(matched.round, by=matched.staff, project=ProjectFactory())

    def test_only_the_staff(self, draft_round, org_owner, project_a):
        entry = draft_round.projects.get(project=project_a)
        with pytest.raises(Refused):
            services.add_project(draft_round, by=org_owner, project=ProjectFactory())
        with pytest.raises(Refused):
            services.remove_project(entry, by=org_owner)


class TestStudents:
    def test_by_email_without_regard_to_case(self, draft_round, staff, institution):
        newcomer = student_of(institution, email="Nora@Example.org")

        added = services.add_students(
            draft_round, by=staff, emails=["nora@example.ORG", " NORA@example.org "]
        )

        assert [entry.student for entry in added] == [newcomer]

    def test_all_or_nothing_with_every_problem_named(self, draft_round, staff, institution):
        fine = student_of(institution)
        elsewhere = student_of(InstitutionFactory())
        owner = MembershipFactory().user

        with pytest.raises(ValidationError) as refused:
            services.add_students(
                draft_round,
                by=staff,
                emails=[fine.email, elsewhere.email, owner.email, "nobody@example.org", "x@"],
            )

        problems = fields_of(refused)["emails"]
        assert len(problems) == 4
        assert any("not a student of Northfield University" in p for p in problems)
        assert any("not a student account" in p for p in problems)
        assert any("No student account uses nobody@example.org" in p for p in problems)
        assert not RoundStudent.objects.filter(student=fine).exists()

    def test_students_already_in_are_skipped(self, draft_round, staff, students):
        assert services.add_students(draft_round, by=staff, emails=[students[0].email]) == []

    def test_nothing_to_add(self, draft_round, staff):
        with pytest.raises(ValidationError):
            services.add_students(draft_round, by=staff, emails=[" "])
        with pytest.raises(ValidationError):
            services.add_students(draft_round, by=staff, emails="a@example.org")

    def test_an_organizations_round_takes_any_student(self, org_owner, organization):
        match_round = services.create_round(by=org_owner, name="R", organization=organization)
        anyone = StudentFactory()

        services.add_students(match_round, by=org_owner, emails=[anyone.email])

        assert match_round.students.get().student == anyone

    def test_every_student_of_the_institution_in_one_action(self, staff, institution, students):
        match_round = services.create_round(by=staff, name="R", institution=institution)
        StudentFactory()  # of no institution
        student_of(institution, is_active=False)

        assert services.add_institution_students(match_round, by=staff) == 3
        assert services.add_institution_students(match_round, by=staff) == 0
        assert {e.student for e in match_round.students.all()} == set(students)

    def test_only_an_institutions_round_adds_an_institution(self, org_owner, organization):
        match_round = services.create_round(by=org_owner, name="R", organization=organization)

        with pytest.raises(Conflict) as refused:
            services.add_institution_students(match_round, by=org_owner)

        assert refused.value.code == "not_an_institution_round"

    def test_removing(self, ranked):
        entry = ranked.round.students.select_related("round").get(student=ranked.students[0])

        services.remove_student(entry, by=ranked.staff)

        assert not RoundStudent.objects.filter(pk=entry.pk).exists()


class TestTransitions:
    def test_the_table(self):
        moves = {
            (source, t.target) for t in transitions.TRANSITIONS.values() for source in t.sources
        }

        assert moves == {
            (State.DRAFT, State.RANKING),
            (State.RANKING, State.MATCHED),
            (State.MATCHED, State.RANKING),
            (State.MATCHED, State.PUBLISHED),
            (State.DRAFT, State.CANCELLED),
            (State.RANKING, State.CANCELLED),
            (State.MATCHED, State.CANCELLED),
        }
        assert [t.action for t in transitions.allowed_actions(State.PUBLISHED)] == []
        assert [t.action for t in transitions.allowed_actions(State.MATCHED)] == [
            "reopen",
            "publish",
            "cancel",
        ]

    @pytest.mark.parametrize(
        ("state", "action"),
        [
            (State.DRAFT, "run"),
            (State.DRAFT, "publish"),
            (State.DRAFT, "reopen"),
            (State.RANKING, "open"),
            (State.RANKING, "publish"),
            (State.MATCHED, "run"),
            (State.MATCHED, "open"),
            (State.PUBLISHED, "cancel"),
            (State.PUBLISHED, "run"),
            (State.PUBLISHED, "reopen"),
            (State.CANCELLED, "open"),
        ],
    )
    def test_illegal_moves_are_409(self, draft_round, staff, state, action):
        MatchRound.objects.filter(pk=draft_round.pk).update(state=state)
        draft_round.refresh_from_db()
        service = {
            "open": services.open_ranking,
            "run": services.run_round,
            "reopen": services.reopen_ranking,
            "publish": services.publish_round,
            "cancel": services.cancel_round,
        }[action]

        with pytest.raises(Conflict) as refused:
            service(draft_round, by=staff)

        assert (refused.value.code, refused.value.status) == ("illegal_transition", 409)
        draft_round.refresh_from_db()
        assert draft_round.state == state

    def test_opening_needs_projects_students_and_a_deadline(self, staff, institution, students):
        match_round = services.create_round(by=staff, name="R", institution=institution)
        with pytest.raises(Conflict, match="project") as refused:
            services.open_ranking(match_round, by=staff)
        assert refused.value.code == "no_projects"

        services.add_project(match_round, by=staff, project=ProjectFactory())
        with pytest.raises(Conflict) as refused:
            services.open_ranking(match_round, by=staff)
        assert refused.value.code == "no_students"

        services.add_students(match_round, by=staff, emails=[students[0].email])
        with pytest.raises(Conflict) as refused:
            services.open_ranking(match_round, by=staff)
        assert refused.value.code == "no_deadline"

        services.update_round(match_round, by=staff, name="R", ranking_deadline=later(days=1))
        assert services.open_ranking(match_round, by=staff).state == State.RANKING

    def test_running_waits_for_the_deadline_unless_forced(self, ranked):
        with pytest.raises(Conflict) as refused:
            services.run_round(ranked.round, by=ranked.staff)
        assert refused.value.code == "deadline_not_passed"
        assert not RoundResult.objects.exists()

        services.run_round(pass_deadline(ranked.round), by=ranked.staff)

        ranked.round.refresh_from_db()
        assert ranked.round.state == State.MATCHED
        assert ranked.round.matched_at is not None
        assert RoundResult.objects.count() == 3

    def test_reopening_throws_the_preview_away(self, matched):
        services.reopen_ranking(matched.round, by=matched.staff)

        matched.round.refresh_from_db()
        assert matched.round.state == State.RANKING
        assert matched.round.matched_at is None
        assert not RoundResult.objects.exists()
        assert set(matched.round.projects.values_list("places_at_run", flat=True)) == {None}

    def test_cancelling(self, ranking_round, staff):
        assert services.cancel_round(ranking_round, by=staff).state == State.CANCELLED

    def test_only_the_staff_move_the_round(self, ranked, org_owner, students):
        for user in (org_owner, students[0]):
            for service in (
                services.open_ranking,
                services.run_round,
                services.reopen_ranking,
                services.publish_round,
                services.cancel_round,
            ):
                with pytest.raises(Refused):
                    service(ranked.round, by=user)
