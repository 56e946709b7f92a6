"""Rows become engine inputs, indexes are cached by version, fit scores become what people read."""

import datetime
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practicum.matching import ProjectInput, StudentIndex, StudentInput, score_fit
from practicum.matching.scoring import hard_constraint_failures
from practicum.profiles import services as profile_services
from practicum.profiles.models import StudentProfile
from practicum.projects import services as project_services
from practicum.projects import status as project_status
from practicum.projects.models import Project
from practicum.projects.selectors import ProjectFilters, discover_projects
from practicum.recommendations import adapter
from practicum.recommendations.reasons import sentence
from tests.factories import ProjectFactory, SkillFactory

from .conftest import days, make_project, make_student

pytestmark = pytest.mark.django_db


class TestInputs:
    def test_a_project_row_becomes_a_project_input(self, python, sql):
        project = make_project(
            title="Survey dashboard",
            summary="Turn answers into charts.",
            description="We need a **dashboard**.",
            objectives=["Clean the data", "Build the charts"],
            learning_outcomes=["Data visualisation"],
            starts_on=days(10),
            ends_on=days(30),
            hours_per_week=8,
            required=[(python, 3)],
            preferred=[(sql, 2)],
        )
        row = adapter.projects_for_matching(Project.objects.filter(pk=project.pk)).get()

        assert adapter.project_input(row) == ProjectInput(
            id=project.pk,
            required={python.pk: 3},
            preferred={sql.pk: 2},
            text="Survey dashboard Turn answers into charts. We need a **dashboard**. "
            "Clean the data Build the charts",
            learning_outcomes=["Data visualisation"],
            starts_on=days(10),
            ends_on=days(30),
            hours_per_week=8,
        )

    def test_a_profile_row_becomes_a_student_input_with_the_profiles_id(self, python):
        user = make_student(
            skills=[(python, 4)],
            windows=[(days(1), days(9)), (days(20), days(40))],
            interests=["maps"],
            about="Geography student.",
            learning_goals=["GIS"],
            weekly_hours=15,
        )
        profile = user.student_profile
        assert profile.pk != user.pk
        row = adapter.profiles_for_matching(StudentProfile.objects.filter(pk=profile.pk)).get()

        assert adapter.student_input(row) == StudentInput(
            id=profile.pk,
            skills={python.pk: 4},
            interests=["maps"],
            about="Geography student.",
            learning_goals=["GIS"],
            weekly_hours=15,
            windows=[(days(1), days(9)), (days(20), days(40))],
        )

    @pytest.mark.parametrize("count", [2, 12])
    def test_no_query_per_row(self, count, django_assert_num_queries):
        skills = SkillFactory.create_batch(3)
        for _ in range(count):
            make_project(required=[(skills[0], 2)], preferred=[(skills[1], 1)])
            make_student(skills=[(s, 2) for s in skills], windows=[(days(1), days(50))])

        with django_assert_num_queries(2):  # projects, their skills with the skill
            projects = [
                adapter.project_input(p)
                for p in adapter.projects_for_matching(Project.objects.all())
            ]
        with django_assert_num_queries(3):  # profiles, skills, windows
            students = [
                adapter.student_input(p)
                for p in adapter.profiles_for_matching(StudentProfile.objects.all())
            ]
        assert len(projects) == count
        assert len(students) == count

    def test_a_blank_profile(self, python):
        assert adapter.is_blank(StudentInput(id=1, weekly_hours=10))
        assert adapter.is_blank(StudentInput(id=1, interests=[" "]))
        assert not adapter.is_blank(StudentInput(id=1, skills={python.pk: 1}))
        assert not adapter.is_blank(StudentInput(id=1, about="I like maps"))
        assert not adapter.is_blank(StudentInput(id=1, learning_goals=["SQL"]))


def indexed_ids(index) -> list[int]:
    if isinstance(index, StudentIndex):
        return index.student_ids()
    return sorted(index.ids.tolist())


