""" "Recommended for you": the student's home page section and its page."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from practicum.projects.models import Project
from practicum.recommendations import selectors
from tests.factories import ProjectFactory, SkillFactory

from .conftest import days, make_project, make_student

pytestmark = pytest.mark.django_db

URL = "/recommendations/"
HTMX = {"HX-Request": "true"}


def recommended(user, limit=5) -> list[str]:
    return [item.project.title for item in selectors.recommended_projects(user, limit=limit).items]


class TestRanking:
    def test_the_project_asking_for_the_students_skills_comes_first(self, analyst, python, sql):
        make_project(title="Logo design", required=[(SkillFactory(name="Illustration"), 3)])
        make_project(title="Survey analysis", required=[(python, 3), (sql, 2)])
        make_project(title="Half a match", required=[(python, 3), (SkillFactory(), 3)])

        assert recommended(analyst) == ["Survey analysis", "Half a match", "Logo design"]

    def test_a_student_unavailable_on_the_dates_does_not_get_the_project(self, python):
        student = make_student(skills=[(python, 3)], windows=[(days(60), days(90))])
        make_project(
            title="Too early", required=[(python, 3)], starts_on=days(10), ends_on=days(30)
        )
        make_project(title="Later", required=[(python, 3)], starts_on=days(61), ends_on=days(80))

        assert recommended(student) == ["Later"]

    def test_a_student_without_the_weekly_hours_does_not_get_the_project(self, python):
        student = make_student(skills=[(python, 3)], weekly_hours=4)
        make_project(title="Ten hours", hours_per_week=10)
        make_project(title="Six hours", hours_per_week=6)

        assert recommended(student) == ["Six hours"]

    def test_only_open_projects(self, analyst):
        make_project(title="Open")
        make_project(title="Draft", status=Project.Status.DRAFT, published_at=None)
        make_project(title="Closed", status=Project.Status.CLOSED)
        make_project(title="Past its deadline", application_deadline=days(-1))

        assert recommended(analyst) == ["Open"]

    def test_at_most_the_limit(self, analyst):
        ProjectFactory.create_batch(7)
        assert len(recommended(analyst, limit=5)) == 5

    def test_each_comes_with_its_score_and_reasons(self, analyst, python):
        make_project(required=[(python, 3)])
        (item,) = selectors.recommended_projects(analyst, limit=5).items

        assert 0 < item.fit.score <= 1
        assert item.fit.top_reasons[0].text == "You have the required skill at the level asked"
        assert item.fit.top_reasons[0].code == "skills_all_met"
        assert 2 <= len(item.fit.top_reasons) <= 3
        assert set(item.fit.components) == {
            "required",
            "preferred",
            "text",
            "availability",
            "learning",
        }

    def test_a_blank_profile_gets_none(self):
        ProjectFactory()
        found = selectors.recommended_projects(make_student(), limit=5)
        assert found.profile_is_blank
        assert found.items == []


class TestHomePage:
    def test_a_student_gets_the_section_loaded_by_htmx(self, client_for, analyst):
        html = client_for(analyst).get("/").content.decode()
        assert "Recommended for you" in html
        assert f'hx-get="{URL}"' in html
        assert 'hx-trigger="load"' in html
        assert f'<a href="{URL}">' in html  # without JavaScript

    @pytest.mark.parametrize("who", ["anonymous", "member"])
    def test_others_do_not(self, client_for, member, who):
        client = Client() if who == "anonymous" else client_for(member)
        html = client.get("/").content.decode()
        assert "Recommended for you" not in html
        assert URL not in html


class TestSection:
    def test_the_url_name(self):
        assert reverse("recommendations:for_me") == URL

    def test_shows_five_with_their_fit_reasons_and_links(self, client_for, analyst, python):
        best = make_project(title="Survey analysis", required=[(python, 3)])
        for n in range(6):
            make_project(title=f"Other {n}")

        response = client_for(analyst).get(URL, headers=HTMX)

        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert "HX-Request" in response["Vary"]
        assert html.count('class="card recommendation"') == 5
        assert html.index("Survey analysis") < html.index("Other")
        fit = selectors.recommended_projects(analyst, limit=1).items[0].fit
        assert f"{fit.percent}% fit" in html
        assert f'href="{best.get_absolute_url()}"' in html
        assert "You have the required skill at the level asked" in html
        assert "?sort=fit" in html

    def test_why_lists_every_reason_in_the_engines_order(self, client_for, analyst, python, sql):
        make_project(required=[(python, 3), (sql, 4)], learning_outcomes=["SQL"])

        html = client_for(analyst).get(URL, headers=HTMX).content.decode()

        (item,) = selectors.recommended_projects(analyst, limit=1).items
        why = html[html.index('<details class="why">') : html.index("</details>")]
        shown = re.findall(r"<li>(.*?)</li>", why)
        assert shown == [escape(reason.text) for reason in item.fit.reasons]
        assert "One level short: SQL (asked: expert, you: proficient)" in shown

    def test_without_javascript_it_is_a_page(self, client_for, analyst):
        for n in range(7):
            make_project(title=f"Project {n}")
        html = client_for(analyst).get(URL).content.decode()
        assert "<html" in html
        assert html.count('class="card recommendation"') == 7

    def test_a_blank_profile_is_asked_to_complete_it(self, client_for):
        ProjectFactory()
        html = client_for(make_student()).get(URL, headers=HTMX).content.decode()
        assert "Complete your profile" in html
        assert reverse("profiles:edit") in html
        assert "% fit" not in html

    def test_when_nothing_fits_it_says_so(self, client_for, python):
        student = make_student(skills=[(python, 2)], weekly_hours=2)
        ProjectFactory(hours_per_week=10)
        html = client_for(student).get(URL, headers=HTMX).content.decode()
        assert "No open project fits your dates and weekly hours right now" in html

    def test_members_of_organizations_may_not(self, client_for, member):
        assert client_for(member).get(URL, headers=HTMX).status_code == 403

    def test_visitors_are_sent_to_log_in(self):
        response = Client().get(URL)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("count", [5, 40])
def test_the_query_count_does_not_grow_with_the_projects(
    client_for, analyst, python, sql, count, django_assert_max_num_queries
):
    for n in range(count):
        make_project(required=[(python, 1 + n % 4)], preferred=[(sql, 2)])
    client = client_for(analyst)

    # session, user
    with django_assert_max_num_queries(2):
        client.get("/")
    # session, user, index version, index (projects, skills: built on this first request),
    # profile, its skills, its windows, the projects shown
    with django_assert_max_num_queries(9):
        response = client.get(URL, headers=HTMX)
    assert len(response.context["recommendations"].items) == 5
