"""The round pages, each for the users it serves and those it refuses."""

import pytest
from django.urls import reverse

from practicum.engagements.models import Application
from practicum.rounds import selectors, services
from practicum.rounds.models import ApplicantRank, MatchRound, ProjectChoice, RoundProject
from tests.factories import MembershipFactory, ProjectFactory

from .conftest import later, pass_deadline, student_of

pytestmark = pytest.mark.django_db

State = MatchRound.State


def html_of(response) -> str:
    return response.content.decode()


def url(name: str, *args) -> str:
    return reverse(f"rounds:{name}", args=args)


def test_url_names_and_paths():
    assert url("list") == "/rounds/"
    assert url("create") == "/rounds/new/"
    assert url("mine") == "/rounds/mine/"
    assert url("detail", 4) == "/rounds/4/"
    assert url("preview", 4) == "/rounds/4/preview/"
    assert url("my_ranking", 4) == "/rounds/4/ranking/"
    assert url("applicants", 4, 9) == "/rounds/4/projects/9/"
    assert url("adopt_fit", 4, 9) == "/rounds/4/projects/9/adopt-fit/"
    for action in ("open", "run", "reopen", "publish", "cancel"):
        assert url(action, 4) == f"/rounds/4/{action}/"


class TestList:
    def test_staff_see_the_rounds_they_run(self, client_for, draft_round, staff):
        html = html_of(client_for(staff).get(url("list")))

        assert "Spring cohort" in html
        assert "Start a round" in html

    def test_members_see_their_projects_in_open_rounds(self, client_for, ranking_round, org_owner):
        html = html_of(client_for(org_owner).get(url("list")))

        assert "Survey analysis" in html
        assert url("applicants", ranking_round.pk, ranking_round.projects.first().project_id)
        assert "Map cleanup" not in html  # the other organization's project

    def test_students_go_to_their_own_page(self, client_for, student):
        response = client_for(student).get(url("list"))

        assert response.status_code == 302
        assert response.url == url("mine")

    def test_anonymous_log_in_first(self, client):
        assert client.get(url("list")).status_code == 302


class TestCreate:
    def test_staff_create_a_draft(self, client_for, staff, institution):
        client = client_for(staff)
        assert client.get(url("create")).status_code == 200

        response = client.post(
            url("create"),
            {
                "name": "Autumn cohort",
                "owner": f"institution:{institution.pk}",
                "ranking_deadline": later(days=3).strftime("%Y-%m-%dT%H:%M"),
            },
        )

        match_round = MatchRound.objects.get()
        assert response.status_code == 302
        assert response.url == url("detail", match_round.pk)
        assert match_round.institution == institution
        assert match_round.ranking_deadline is not None

    @pytest.mark.parametrize(
        ("name", "deadline", "error"),
        [
            ("", "", "This field is required."),
            ("R", "someday", "Enter a valid date/time."),
            ("R", "2001-01-01T10:00", "The ranking deadline must be in the future."),
        ],
    )
    def test_errors_next_to_the_fields(self, client_for, staff, institution, name, deadline, error):
        response = client_for(staff).post(
            url("create"),
            {"name": name, "owner": f"institution:{institution.pk}", "ranking_deadline": deadline},
        )

        assert response.status_code == 422
        assert error in html_of(response)
        assert not MatchRound.objects.exists()

    def test_only_for_a_body_of_ones_own(self, client_for, staff, org_owner, institution):
        response = client_for(org_owner).post(
            url("create"), {"name": "R", "owner": f"institution:{institution.pk}"}
        )

        assert response.status_code == 422
        assert "Select a valid choice" in html_of(response)

    def test_students_and_mentors_may_not(self, client_for, student, org_mentor):
        assert client_for(student).get(url("create")).status_code == 403
        assert client_for(org_mentor).get(url("create")).status_code == 403


