"""The Django side of the engine: rows → inputs → deferred_acceptance → results → offers."""

import random

import pytest

from practicum.core.errors import Conflict
from practicum.engagements.models import Application
from practicum.matching.stable import deferred_acceptance, is_stable
from practicum.projects.models import Project
from practicum.rounds import selectors, services
from practicum.rounds.models import MatchRound, ProjectChoice, RoundResult
from tests.factories import ApplicationFactory, ProjectFactory

from .conftest import later, student_of

pytestmark = pytest.mark.django_db


def ids(match_round, students, projects):
    """RoundStudent and RoundProject ids by user and project, for reading inputs."""
    entries = {e.student_id: e.pk for e in match_round.students.all()}
    places = {e.project_id: e.pk for e in match_round.projects.all()}
    return [entries[s.pk] for s in students], [places[p.pk] for p in projects]


class TestInputs:
    def test_rankings_become_preference_lists_by_position(self, ranked):
        (ada, ben, cleo), (a, b) = ids(
            ranked.round, ranked.students, [ranked.project_a, ranked.project_b]
        )

        inputs = selectors.match_inputs(ranked.round)

        assert inputs.student_prefs == {ada: [a, b], ben: [a, b], cleo: [b]}
        assert inputs.project_prefs == {a: [ben, ada], b: [ada, cleo]}
        assert inputs.capacities == {a: 1, b: 2}

    def test_a_student_who_ranked_nothing_is_in_with_an_empty_list(self, ranking_round, students):
        (ada, ben, cleo), _ = ids(ranking_round, students, [])

        inputs = selectors.match_inputs(ranking_round)

        assert inputs.student_prefs == {ada: [], ben: [], cleo: []}

    def test_a_project_ranking_keeps_only_students_who_still_rank_it(self, ranked):
        _ada, ben, _ = ranked.students
        services.rank_projects(ranked.round, by=ben, project_ids=[ranked.project_b.pk])
        (_, ben_entry, _), (a,) = ids(ranked.round, ranked.students, [ranked.project_a])

        inputs = selectors.match_inputs(ranked.round)

        assert ben_entry not in inputs.project_prefs[a]

    def test_a_student_whose_application_is_past_answering_is_not_ranked_back(self, ranked):
        ada = ranked.students[0]
        ApplicationFactory(project=ranked.project_b, student=ada, status="withdrawn")
        (_ada_entry, _, cleo_entry), (_, b) = ids(
            ranked.round, ranked.students, [ranked.project_a, ranked.project_b]
        )

        inputs = selectors.match_inputs(ranked.round)

        assert inputs.project_prefs[b] == [cleo_entry]

    def test_places_shrink_when_taken_outside_the_round(self, ranked):
        ApplicationFactory(project=ranked.project_b, status="accepted")
        _, (a, b) = ids(ranked.round, [], [ranked.project_a, ranked.project_b])

        assert selectors.match_inputs(ranked.round).capacities == {a: 1, b: 1}

    def test_an_archived_project_has_no_places(self, ranked):
        Project.objects.filter(pk=ranked.project_a.pk).update(status=Project.Status.ARCHIVED)
        _, (a,) = ids(ranked.round, [], [ranked.project_a])

        assert selectors.match_inputs(ranked.round).capacities[a] == 0

    def test_a_fixed_number_of_queries(self, ranked, django_assert_num_queries):
        with django_assert_num_queries(5):
            selectors.match_inputs(ranked.round)


class TestRun:
    def test_results_are_the_stable_match_with_choice_numbers(self, matched):
        ada, ben, cleo = matched.students
        results = {
            r.round_student.student_id: r
            for r in RoundResult.objects.select_related("round_student", "round_project")
        }

        assert results[ben.pk].round_project.project_id == matched.project_a.pk
        assert results[ben.pk].choice == 1
        assert results[ada.pk].round_project.project_id == matched.project_b.pk
        assert results[ada.pk].choice == 2
        assert results[cleo.pk].round_project.project_id == matched.project_b.pk
        assert results[cleo.pk].choice == 1
        assert all(r.reason == "" for r in results.values())

    def test_the_stored_result_is_the_engines_stable_matching(self, matched):
        inputs = selectors.match_inputs(matched.round)
        stored = {
            r.round_student_id: r.round_project_id
            for r in RoundResult.objects.filter(round_student__round=matched.round)
        }

        assert stored == deferred_acceptance(
            inputs.student_prefs, inputs.project_prefs, inputs.capacities
        )
        assert is_stable(stored, inputs.student_prefs, inputs.project_prefs, inputs.capacities)

    def test_places_used_are_kept_for_the_fill_rate(self, matched):
        places = dict(matched.round.projects.values_list("project_id", "places_at_run"))

        assert places == {matched.project_a.pk: 1, matched.project_b.pk: 2}


