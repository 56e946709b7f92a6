"""The "Best fit" sort on /projects/ and /api/v1/projects: students only."""

from datetime import timedelta

import pytest
from django.test import Client

from practicum.core.templatetags.practicum import human_date
from practicum.projects.models import Project
from tests.factories import ProjectFactory, SkillFactory

from .conftest import days, make_project, make_student

pytestmark = pytest.mark.django_db

URL = "/projects/"
API = "/api/v1/projects"


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [project.title for project in response.context["page"]]


class TestOffered:
    def test_students_get_the_choice(self, client_for, analyst):
        html = client_for(analyst).get(URL).content.decode()
        assert '<option value="fit">Best fit for you</option>' in html

    @pytest.mark.parametrize("who", ["anonymous", "member"])
    def test_others_do_not(self, client_for, member, who):
        client = Client() if who == "anonymous" else client_for(member)
        html = client.get(URL).content.decode()
        assert 'value="fit"' not in html

    @pytest.mark.parametrize("who", ["anonymous", "member"])
    def test_others_asking_for_it_get_a_clear_message_and_the_usual_order(
        self, client_for, member, who
    ):
        client = Client() if who == "anonymous" else client_for(member)
        ProjectFactory()
        response = client.get(URL, {"sort": "fit"})

        html = response.content.decode()
        assert "Some filters were not applied" in html
        assert "Sorting by best fit needs your student profile" in html
        assert response.context["sort"] == "newest"
        assert "% fit" not in html