class TestDetail:
    def test_the_staff_page(self, client_for, draft_round, staff):
        html = html_of(client_for(staff).get(url("detail", draft_round.pk)))

        for text in (
            "Spring cohort",
            "Survey analysis",
            "Map cleanup",
            "Ada",
            "Add a project",
            "Add every student of Northfield University",
            "Open ranking",
            "Cancel the round",
        ):
            assert text in html
        assert "Run the match" not in html

    def test_who_is_refused(self, client_for, ranking_round, students, org_owner, outsider_student):
        page = url("detail", ranking_round.pk)
        assert client_for(students[0]).get(page).status_code == 403
        assert client_for(org_owner).get(page).status_code == 403
        assert client_for(outsider_student).get(page).status_code == 404
        assert client_for(MembershipFactory().user).get(page).status_code == 404

    def test_a_draft_is_unknown_to_its_students(self, client_for, draft_round, students):
        assert client_for(students[0]).get(url("detail", draft_round.pk)).status_code == 404
        assert client_for(students[0]).get(url("my_ranking", draft_round.pk)).status_code == 404

    def test_unknown_round(self, client_for, staff):
        assert client_for(staff).get(url("detail", 999)).status_code == 404


class TestStaffForms:
    def test_settings_error_next_to_the_field(self, client_for, draft_round, staff):
        response = client_for(staff).post(
            url("settings", draft_round.pk), {"name": "R", "ranking_deadline": "2001-01-01T10:00"}
        )

        assert response.status_code == 422
        assert "The ranking deadline must be in the future." in html_of(response)

    def test_add_a_project(self, client_for, draft_round, staff):
        project = ProjectFactory(title="Logo redesign", capacity=3)

        response = client_for(staff).post(
            url("add_project", draft_round.pk), {"project": project.pk, "capacity": "2"}
        )

        assert response.status_code == 302
        assert draft_round.projects.get(project=project).capacity == 2

    def test_add_a_project_with_too_many_places(self, client_for, draft_round, staff):
        project = ProjectFactory(title="Logo redesign", capacity=1)

        response = client_for(staff).post(
            url("add_project", draft_round.pk), {"project": project.pk, "capacity": "5"}
        )

        assert response.status_code == 422
        assert "Only 1 place is left on this project." in html_of(response)

    def test_capacity_error_next_to_its_project(self, client_for, draft_round, staff, project_a):
        response = client_for(staff).post(
            url("set_capacity", draft_round.pk, project_a.pk), {"capacity": "7"}
        )

        html = html_of(response)
        assert response.status_code == 422
        assert "Only 1 place is left on this project." in html
        assert 'aria-invalid="true"' in html

    def test_capacity_down(self, client_for, draft_round, staff, project_b):
        client_for(staff).post(url("set_capacity", draft_round.pk, project_b.pk), {"capacity": 1})

        assert draft_round.projects.get(project=project_b).capacity == 1

    def test_add_students_errors_next_to_the_field(self, client_for, draft_round, staff):
        response = client_for(staff).post(
            url("add_students", draft_round.pk), {"emails": "ghost@example.org"}
        )

        assert response.status_code == 422
        assert "No student account uses ghost@example.org." in html_of(response)

    def test_add_students_by_email(self, client_for, draft_round, staff, institution):
        one, two = student_of(institution), student_of(institution)

        response = client_for(staff).post(
            url("add_students", draft_round.pk), {"emails": f"{one.email},\n{two.email}"}
        )

        assert response.status_code == 302
        assert draft_round.students.count() == 5

    def test_add_the_whole_institution(self, client_for, draft_round, staff, institution):
        student_of(institution)

        response = client_for(staff).post(
            url("add_institution_students", draft_round.pk), follow=True
        )

        assert "1 student joined the round." in html_of(response)

    def test_remove(self, client_for, draft_round, staff, project_a, students):
        client = client_for(staff)
        client.post(url("remove_project", draft_round.pk, project_a.pk))
        client.post(url("remove_student", draft_round.pk, students[0].pk))

        assert not draft_round.projects.filter(project=project_a).exists()
        assert not draft_round.students.filter(student=students[0]).exists()
        assert client.post(url("remove_student", draft_round.pk, 999)).status_code == 404

    def test_refused_to_others(self, client_for, ranking_round, org_owner, students):
        for user in (org_owner, students[0]):
            response = client_for(user).post(url("add_institution_students", ranking_round.pk))
            assert response.status_code == 403


