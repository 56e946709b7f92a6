"""Students rank projects; organizations rank the students who chose them, or adopt fit order."""

import pytest
from django.core.exceptions import ValidationError

from practicum.core.errors import Conflict, Refused
from practicum.rounds import selectors, services
from practicum.rounds.models import ApplicantRank, ProjectChoice, RoundProject
from tests.factories import ProjectFactory, ProjectSkillFactory, SkillFactory, StudentSkillFactory

from .conftest import later, pass_deadline, student_of

pytestmark = pytest.mark.django_db


def choices_of(student) -> list[int]:
    return list(
        ProjectChoice.objects.filter(round_student__student=student)
        .order_by("position")
        .values_list("round_project__project_id", flat=True)
    )


def ranks_of(entry: RoundProject) -> list[int]:
    return list(
        ApplicantRank.objects.filter(round_project=entry)
        .order_by("position")
        .values_list("round_student__student_id", flat=True)
    )


class TestStudentRanking:
    def test_a_student_ranks_and_reranks(self, ranking_round, students, project_a, project_b):
        ada = students[0]

        services.rank_projects(ranking_round, by=ada, project_ids=[project_b.pk, project_a.pk])
        assert choices_of(ada) == [project_b.pk, project_a.pk]

        services.rank_projects(ranking_round, by=ada, project_ids=[project_a.pk])
        assert choices_of(ada) == [project_a.pk]

        services.rank_projects(ranking_round, by=ada, project_ids=[])
        assert choices_of(ada) == []

    def test_at_most_ten(self, ranking_round, staff, students):
        projects = [ProjectFactory() for _ in range(11)]
        for project in projects:
            services.add_project(ranking_round, by=staff, project=project)
        ada = students[0]

        services.rank_projects(ranking_round, by=ada, project_ids=[p.pk for p in projects[:10]])
        with pytest.raises(ValidationError) as refused:
            services.rank_projects(ranking_round, by=ada, project_ids=[p.pk for p in projects])

        assert "Rank at most 10 projects" in refused.value.message_dict["projects"][0]
        assert len(choices_of(ada)) == 10

    def test_duplicates_and_projects_outside_the_round_are_refused(
        self, ranking_round, students, project_a
    ):
        outside = ProjectFactory()

        with pytest.raises(ValidationError) as refused:
            services.rank_projects(
                ranking_round,
                by=students[0],
                project_ids=[project_a.pk, project_a.pk, outside.pk],
            )

        assert refused.value.message_dict["projects"] == [
            "“Survey analysis” is ranked more than once.",
            f"Project {outside.pk} is not in this round.",
        ]
        assert choices_of(students[0]) == []

    def test_ids_only(self, ranking_round, students):
        for bad in (["1"], [True], "1,2", None):
            with pytest.raises(ValidationError):
                services.rank_projects(ranking_round, by=students[0], project_ids=bad)

    def test_only_while_ranking_is_open_and_before_the_deadline(
        self, ranking_round, students, project_a
    ):
        pass_deadline(ranking_round)

        with pytest.raises(Conflict) as refused:
            services.rank_projects(ranking_round, by=students[0], project_ids=[project_a.pk])

        assert refused.value.code == "ranking_closed"

    def test_not_after_the_run(self, matched):
        with pytest.raises(Conflict) as refused:
            services.rank_projects(matched.round, by=matched.students[0], project_ids=[])

        assert refused.value.code == "ranking_closed"

    def test_only_the_rounds_students(
        self, ranking_round, draft_round, outsider_student, org_owner, staff, project_a
    ):
        for user in (outsider_student, org_owner, staff):
            with pytest.raises(Refused):
                services.rank_projects(ranking_round, by=user, project_ids=[project_a.pk])

    def test_not_while_the_round_is_a_draft(self, draft_round, students, project_a):
        with pytest.raises(Refused):
            services.rank_projects(draft_round, by=students[0], project_ids=[project_a.pk])