class TestProjectIndex:
    def test_covers_the_projects_discovery_lists(self):
        listed = [ProjectFactory(), ProjectFactory(application_deadline=days(0))]
        ProjectFactory(status=Project.Status.DRAFT, published_at=None)
        ProjectFactory(status=Project.Status.CLOSED)
        ProjectFactory(status=Project.Status.ARCHIVED)
        ProjectFactory(application_deadline=days(-1))

        catalog = adapter.project_index()

        assert indexed_ids(catalog.index) == sorted(p.pk for p in listed)
        assert indexed_ids(catalog.index) == sorted(
            discover_projects(ProjectFilters()).values_list("pk", flat=True)
        )

    def test_knows_the_names_of_the_skills_asked_for(self, python, sql):
        make_project(required=[(python, 2)], preferred=[(sql, 1)])
        assert adapter.project_index().skill_names == {python.pk: "Python", sql.pk: "SQL"}

    def test_built_once_then_one_query_a_request(self, django_assert_num_queries):
        ProjectFactory.create_batch(3)
        with django_assert_num_queries(3):  # version, projects, skills
            first = adapter.project_index()
        with django_assert_num_queries(1):  # version
            again = adapter.project_index()
        assert again is first

    def test_shared_through_djangos_cache(self, django_assert_num_queries):
        """Another process (here: this one, forgetting what it kept) loads it from the cache."""
        ProjectFactory.create_batch(2)
        first = adapter.project_index()
        adapter._kept.clear()
        with django_assert_num_queries(1):
            again = adapter.project_index()
        assert indexed_ids(again.index) == indexed_ids(first.index)

    def test_clearing_the_cache_rebuilds_it(self, django_assert_num_queries):
        from django.core.cache import cache

        ProjectFactory()
        first = adapter.project_index()
        cache.clear()
        with django_assert_num_queries(3):
            again = adapter.project_index()
        assert again is not first


class TestProjectIndexFollowsChanges:
    """Each change that alters what the index holds gives it a new version."""

    @pytest.fixture
    def project(self):
        return ProjectFactory()

    @pytest.fixture
    def member(self, project):
        return project.mentor

    def test_publishing_adds_the_project(self, project, member):
        draft = ProjectFactory(
            organization=project.organization,
            mentor=member,
            status=Project.Status.DRAFT,
            published_at=None,
        )
        assert indexed_ids(adapter.project_index().index) == [project.pk]

        project_status.change(draft, "publish", by=member)

        assert indexed_ids(adapter.project_index().index) == sorted([project.pk, draft.pk])

    def test_closing_removes_the_project(self, project, member):
        other = ProjectFactory()
        assert indexed_ids(adapter.project_index().index) == sorted([project.pk, other.pk])

        project_status.change(project, "close", by=member)

        assert indexed_ids(adapter.project_index().index) == [other.pk]

    def test_reopening_adds_it_back(self, project, member):
        project_status.change(project, "close", by=member)
        assert indexed_ids(adapter.project_index().index) == []

        project_status.change(Project.objects.get(pk=project.pk), "reopen", by=member)

        assert indexed_ids(adapter.project_index().index) == [project.pk]

    def test_closing_one_and_publishing_another_at_once(self, project, member):
        """The same number of open projects, but not the same ones."""
        draft = ProjectFactory(
            organization=project.organization,
            mentor=member,
            status=Project.Status.DRAFT,
            published_at=None,
        )
        adapter.project_index()

        project_status.change(project, "close", by=member)
        project_status.change(draft, "publish", by=member)

        assert indexed_ids(adapter.project_index().index) == [draft.pk]

    def test_archiving_removes_the_project(self, project, member):
        adapter.project_index()
        project_status.change(project, "archive", by=member)
        assert indexed_ids(adapter.project_index().index) == []

    def test_an_edit_is_seen(self, project, member, python):
        adapter.project_index()

        project_services.update_project(
            project,
            by=member,
            data={
                "title": "Mapping bike lanes",
                "skills": [{"skill": python.pk, "min_level": 3, "is_required": True}],
            },
        )

        (indexed,) = adapter.project_index().index.items
        assert indexed.text.startswith("Mapping bike lanes")
        assert indexed.required == {python.pk: 3}

    def test_a_deadline_passing_removes_the_project(self, project):
        adapter.project_index()
        tomorrow_after_deadline = project.application_deadline + datetime.timedelta(days=1)
        assert indexed_ids(adapter.project_index(tomorrow_after_deadline).index) == []