class TestActions:
    def test_open_run_publish(self, client_for, ranked, staff):
        client = client_for(staff)
        pk = ranked.round.pk

        response = client.post(url("run", pk), follow=True)
        assert "Students may rank until" in html_of(response)
        assert ranked.round.projects.filter(places_at_run__isnull=False).count() == 0

        response = client.post(url("run", pk), {"force": "on"})
        assert response.url == url("preview", pk)

        response = client.post(url("publish", pk), follow=True)
        assert "The results are published" in html_of(response)
        assert MatchRound.objects.get().state == State.PUBLISHED
        assert Application.objects.filter(status="offered").count() == 3

    def test_an_illegal_move_is_explained(self, client_for, draft_round, staff):
        response = client_for(staff).post(url("publish", draft_round.pk), follow=True)

        assert "cannot be published" in html_of(response)
        assert MatchRound.objects.get().state == State.DRAFT

    def test_only_post(self, client_for, draft_round, staff):
        assert client_for(staff).get(url("open", draft_round.pk)).status_code == 405


class TestPreview:
    def test_outcomes_reasons_and_fill(self, client_for, matched, staff):
        html = html_of(client_for(staff).get(url("preview", matched.round.pk)))

        assert "Preview: only you see this" in html
        assert "3 of 3 students matched" in html
        assert "2nd choice" in html and "1st choice" in html
        assert "100%" in html
        assert "Every student is matched." in html
        assert "Publish the results" in html

    def test_unmatched_students_and_why(self, client_for, ranking_round, staff, students):
        services.run_round(ranking_round, by=staff, force=True)

        html = html_of(client_for(staff).get(url("preview", ranking_round.pk)))

        # Written about the student: the staff read it, not Ada.
        assert "Ada</strong>: Ranked no projects." in html
        assert "0%" in html

    def test_nothing_before_the_run(self, client_for, ranking_round, staff):
        response = client_for(staff).get(url("preview", ranking_round.pk))

        assert response.status_code == 302

    def test_staff_only(self, client_for, matched, org_owner, outsider_student):
        assert (
            client_for(matched.students[0]).get(url("preview", matched.round.pk)).status_code == 403
        )
        assert client_for(org_owner).get(url("preview", matched.round.pk)).status_code == 403
        assert client_for(outsider_student).get(url("preview", matched.round.pk)).status_code == 404


class TestStudentRanking:
    def test_the_form_has_a_position_per_project(self, client_for, ranking_round, students):
        html = html_of(client_for(students[0]).get(url("my_ranking", ranking_round.pk)))

        assert "Rank the projects" in html
        assert "Position of “Survey analysis”" in html
        assert "Not ranked" in html

    def test_positions_become_the_ranking(
        self, client_for, ranking_round, students, project_a, project_b
    ):
        response = client_for(students[0]).post(
            url("my_ranking", ranking_round.pk),
            {f"project_{project_a.pk}": "2", f"project_{project_b.pk}": "1"},
        )

        assert response.status_code == 302
        assert list(
            ProjectChoice.objects.order_by("position").values_list(
                "round_project__project_id", flat=True
            )
        ) == [project_b.pk, project_a.pk]

    def test_a_shared_position_is_marked_on_both(
        self, client_for, ranking_round, students, project_a, project_b
    ):
        response = client_for(students[0]).post(
            url("my_ranking", ranking_round.pk),
            {f"project_{project_a.pk}": "1", f"project_{project_b.pk}": "1"},
        )

        assert response.status_code == 422
        assert html_of(response).count("Position 1 is given to 2 projects") == 2
        assert not ProjectChoice.objects.exists()

    def test_no_form_after_the_deadline(self, client_for, ranking_round, students):
        pass_deadline(ranking_round)

        html = html_of(client_for(students[0]).get(url("my_ranking", ranking_round.pk)))

        assert "Rank the projects" not in html
        assert "Ranking closed" in html

    def test_a_late_post_is_refused(self, client_for, ranking_round, students, project_a):
        pass_deadline(ranking_round)

        response = client_for(students[0]).post(
            url("my_ranking", ranking_round.pk), {f"project_{project_a.pk}": "1"}, follow=True
        )

        assert "Ranking closed on" in html_of(response)
        assert not ProjectChoice.objects.exists()

    def test_the_result_only_after_publication(self, client_for, matched):
        client = client_for(matched.students[0])
        html = html_of(client.get(url("my_ranking", matched.round.pk)))
        assert "Your result appears here once it is published." in html
        assert "You were matched" not in html
        assert "Map cleanup" in html  # the ranking itself

        services.publish_round(matched.round, by=matched.staff)
        html = html_of(client.get(url("my_ranking", matched.round.pk)))

        assert "You were matched with “Map cleanup”" in html
        assert "your 2nd choice — accept the offer on My applications" in html

    def test_others_are_refused(self, client_for, ranking_round, org_owner, outsider_student):
        assert client_for(org_owner).get(url("my_ranking", ranking_round.pk)).status_code == 403
        response = client_for(outsider_student).get(url("my_ranking", ranking_round.pk))
        assert response.status_code == 404