class TestApplicantRanking:
    @pytest.fixture
    def chosen(self, ranking_round, students, project_a, project_b):
        """Ada and Ben rank A; Cleo ranks only B."""
        ada, ben, cleo = students
        services.rank_projects(ranking_round, by=ada, project_ids=[project_a.pk])
        services.rank_projects(ranking_round, by=ben, project_ids=[project_a.pk, project_b.pk])
        services.rank_projects(ranking_round, by=cleo, project_ids=[project_b.pk])
        return selectors.round_project(ranking_round, project_a.pk)

    def test_members_rank_the_students_who_chose_the_project(
        self, chosen, students, org_owner, org_mentor
    ):
        ada, ben, _ = students

        services.rank_applicants(chosen, by=org_mentor, student_ids=[ben.pk, ada.pk])

        assert ranks_of(chosen) == [ben.pk, ada.pk]
        chosen.refresh_from_db()
        assert chosen.ranking_method == RoundProject.RankingMethod.MANUAL
        assert chosen.ranked_by == org_mentor
        services.rank_applicants(chosen, by=org_owner, student_ids=[ada.pk])
        assert ranks_of(chosen) == [ada.pk]

    def test_only_students_who_ranked_the_project_each_once(
        self, chosen, students, org_owner, outsider_student
    ):
        ada, _, cleo = students

        with pytest.raises(ValidationError) as refused:
            services.rank_applicants(
                chosen, by=org_owner, student_ids=[ada.pk, ada.pk, cleo.pk, outsider_student.pk]
            )

        assert refused.value.message_dict["students"] == [
            f"Student {ada.pk} is ranked more than once.",
            f"Student {cleo.pk} did not rank this project in the round.",
            f"Student {outsider_student.pk} did not rank this project in the round.",
        ]
        assert ranks_of(chosen) == []

    def test_only_its_organization(self, chosen, other_owner, staff, students):
        for user in (other_owner, staff, students[0]):
            with pytest.raises(Refused):
                services.rank_applicants(chosen, by=user, student_ids=[])
            with pytest.raises(Refused):
                services.adopt_fit_order(chosen, by=user)

    def test_after_the_students_deadline_until_the_run(self, chosen, students, org_owner, staff):
        pass_deadline(chosen.round)
        services.rank_applicants(chosen, by=org_owner, student_ids=[students[0].pk])

        services.run_round(chosen.round, by=staff)

        with pytest.raises(Conflict) as refused:
            services.rank_applicants(chosen, by=org_owner, student_ids=[])
        assert refused.value.code == "ranking_closed"
        with pytest.raises(Conflict):
            services.adopt_fit_order(chosen, by=org_owner)

    def test_applicants_list_ranked_first_in_order(self, chosen, students, org_owner):
        ada, ben, _ = students
        services.rank_applicants(chosen, by=org_owner, student_ids=[ben.pk])

        listed = selectors.applicants_of(chosen)

        assert [(a.student, a.position) for a in listed] == [(ben, 1), (ada, None)]


class TestAdoptFitOrder:
    @pytest.fixture
    def fitted(self, staff, institution, org_owner, project_a):
        """Zed (lowest id), Abe and Mia rank A, which requires a skill only Mia holds.
        Zed and Abe have the same empty profile: their scores tie."""
        skill = SkillFactory(name="Statistics")
        ProjectSkillFactory(project=project_a, skill=skill, min_level=2)
        zed, abe, mia = (student_of(institution, name=n) for n in ("Zed", "Abe", "Mia"))
        StudentSkillFactory(profile=mia.student_profile, skill=skill, level=3)
        match_round = services.create_round(
            by=staff,
            name="R",
            institution=institution,
            ranking_deadline=later(days=7),
        )
        services.add_project(match_round, by=staff, project=project_a)
        services.add_students(match_round, by=staff, emails=[zed.email, abe.email, mia.email])
        match_round = services.open_ranking(match_round, by=staff)
        for student in (zed, abe, mia):
            services.rank_projects(match_round, by=student, project_ids=[project_a.pk])
        return selectors.round_project(match_round, project_a.pk), (zed, abe, mia)

    def test_best_fit_first_ties_by_student_id(self, fitted, org_owner):
        entry, (zed, abe, mia) = fitted
        assert zed.pk < abe.pk

        ranked = services.adopt_fit_order(entry, by=org_owner)

        assert ranked == [mia.pk, zed.pk, abe.pk]
        assert ranks_of(entry) == ranked
        entry.refresh_from_db()
        assert entry.ranking_method == RoundProject.RankingMethod.FIT

    def test_the_scores_shown_are_the_ones_ordered_by(self, fitted):
        entry, (zed, abe, mia) = fitted

        applicants = {a.student: a for a in selectors.applicants_with_fit(entry)}

        assert applicants[mia].fit > applicants[zed].fit == applicants[abe].fit
        assert 0 <= applicants[zed].fit_percent <= 100

    def test_a_fixed_number_of_queries(self, fitted, django_assert_num_queries):
        entry, _ = fitted
        # The applicants (2), the project with its skills (2), the profiles with theirs (3).
        with django_assert_num_queries(7):
            selectors.fit_order(entry)