class TestStudentIndex:
    def test_holds_only_discoverable_active_students(self):
        shown = make_student(discoverable=True)
        make_student(discoverable=False)
        gone = make_student(discoverable=True)
        gone.is_active = False
        gone.save()

        assert indexed_ids(adapter.student_index()) == [shown.student_profile.pk]

    def test_built_once_then_no_query_while_no_profile_is_saved(self, django_assert_num_queries):
        make_student(discoverable=True)
        with django_assert_num_queries(4):  # version, profiles, skills, windows
            first = adapter.student_index()
        with django_assert_num_queries(0):
            assert adapter.student_index() is first

    def test_a_change_skipping_the_signals_shows_once_verified(
        self, monkeypatch, django_assert_num_queries
    ):
        user = make_student(discoverable=True)
        adapter.student_index()
        StudentProfile.objects.filter(user=user).update(discoverable=False)
        assert indexed_ids(adapter.student_index()) == [user.student_profile.pk]

        monkeypatch.setattr(adapter, "VERIFY_SECONDS", 0)
        # version, the profiles edited since (none: profiles, skills, windows), every id
        with django_assert_num_queries(5):
            assert indexed_ids(adapter.student_index()) == []

    def test_a_sign_in_does_not_count_as_a_change(self, client):
        user = make_student(discoverable=True)
        adapter.student_index()
        before = cache.get(adapter.CHANGED_KEY)
        client.force_login(user)
        assert cache.get(adapter.CHANGED_KEY) == before

    def test_becoming_discoverable_or_hidden_is_seen(self):
        user = make_student(discoverable=False)
        profile = user.student_profile
        assert indexed_ids(adapter.student_index()) == []

        profile_services.update_profile(profile, by=user, data={"discoverable": True})
        assert indexed_ids(adapter.student_index()) == [profile.pk]

        profile_services.update_profile(profile, by=user, data={"discoverable": False})
        assert indexed_ids(adapter.student_index()) == []

    def test_a_profile_edit_is_seen(self, python):
        user = make_student(discoverable=True)
        adapter.student_index()

        profile_services.update_profile(
            user.student_profile,
            by=user,
            data={"skills": [(python.pk, 4)], "availability": [(days(3), days(20))]},
        )

        index = adapter.student_index()
        profile = adapter.profiles_for_matching(StudentProfile.objects.filter(user=user)).get()
        edited = adapter.student_input(profile)
        assert edited.skills == {python.pk: 4}
        # The index holds the profile as edited: scoring that raises no "changed".
        assert index._rows([edited]).tolist() == [0]

    def test_read_as_the_model_rows_read(self, python, sql):
        for n in range(4):
            make_student(
                discoverable=True,
                skills=[(python, 1 + n % 4), (sql, 2)][: 1 + n % 2],
                windows=[(days(10 + n), days(30)), (days(1), days(5))][: n % 3],
                interests=[f"topic {n}"],
                about="Surveys",
                learning_goals=["SQL"],
                weekly_hours=5 + n,
            )
        rows = adapter.discoverable_profiles()
        models = adapter.profiles_for_matching(rows).order_by("pk")
        assert list(adapter.student_inputs(rows)) == [adapter.student_input(p) for p in models]

    def test_an_edit_updates_the_index_without_a_rebuild(
        self, python, sql, django_assert_max_num_queries
    ):
        users = [
            make_student(discoverable=True, skills=[(python, 2)], interests=["surveys"])
            for _ in range(3)
        ]
        project = adapter.project_input(make_project(required=[(python, 3)], preferred=[(sql, 1)]))
        first = adapter.student_index()

        profile_services.update_profile(
            users[1].student_profile,
            by=users[1],
            data={"skills": [(python.pk, 4), (sql.pk, 2)], "interests": ["dashboards"]},
        )
        with django_assert_max_num_queries(4):  # the profiles saved since, rows, skills, windows
            index = adapter.student_index()

        assert index is first
        rebuilt = StudentIndex(adapter.student_inputs(adapter.discoverable_profiles()))
        assert index.best(project, None) == rebuilt.best(project, None)
        assert index.best(project, 1) == [users[1].student_profile.pk]

    def test_a_profile_edit_is_followed_without_scanning_the_profiles(self, python, monkeypatch):
        users = [make_student(discoverable=True) for _ in range(3)]
        adapter.student_index()
        profile_services.update_profile(
            users[0].student_profile, by=users[0], data={"skills": [(python.pk, 3)]}
        )
        with CaptureQueriesContext(connection) as followed:
            adapter.student_index()
        # Only rows found by their updated_at or id: no count, sum or max over the profiles.
        assert len(followed) == 4
        assert not any("COUNT(" in q["sql"] or "SUM(" in q["sql"] for q in followed)

        # The version it keeps is the rows' own: the next check finds nothing to catch up.
        monkeypatch.setattr(adapter, "VERIFY_SECONDS", 0)
        with CaptureQueriesContext(connection) as verified:
            adapter.student_index()
        assert len(verified) == 1

    def test_an_account_closed_or_reopened_is_seen(self):
        shown, closed = make_student(discoverable=True), make_student(discoverable=True)
        adapter.student_index()

        closed.is_active = False
        closed.save()
        assert indexed_ids(adapter.student_index()) == [shown.student_profile.pk]

        closed.is_active = True
        closed.save()
        assert indexed_ids(adapter.student_index()) == sorted(
            [shown.student_profile.pk, closed.student_profile.pk]
        )

    def test_clearing_the_cache_rebuilds_it(self):
        make_student(discoverable=True)
        first = adapter.student_index()
        cache.clear()
        assert adapter.student_index() is not first