class TestReproducible:
    def test_running_again_gives_the_same_result(self, ranked):
        def run() -> dict:
            services.run_round(ranked.round, by=ranked.staff, force=True)
            outcome = dict(
                RoundResult.objects.filter(round_student__round=ranked.round).values_list(
                    "round_student__student_id", "round_project__project_id"
                )
            )
            services.reopen_ranking(ranked.round, by=ranked.staff)
            return outcome

        assert run() == run() == run()

    def test_the_order_rows_were_written_in_does_not_matter(self, staff, institution):
        """Two rounds with the same rankings, entered in opposite orders, match alike."""
        projects = [ProjectFactory(title=f"P{i}", capacity=1 + i % 2) for i in range(4)]
        people = [student_of(institution, name=f"S{i}") for i in range(8)]
        rng = random.Random(6)
        choices = {s.pk: rng.sample([p.pk for p in projects], 3) for s in people}
        ranks = {
            p.pk: [s.pk for s in rng.sample(people, len(people)) if p.pk in choices[s.pk]]
            for p in projects
        }

        def run(project_order: list, student_order: list) -> dict:
            match_round = services.create_round(
                by=staff, name="R", institution=institution, ranking_deadline=later(days=3)
            )
            for project in project_order:
                services.add_project(match_round, by=staff, project=project)
            services.add_students(match_round, by=staff, emails=[s.email for s in student_order])
            match_round = services.open_ranking(match_round, by=staff)
            for student in student_order:
                services.rank_projects(match_round, by=student, project_ids=choices[student.pk])
            for project in project_order:
                entry = match_round.projects.select_related("project").get(project=project)
                # The mentor is a member of the project's organization: members rank.
                services.rank_applicants(entry, by=project.mentor, student_ids=ranks[project.pk])
            services.run_round(match_round, by=staff, force=True)
            return dict(
                RoundResult.objects.filter(round_student__round=match_round).values_list(
                    "round_student__student_id", "round_project__project_id"
                )
            )

        first = run(projects, people)
        assert first == run(projects[::-1], people[::-1])
        assert sum(1 for project in first.values() if project) >= 4


class TestUnmatchedReasons:
    @pytest.fixture
    def outcome(self, ranking_round, staff, students, project_a, project_b, org_owner):
        """Ada ranks nothing; Ben ranks only B, which ranks nobody; Cleo and a fourth student
        rank A (1 place), which takes Cleo first."""
        _ada, ben, cleo = students
        dora = student_of(staff.staff_roles.get().institution, name="Dora")
        services.add_students(ranking_round, by=staff, emails=[dora.email])
        services.rank_projects(ranking_round, by=ben, project_ids=[project_b.pk])
        services.rank_projects(ranking_round, by=cleo, project_ids=[project_a.pk])
        services.rank_projects(ranking_round, by=dora, project_ids=[project_a.pk])
        entry_a = ranking_round.projects.get(project=project_a)
        services.rank_applicants(entry_a, by=org_owner, student_ids=[cleo.pk, dora.pk])
        services.run_round(ranking_round, by=staff, force=True)
        return {
            r.round_student.student.name: r
            for r in RoundResult.objects.select_related("round_student__student")
        }

    def test_each_unmatched_student_gets_a_code(self, outcome):
        assert outcome["Ada"].reason == "no_ranking"
        assert outcome["Ben"].reason == "not_ranked_back"
        assert outcome["Dora"].reason == "filled_with_higher"
        # The admin's label is the sentence about the student.
        assert outcome["Ben"].get_reason_display() == "No project they ranked ranked them"
        assert outcome["Cleo"].is_matched and outcome["Cleo"].reason == ""
        assert outcome["Dora"].choice is None and outcome["Dora"].round_project is None

    def test_no_places_when_the_project_filled_outside_the_round(self, ranked):
        ApplicationFactory(project=ranked.project_a, status="accepted")
        services.run_round(ranked.round, by=ranked.staff, force=True)
        ben = ranked.students[1]

        result = RoundResult.objects.get(round_student__student=ben)

        # A has no place left; B does not rank Ben.
        assert result.reason == "no_places"


class TestOffers:
    def test_publishing_turns_every_match_into_an_offer(self, published):
        ada, ben, cleo = published.students

        offers = {
            (a.student_id, a.project_id): a
            for a in Application.objects.filter(status=Application.Status.OFFERED)
        }

        assert set(offers) == {
            (ben.pk, published.project_a.pk),
            (ada.pk, published.project_b.pk),
            (cleo.pk, published.project_b.pk),
        }
        offer = offers[(ben.pk, published.project_a.pk)]
        assert "Spring cohort" in offer.pitch
        assert "Spring cohort" in offer.offer_message
        assert offer.offer_expires_at > offer.offered_at
        result = RoundResult.objects.get(round_student__student=ben)
        assert result.application == offer
        assert published.round.state == MatchRound.State.PUBLISHED
        assert published.round.published_at is not None

    def test_an_existing_application_moves_to_offered(self, matched):
        ben = matched.students[1]
        application = ApplicationFactory(project=matched.project_a, student=ben)
        pitch = application.pitch

        services.publish_round(matched.round, by=matched.staff)

        application.refresh_from_db()
        assert application.status == Application.Status.OFFERED
        assert application.pitch == pitch  # the student's own words stay
        assert RoundResult.objects.get(round_student__student=ben).application == application

    def test_one_offer_that_cannot_be_made_publishes_nothing(self, matched):
        ben = matched.students[1]
        ApplicationFactory(project=matched.project_a, student=ben, status="rejected")

        with pytest.raises(Conflict) as refused:
            services.publish_round(matched.round, by=matched.staff)

        assert refused.value.code == "offer_failed"
        assert "Survey analysis" in refused.value.message
        assert not Application.objects.filter(status=Application.Status.OFFERED).exists()
        assert not RoundResult.objects.filter(application__isnull=False).exists()
        matched.round.refresh_from_db()
        assert matched.round.state == MatchRound.State.MATCHED

    def test_choices_outlive_a_removed_project_in_order(self, ranked):
        ada = ranked.students[0]
        entry_a = ranked.round.projects.get(project=ranked.project_a)
        services.remove_project(entry_a, by=ranked.staff)
        services.run_round(ranked.round, by=ranked.staff, force=True)

        result = RoundResult.objects.get(round_student__student=ada)

        assert ProjectChoice.objects.filter(round_student__student=ada).count() == 1
        assert result.round_project.project == ranked.project_b
        assert result.choice == 1