class TestMyRounds:
    def test_lists_rounds_and_results_once_published(self, client_for, published):
        html = html_of(client_for(published.students[1]).get(url("mine")))

        assert "Spring cohort" in html
        assert "You were matched with “Survey analysis”" in html
        assert "your 1st choice" in html

    def test_no_result_before(self, client_for, matched):
        html = html_of(client_for(matched.students[1]).get(url("mine")))

        assert "results appear here once they are published" in html
        assert "You were matched" not in html

    def test_no_draft(self, client_for, draft_round, students):
        assert "Spring cohort" not in html_of(client_for(students[0]).get(url("mine")))


class TestApplicants:
    @pytest.fixture
    def chosen(self, ranking_round, students, project_a):
        for student in students[:2]:
            services.rank_projects(ranking_round, by=student, project_ids=[project_a.pk])
        return ranking_round

    def test_members_see_who_ranked_their_project(self, client_for, chosen, org_mentor, project_a):
        html = html_of(client_for(org_mentor).get(url("applicants", chosen.pk, project_a.pk)))

        assert "Ada" in html and "Ben" in html and "Cleo" not in html
        assert "Adopt fit-score order" in html
        assert "Rank of Ada" in html
        assert "%" in html

    def test_positions_become_the_ranking(self, client_for, chosen, org_owner, students, project_a):
        ada, ben, _ = students

        response = client_for(org_owner).post(
            url("applicants", chosen.pk, project_a.pk),
            {f"student_{ada.pk}": "2", f"student_{ben.pk}": "1"},
        )

        assert response.status_code == 302
        assert list(
            ApplicantRank.objects.order_by("position").values_list(
                "round_student__student_id", flat=True
            )
        ) == [ben.pk, ada.pk]

    def test_errors_next_to_the_fields(self, client_for, chosen, org_owner, students, project_a):
        ada, ben, _ = students

        response = client_for(org_owner).post(
            url("applicants", chosen.pk, project_a.pk),
            {f"student_{ada.pk}": "1", f"student_{ben.pk}": "1"},
        )

        assert response.status_code == 422
        assert html_of(response).count("Position 1 is given to 2 students") == 2

    def test_adopt_fit_order(self, client_for, chosen, org_owner, project_a):
        response = client_for(org_owner).post(
            url("adopt_fit", chosen.pk, project_a.pk), follow=True
        )

        assert "The 2 applicant(s) are ranked by fit score" in html_of(response)
        entry = RoundProject.objects.get(project=project_a)
        assert entry.ranking_method == "fit"
        assert entry.applicant_ranks.count() == 2

    def test_others_get_a_404(self, client_for, chosen, other_owner, staff, students, project_a):
        page = url("applicants", chosen.pk, project_a.pk)
        for user in (other_owner, staff, students[0]):
            assert client_for(user).get(page).status_code == 404
        assert (
            client_for(other_owner).post(url("adopt_fit", chosen.pk, project_a.pk)).status_code
            == 404
        )

    def test_after_publication_each_organization_sees_its_own_matches(
        self, client_for, published, org_owner, other_owner
    ):
        mine = html_of(
            client_for(org_owner).get(url("applicants", published.round.pk, published.project_a.pk))
        )
        theirs = html_of(
            client_for(other_owner).get(
                url("applicants", published.round.pk, published.project_b.pk)
            )
        )

        def matched_in(html: str) -> str:
            return html.split("Matched with this project")[1].split("</section>")[0]

        assert "Ben</a>" in matched_in(mine) and "Ada</a>" not in matched_in(mine)
        assert "Ada</a>" in matched_in(theirs) and "Cleo</a>" in matched_in(theirs)
        assert "Ben</a>" not in matched_in(theirs)

    def test_matches_are_not_shown_before_publication(self, client_for, matched, org_owner):
        html = html_of(
            client_for(org_owner).get(url("applicants", matched.round.pk, matched.project_a.pk))
        )

        assert "Matched with this project" not in html
        assert "once the round's staff publish it" in html