# --------------------------------------------------------------------------------------------
# Reasons and their sentences
# --------------------------------------------------------------------------------------------

MONDAY = datetime.date(2030, 1, 7)


def engine_pairs():
    """Students and projects that make the engine give most kinds of reason it has."""
    skills = {1: "Python", 2: "SQL", 3: "Figma"}
    projects = [
        ProjectInput(id=1, starts_on=MONDAY, ends_on=MONDAY + datetime.timedelta(days=11)),
        ProjectInput(
            id=2,
            required={1: 3},
            preferred={2: 2},
            text="survey dashboard python",
            learning_outcomes=["data visualisation"],
            starts_on=MONDAY,
            ends_on=MONDAY + datetime.timedelta(days=25),
            hours_per_week=10,
        ),
        ProjectInput(
            id=3,
            required={1: 3, 2: 3, 3: 2},
            preferred={1: 4, 3: 3},
            text="design research interviews",
            learning_outcomes=["user research"],
            starts_on=MONDAY,
            ends_on=MONDAY + datetime.timedelta(days=4),
            hours_per_week=20,
        ),
    ]
    students = [
        StudentInput(id=1),
        StudentInput(
            id=2,
            skills={1: 3, 2: 3, 3: 2},
            interests=["dashboard"],
            learning_goals=["data visualisation"],
            weekly_hours=20,
            windows=[(MONDAY, MONDAY + datetime.timedelta(days=60))],
        ),
        StudentInput(
            id=3,
            skills={1: 2, 2: 1},
            about="I like cooking",
            learning_goals=["baking"],
            weekly_hours=5,
            windows=[(MONDAY + datetime.timedelta(days=2), MONDAY + datetime.timedelta(days=3))],
        ),
    ]
    for student, project in itertools.product(students, projects):
        yield score_fit(student, project, skill_names=skills)


def texts(shown) -> list[str]:
    return [reason.text for reason in shown]