class TestOrder:
    def test_best_fit_first_with_the_score_and_top_reason_on_each_card(
        self, client_for, analyst, python, sql
    ):
        make_project(title="Logo design", required=[(SkillFactory(name="Illustration"), 3)])
        make_project(title="Survey analysis", required=[(python, 3), (sql, 2)])
        make_project(title="Half a match", required=[(python, 3), (SkillFactory(), 3)])

        response = client_for(analyst).get(URL, {"sort": "fit"})

        assert titles(response) == ["Survey analysis", "Half a match", "Logo design"]
        html = response.content.decode()
        best = response.context["page"][0].fit
        assert f"{best.percent}% fit" in html
        assert "You have all 2 required skills at the level asked" in html
        assert "sorted by best fit for you" in html

    def test_projects_the_student_cannot_take_on_come_last_saying_why(self, client_for, python):
        student = make_student(skills=[(python, 3)], weekly_hours=6)
        make_project(title="Perfect but 20 hours", required=[(python, 3)], hours_per_week=20)
        make_project(title="Unrelated, 5 hours", hours_per_week=5)

        response = client_for(student).get(URL, {"sort": "fit"})

        assert titles(response) == ["Unrelated, 5 hours", "Perfect but 20 hours"]
        last = response.context["page"][1].fit
        assert not last.eligible
        assert "You can give 6 hours a week; this project asks for 20" in response.content.decode()

    def test_a_project_on_no_day_of_the_students_dates_says_which_dates(self, client_for, python):
        student = make_student(skills=[(python, 3)], windows=[(days(200), days(220))])
        project = make_project(title="Too early", required=[(python, 3)])

        response = client_for(student).get(URL, {"sort": "fit"})

        (fit,) = [p.fit for p in response.context["page"]]
        assert not fit.eligible
        assert fit.top_reasons[0].code == "unavailable"
        assert fit.top_reasons[0].params["starts_on"] == project.starts_on
        # The card shows the dates as every page does ("Mon 3 Feb 2027"), not ISO.
        assert (
            "You are not available on any working day between "
            f"{human_date(project.starts_on)} and {human_date(project.ends_on)}"
        ) in response.content.decode()

    def test_only_the_filtered_projects(self, client_for, analyst, python):
        make_project(title="Remote match", required=[(python, 3)], work_mode="remote")
        make_project(title="Remote other", required=[(SkillFactory(), 3)], work_mode="remote")
        make_project(
            title="Hybrid match", required=[(python, 3)], work_mode="hybrid", location="Oslo"
        )
        make_project(title="Closed match", required=[(python, 3)], status=Project.Status.CLOSED)

        response = client_for(analyst).get(URL, {"sort": "fit", "work_mode": "remote"})

        assert titles(response) == ["Remote match", "Remote other"]

    def test_pages_follow_the_fit_order(self, client_for, python):
        student = make_student(skills=[(python, 4)])
        for n in range(25):
            # The higher n, the higher the level asked: the student meets the low ones.
            make_project(title=f"P{n:02}", required=[(python, 1 + n % 4)], hours_per_week=10)

        first = titles(client_for(student).get(URL, {"sort": "fit"}))
        second = titles(client_for(student).get(URL, {"sort": "fit", "page": 2}))

        assert len(first) == 20
        assert len(second) == 5
        assert not set(first) & set(second)

    def test_equal_fits_keep_the_newest_first(self, client_for, analyst):
        older = ProjectFactory(title="Older")
        ProjectFactory(title="Newer", published_at=older.published_at + timedelta(minutes=1))
        assert titles(client_for(analyst).get(URL, {"sort": "fit"})) == ["Newer", "Older"]

    def test_an_htmx_request_gets_the_results_with_their_fit(self, client_for, analyst):
        ProjectFactory(title="Fragment")
        response = client_for(analyst).get(URL, {"sort": "fit"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert "<html" not in html
        assert "% fit" in html

    def test_a_blank_profile_is_told_why_the_fit_is_low(self, client_for):
        ProjectFactory()
        html = client_for(make_student()).get(URL, {"sort": "fit"}).content.decode()
        assert "which is still empty" in html


@pytest.mark.parametrize("count", [5, 40])
def test_the_query_count_does_not_grow_with_the_projects(
    client_for, analyst, python, sql, count, django_assert_max_num_queries
):
    for n in range(count):
        make_project(required=[(python, 1 + n % 4)], preferred=[(sql, 2)])
    client = client_for(analyst)
    params = {"sort": "fit", "q": "survey", "skills": [python.pk], "max_hours_per_week": 20}

    # session, user, organization options, chosen skills, category options, ids found, index
    # version, index (projects, skills: built on this first request), profile, its skills, its
    # windows, the page's projects, their skills
    with django_assert_max_num_queries(14):
        response = client.get(URL, params)
    assert len(response.context["page"]) == min(count, 20)
    assert all(project.fit is not None for project in response.context["page"])


class TestApi:
    def test_a_student_sorts_by_fit_with_a_token(self, api_client_for, analyst, python):
        make_project(title="Other", required=[(SkillFactory(), 3)])
        make_project(title="Match", required=[(python, 3)])

        response = api_client_for(analyst).get(API, {"sort": "fit"})

        assert response.status_code == 200, response.content
        results = response.json()["results"]
        assert [r["title"] for r in results] == ["Match", "Other"]
        fit = results[0]["fit"]
        assert fit["percent"] == round(fit["score"] * 100)
        assert fit["eligible"] is True
        assert fit["reasons"][0]["text"] == "You have the required skill at the level asked"
        assert fit["reasons"][0]["code"] == "skills_all_met"
        assert fit["top_reasons"][0] == fit["reasons"][0]
        assert set(fit["components"]) == {
            "required",
            "preferred",
            "text",
            "availability",
            "learning",
        }

    def test_other_sorts_have_no_fit(self, api_client_for, analyst):
        ProjectFactory()
        (result,) = api_client_for(analyst).get(API).json()["results"]
        assert result["fit"] is None

    @pytest.mark.parametrize("who", ["anonymous", "member"])
    def test_others_get_422(self, api_client_for, member, who):
        client = Client() if who == "anonymous" else api_client_for(member)
        response = client.get(API, {"sort": "fit"})

        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid"
        assert body["fields"]["sort"] == [
            "Sorting by best fit needs your student profile: log in with a student account."
        ]
