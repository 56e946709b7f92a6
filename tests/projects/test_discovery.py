"""GET /projects/: open projects for everyone, with filters, sorts and pages in the URL."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practicum.projects.models import Project
from tests.factories import (
    OrganizationFactory,
    ProjectFactory,
    ProjectSkillFactory,
    SkillCategoryFactory,
    SkillFactory,
)

from .conftest import days

pytestmark = pytest.mark.django_db

URL = "/projects/"


@pytest.fixture
def anonymous():
    return Client()


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [project.title for project in response.context["page"]]


def shown(client, **params) -> list[str]:
    return titles(client.get(URL, params))


def test_the_url_name():
    assert reverse("projects:discover") == URL


def test_lists_only_projects_taking_applications(anonymous):
    ProjectFactory(title="Open")
    ProjectFactory(title="Draft", status=Project.Status.DRAFT)
    ProjectFactory(title="Closed", status=Project.Status.CLOSED)
    ProjectFactory(title="Archived", status=Project.Status.ARCHIVED)
    ProjectFactory(title="Deadline passed", application_deadline=days(-1))
    ProjectFactory(title="Deadline today", application_deadline=days(0))

    assert sorted(shown(anonymous)) == ["Deadline today", "Open"]


def test_the_page_shows_what_a_student_scans(anonymous):
    project = ProjectFactory(title="Survey work")
    ProjectSkillFactory(project=project, skill=SkillFactory(name="Statistics"))
    html = anonymous.get(URL).content.decode()

    assert "Survey work" in html
    assert project.organization.name in html
    assert "600.00 EUR" in html
    assert "Statistics" in html
    assert f'href="/projects/{project.pk}/"' in html
    # Works without JavaScript: a plain GET form with a submit button.
    assert 'method="get" action="/projects/"' in html
    assert "Show projects" in html


class TestFilters:
    def test_skills_any_of(self, anonymous):
        python, sql, excel = SkillFactory.create_batch(3)
        ProjectSkillFactory(project__title="Python", skill=python)
        ProjectSkillFactory(project__title="SQL", skill=sql, is_required=False)
        ProjectSkillFactory(project__title="Excel", skill=excel)
        ProjectFactory(title="None")

        assert sorted(shown(anonymous, skills=[python.pk, sql.pk])) == ["Python", "SQL"]
        assert shown(anonymous, skills=[excel.pk]) == ["Excel"]

    def test_a_project_with_several_matching_skills_is_listed_once(self, anonymous):
        python, sql = SkillFactory.create_batch(2)
        project = ProjectFactory(title="Both")
        ProjectSkillFactory(project=project, skill=python)
        ProjectSkillFactory(project=project, skill=sql)

        assert shown(anonymous, skills=[python.pk, sql.pk]) == ["Both"]

    def test_skill_category(self, anonymous):
        data = SkillCategoryFactory(slug="data")
        ProjectSkillFactory(project__title="Data", skill=SkillFactory(category=data))
        ProjectSkillFactory(project__title="Design", skill=SkillFactory())

        assert shown(anonymous, category="data") == ["Data"]

    def test_max_hours_per_week(self, anonymous):
        ProjectFactory(title="Light", hours_per_week=5, estimated_hours=20)
        ProjectFactory(title="Ten", hours_per_week=10)
        ProjectFactory(title="Heavy", hours_per_week=20)

        assert sorted(shown(anonymous, max_hours_per_week=10)) == ["Light", "Ten"]

    def test_duration_in_weeks(self, anonymous):
        for weeks in (2, 4, 6):
            ProjectFactory(
                title=f"{weeks} weeks",
                starts_on=days(14),
                ends_on=days(14 + 7 * weeks - 1),
                estimated_hours=10,
            )

        assert sorted(shown(anonymous, min_weeks=3)) == ["4 weeks", "6 weeks"]
        assert sorted(shown(anonymous, max_weeks=4)) == ["2 weeks", "4 weeks"]
        assert shown(anonymous, min_weeks=4, max_weeks=4) == ["4 weeks"]

    def test_compensation_range_in_major_units(self, anonymous):
        ProjectFactory(title="400 EUR", compensation_amount=40000)
        ProjectFactory(title="600 EUR", compensation_amount=60000)
        ProjectFactory(title="800 EUR", compensation_amount=80000)
        ProjectFactory(title="600 JPY", compensation_amount=600, currency="JPY")
        ProjectFactory(title="0.600 KWD", compensation_amount=600, currency="KWD")

        assert sorted(shown(anonymous, min_pay="500", max_pay="700")) == ["600 EUR", "600 JPY"]
        assert sorted(shown(anonymous, min_pay="700")) == ["800 EUR"]
        assert sorted(shown(anonymous, max_pay="1")) == ["0.600 KWD"]

    def test_work_mode(self, anonymous):
        ProjectFactory(title="Remote", work_mode="remote")
        ProjectFactory(title="On-site", work_mode="on_site", location="Delft")

        assert shown(anonymous, work_mode="on_site") == ["On-site"]

    def test_start_date_window(self, anonymous):
        for start in (10, 20, 30):
            ProjectFactory(
                title=f"Day {start}",
                starts_on=days(start),
                ends_on=days(start + 27),
                application_deadline=days(5),
            )

        assert sorted(shown(anonymous, starts_from=days(15), starts_to=days(25))) == ["Day 20"]
        assert sorted(shown(anonymous, starts_from=days(20))) == ["Day 20", "Day 30"]
        assert sorted(shown(anonymous, starts_to=days(20))) == ["Day 10", "Day 20"]

    def test_organization(self, anonymous):
        acme = OrganizationFactory(slug="acme")
        ProjectFactory(title="Acme's", organization=acme)
        ProjectFactory(title="Other")

        assert shown(anonymous, organization="acme") == ["Acme's"]

    def test_filters_combine(self, anonymous):
        ProjectFactory(title="Match", work_mode="remote", hours_per_week=10)
        ProjectFactory(title="Wrong mode", work_mode="hybrid", location="Oslo")
        ProjectFactory(title="Too heavy", work_mode="remote", hours_per_week=20)

        assert shown(anonymous, work_mode="remote", max_hours_per_week=10) == ["Match"]

    def test_the_form_shows_the_filters_of_the_url(self, anonymous):
        skill = SkillFactory(name="Cartography")
        html = anonymous.get(URL, {"skills": skill.pk, "max_hours_per_week": 8}).content.decode()

        assert f'name="skills" value="{skill.pk}" checked' in html
        assert "Cartography" in html
        assert 'name="max_hours_per_week" value="8"' in html


class TestSorting:
    @pytest.fixture
    def three(self):
        now = timezone.now()
        ProjectFactory(
            title="Old, rich",
            published_at=now - datetime.timedelta(days=3),
            compensation_amount=90000,
            application_deadline=days(9),
        )
        ProjectFactory(
            title="New, poor",
            published_at=now,
            compensation_amount=10000,
            application_deadline=days(8),
        )
        ProjectFactory(
            title="Middle",
            published_at=now - datetime.timedelta(days=1),
            compensation_amount=50000,
            application_deadline=days(2),
        )

    def test_newest_first_by_default(self, anonymous, three):
        assert shown(anonymous) == ["New, poor", "Middle", "Old, rich"]
        assert shown(anonymous, sort="newest") == ["New, poor", "Middle", "Old, rich"]

    def test_deadline_soonest(self, anonymous, three):
        assert shown(anonymous, sort="deadline") == ["Middle", "New, poor", "Old, rich"]

    def test_highest_pay(self, anonymous, three):
        assert shown(anonymous, sort="pay") == ["Old, rich", "Middle", "New, poor"]

    def test_highest_pay_compares_major_units(self, anonymous):
        ProjectFactory(title="700 JPY", compensation_amount=700, currency="JPY")
        ProjectFactory(title="600 EUR", compensation_amount=60000)
        assert shown(anonymous, sort="pay") == ["700 JPY", "600 EUR"]

    def test_relevance_when_searching(self, anonymous):
        ProjectFactory(title="Bookkeeping", description="Includes a survey.", summary="")
        ProjectFactory(title="Survey design", description="", summary="")
        assert shown(anonymous, q="survey") == ["Survey design", "Bookkeeping"]

    def test_relevance_without_a_search_means_newest(self, anonymous, three):
        response = anonymous.get(URL, {"sort": "relevance"})
        assert titles(response) == ["New, poor", "Middle", "Old, rich"]
        assert response.context["sort"] == "newest"


class TestBadFilterValues:
    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"max_hours_per_week": "many"}, "Enter a whole number."),
            ({"max_hours_per_week": "0"}, "Ensure this value is greater than or equal to 1."),
            ({"min_weeks": "6", "max_weeks": "2"}, "“Lasts at least” must not be more than"),
            ({"min_pay": "-5"}, "Ensure this value is greater than or equal to 0."),
            ({"min_pay": "lots"}, "Enter a number."),
            ({"min_pay": "900", "max_pay": "100"}, "“Pay from” must not be more than"),
            ({"starts_from": "tomorrow"}, "Enter a valid date."),
            ({"starts_from": "2030-02-01", "starts_to": "2030-01-01"}, "“Starting from” must be"),
            ({"skills": "999999"}, "There is no skill with the id 999999."),
            ({"skills": "python"}, "“python” is not a skill id."),
            ({"category": "nope"}, "There is no such skill category."),
            ({"organization": "nobody"}, "There is no organization called “nobody”."),
            ({"work_mode": "space"}, "Select a valid choice."),
            ({"sort": "random"}, "Select a valid choice."),
            ({"q": "x" * 201}, "Ensure this value has at most 200 characters"),
        ],
    )
    def test_a_clear_message_and_the_other_filters_still_apply(self, anonymous, params, message):
        ProjectFactory(title="Remote", work_mode="remote")
        ProjectFactory(title="Hybrid", work_mode="hybrid", location="Oslo")

        response = anonymous.get(URL, {**params, "work_mode": params.get("work_mode", "remote")})

        assert response.status_code == 200
        html = response.content.decode()
        assert "Some filters were not applied" in html
        assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
        if "work_mode" not in params:
            assert titles(response) == ["Remote"]


class TestPagination:
    @pytest.fixture
    def many(self):
        now = timezone.now()
        for n in range(45):
            ProjectFactory(title=f"P{n:02}", published_at=now - datetime.timedelta(minutes=n))

    def test_twenty_a_page(self, anonymous, many):
        assert shown(anonymous) == [f"P{n:02}" for n in range(20)]
        assert shown(anonymous, page=3) == [f"P{n:02}" for n in range(40, 45)]

    def test_links_keep_the_filters(self, anonymous, many):
        html = anonymous.get(URL, {"sort": "newest", "page": 2}).content.decode()
        assert "Page 2 of 3" in html
        assert 'href="?sort=newest&amp;page=3"' in html
        assert 'href="?sort=newest&amp;page=1"' in html

    @pytest.mark.parametrize(("page", "first"), [("abc", "P00"), ("99", "P40"), ("-1", "P40")])
    def test_a_bad_page_number_shows_a_page_anyway(self, anonymous, many, page, first):
        assert shown(anonymous, page=page)[0] == first


class TestHtmx:
    def test_an_htmx_request_gets_the_results_only(self, anonymous):
        ProjectFactory(title="Fragment")
        response = anonymous.get(URL, {"q": "Fragment"}, headers={"HX-Request": "true"})

        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert "Fragment" in html
        assert "1 open project matching “Fragment”" in html
        assert "HX-Request" in response["Vary"]

    def test_a_history_restore_gets_the_whole_page(self, anonymous):
        response = anonymous.get(
            URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
        )
        assert "<html" in response.content.decode()

    def test_the_form_updates_the_results_in_place(self, anonymous):
        html = anonymous.get(URL).content.decode()
        assert 'hx-get="/projects/"' in html
        assert 'hx-target="#results"' in html
        assert 'hx-push-url="true"' in html
        assert 'id="results"' in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_does_not_grow_with_the_projects(
    client_for, student, count, django_assert_max_num_queries
):
    skills = SkillFactory.create_batch(2)
    for _ in range(count):
        project = ProjectFactory()
        for skill in skills:
            ProjectSkillFactory(project=project, skill=skill)
    client = client_for(student)
    params = {"q": "survey", "skills": [s.pk for s in skills], "max_hours_per_week": 20}

    # session, user, organization options, chosen skills, count, category options, page, skills
    with django_assert_max_num_queries(8):
        response = client.get(URL, params)
    assert len(response.context["page"]) == min(count, 20)


def test_an_unpaid_project_says_so(anonymous):
    """Issue 12, money: students see an unpaid project as "Unpaid — for academic credit"."""
    project = ProjectFactory(title="Volunteer survey", compensation_amount=None, unpaid=True)
    html = anonymous.get(URL).content.decode()
    assert "Unpaid — for academic credit" in html
    detail = anonymous.get(project.get_absolute_url()).content.decode()
    assert "Unpaid — for academic credit" in detail


class TestOrganizationFilter:
    """Issue 14: a text box with suggestions, not a menu of every organization."""

    def test_typing_the_name_without_javascript_filters_by_it(self, anonymous):
        acme = OrganizationFactory(name="Acme Research", slug="acme")
        ProjectFactory(title="Acme's", organization=acme)
        ProjectFactory(title="Other")
        assert shown(anonymous, organization="acme research") == ["Acme's"]
        assert shown(anonymous, organization="Acme Research") == ["Acme's"]

    def test_suggestions_are_organizations_with_open_projects(self, anonymous):
        for n in range(14):
            ProjectFactory(organization=OrganizationFactory(name=f"Delta Lab {n:02}"))
        OrganizationFactory(name="Delta Closed")  # nothing open: never suggested
        ProjectFactory(organization=OrganizationFactory(name="Gamma"))
        html = anonymous.get("/organizations/suggest", {"organization": "delta"}).content.decode()
        assert html.count("<option") == 10
        assert '<option value="Delta Lab 00">' in html
        assert "Delta Closed" not in html and "Gamma" not in html
        assert anonymous.get("/organizations/suggest", {"q": ""}).content.decode().strip() == ""

    def test_suggestions_are_escaped(self, anonymous):
        ProjectFactory(organization=OrganizationFactory(name='Evil "><b>Co</b>'))
        html = anonymous.get("/organizations/suggest", {"q": "evil"}).content.decode()
        assert "<b>" not in html and "&quot;&gt;&lt;b&gt;" in html

    def test_the_api_suggests_a_page_of_them(self, anonymous):
        for n in range(3):
            ProjectFactory(organization=OrganizationFactory(name=f"Kappa {n}", slug=f"kappa-{n}"))
        response = anonymous.get("/api/v1/projects/organizations", {"q": "kappa", "page_size": 2})
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 3
        assert body["items"] == [
            {"slug": "kappa-0", "name": "Kappa 0"},
            {"slug": "kappa-1", "name": "Kappa 1"},
        ]
        assert anonymous.get("/api/v1/projects/organizations").status_code == 422
        assert anonymous.get("/api/v1/projects/organizations", {"q": "a\x00"}).status_code == 422

    def test_the_page_does_not_grow_with_the_organizations(
        self, anonymous, django_assert_num_queries
    ):
        def page():
            with CaptureQueriesContext(connection) as queries:
                response = anonymous.get(URL)
            assert len(response.context["page"]) == 20
            return len(response.content), len(queries)

        five = OrganizationFactory.create_batch(5)
        for n in range(25):
            ProjectFactory(organization=five[n % 5])
        size, queries = page()
        for _ in range(95):
            ProjectFactory(organization=OrganizationFactory())
        bigger, more_queries = page()
        # Twenty cards either way; only the names on them differ a little in length.
        assert abs(bigger - size) < 1_000
        assert more_queries == queries