def big_round(staff, institution, organization_owner, project, other, n: int):
    """A run round with n students who all ranked the two projects, and n // 5 more projects."""
    match_round = services.create_round(
        by=staff, name="Big", institution=institution, ranking_deadline=later(days=2)
    )
    for each in [project, other, *(ProjectFactory() for _ in range(n // 5))]:
        services.add_project(match_round, by=staff, project=each)
    people = [student_of(institution) for _ in range(n)]
    services.add_students(match_round, by=staff, emails=[p.email for p in people])
    match_round = services.open_ranking(match_round, by=staff)
    for person in people:
        services.rank_projects(match_round, by=person, project_ids=[project.pk, other.pk])
    services.adopt_fit_order(
        selectors.round_project(match_round, project.pk), by=organization_owner
    )
    services.run_round(match_round, by=staff, force=True)
    return match_round, people


class TestQueryBudgets:
    @pytest.mark.parametrize("n", [2, 25])
    def test_preview(
        self,
        client_for,
        staff,
        institution,
        org_owner,
        project_a,
        project_b,
        n,
        django_assert_max_num_queries,
    ):
        match_round, _ = big_round(staff, institution, org_owner, project_a, project_b, n)
        client = client_for(staff)

        with django_assert_max_num_queries(8):
            response = client.get(url("preview", match_round.pk))

        assert response.status_code == 200
        assert html_of(response).count("<tr>") >= n

    @pytest.mark.parametrize("n", [2, 25])
    def test_student_ranking_page(
        self,
        client_for,
        staff,
        institution,
        org_owner,
        project_a,
        project_b,
        n,
        django_assert_max_num_queries,
    ):
        match_round, people = big_round(staff, institution, org_owner, project_a, project_b, n)
        MatchRound.objects.filter(pk=match_round.pk).update(state=State.PUBLISHED)
        client = client_for(people[0])

        with django_assert_max_num_queries(9):
            response = client.get(url("my_ranking", match_round.pk))

        assert "Your result" in html_of(response)

    @pytest.mark.parametrize("n", [2, 25])
    def test_staff_round_page(
        self,
        client_for,
        staff,
        institution,
        org_owner,
        project_a,
        project_b,
        n,
        django_assert_max_num_queries,
    ):
        match_round, _ = big_round(staff, institution, org_owner, project_a, project_b, n)
        client = client_for(staff)

        with django_assert_max_num_queries(9):
            response = client.get(url("detail", match_round.pk))
        assert response.status_code == 200

        services.reopen_ranking(match_round, by=staff)  # editable: the forms show
        with django_assert_max_num_queries(10):
            response = client.get(url("detail", match_round.pk))
        assert "Add a project" in html_of(response)