class TestReasons:
    def test_every_reason_keeps_its_code_and_parameters(self):
        for fit in engine_pairs():
            for for_organization in (False, True):
                shown = adapter.to_fit(fit, for_organization=for_organization).reasons
                assert [(r.code, r.component, r.params) for r in shown] == [
                    (r.code, r.component, dict(r.params)) for r in fit.reasons
                ]

    def test_the_organization_reads_about_the_student_never_to_them(self):
        for fit in engine_pairs():
            org = adapter.to_fit(fit, for_organization=True)
            assert len(org.reasons) == len(fit.reasons)
            for text in texts([*org.reasons, *org.top_reasons]):
                words = text.lower().replace(",", " ").split()
                assert not {"you", "your", "you:"} & set(words), text

    def test_rephrased_sentences(self):
        fit = score_fit(
            StudentInput(id=1, skills={1: 2}, weekly_hours=5),
            ProjectInput(
                id=1,
                required={1: 3, 2: 1},
                starts_on=MONDAY,
                ends_on=MONDAY + datetime.timedelta(days=4),
                hours_per_week=10,
            ),
            skill_names={1: "Python", 2: "SQL"},
        )
        reasons = texts(adapter.to_fit(fit, for_organization=True).reasons)
        assert "Has 0 of the 2 required skills at the level asked" in reasons
        assert "One level short: Python (asked: proficient, has: working)" in reasons
        assert "Missing: SQL (asked: beginner)" in reasons
        assert "Can give 5 of the 10 hours a week asked" in reasons
        assert (
            "Has not limited their dates, so counts as available for all 5 working days" in reasons
        )

    def test_the_student_reads_the_sentences_written_to_them(self):
        for fit in engine_pairs():
            assert texts(adapter.to_fit(fit).reasons) == [sentence(r) for r in fit.reasons]

    def test_top_reasons_are_the_heads_of_the_parts_adding_most(self):
        fit = score_fit(
            StudentInput(id=1, skills={1: 3}, interests=["cooking"], weekly_hours=10),
            ProjectInput(
                id=1,
                required={1: 3},
                text="survey analysis",
                starts_on=MONDAY,
                ends_on=MONDAY + datetime.timedelta(days=4),
                hours_per_week=10,
            ),
            skill_names={1: "Python"},
        )
        shown = adapter.to_fit(fit)
        # required (0.35 x 1) and availability (0.20 x 1) add most; "lists no preferred
        # skills" is a remark, never a reason.
        assert texts(shown.top_reasons) == [
            "You have the required skill at the level asked",
            "You have not limited your dates, so you count as available for all 5 working days",
            "Your interests and this project's description have no words in common",
        ]
        assert shown.percent == round(fit.score * 100)
        assert shown.eligible

    def test_failed_constraints_lead(self):
        fit_project = ProjectInput(
            id=1, starts_on=MONDAY, ends_on=MONDAY, hours_per_week=10, text="survey"
        )
        fit = score_fit(StudentInput(id=1, weekly_hours=2), fit_project)
        failures = hard_constraint_failures(StudentInput(id=1, weekly_hours=2), fit_project)
        assert [r.code for r in failures] == ["too_few_hours"]
        shown = adapter.to_fit(fit, failures=failures)
        assert not shown.eligible
        failure = "You can give 2 hours a week; this project asks for 10"
        assert shown.top_reasons[0].text == failure
        assert shown.reasons[0].text == failure
        assert shown.reasons[0].params == {"weekly_hours": 2, "hours_asked": 10}
        assert texts(shown.reasons[1:]) == [sentence(r) for r in fit.reasons]

    def test_parts_show_each_component_and_its_weight(self):
        fit = next(engine_pairs())
        parts = adapter.to_fit(fit).parts
        assert [label for label, _, _ in parts] == list(adapter.COMPONENT_LABELS.values())
        assert sum(weight for _, _, weight in parts) == 100


def test_an_updated_at_in_the_future_still_follows_changes():
    """The version sums ids as well: a clock running ahead on one server cannot hide a
    project closing when another opens."""
    ahead = ProjectFactory(updated_at=timezone.now() + datetime.timedelta(hours=1))
    first = ProjectFactory()
    adapter.project_index()
    Project.objects.filter(pk=first.pk).update(status=Project.Status.CLOSED)
    second = ProjectFactory()
    assert indexed_ids(adapter.project_index().index) == sorted([ahead.pk, second.pk])
