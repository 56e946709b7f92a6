"""The applicants of a project, page by page: filters, sorts done by the database, a fixed
query budget whatever their number, and the overdue flag (no answer 14 days after applying)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from practicum.engagements import selectors
from practicum.engagements.models import Application
from practicum.engagements.selectors import Overdue, Sort
from practicum.projects import selectors as project_selectors
from tests.factories import (
    ApplicationFactory,
    InstitutionFactory,
    ProjectSkillFactory,
    StudentSkillFactory,
    UserFactory,
)

from .conftest import make_offered

pytestmark = pytest.mark.django_db

API = "/api/v1"


def applied(project, *, days_ago: float = 0, hours: int | None = None, **fields):
    application = ApplicationFactory(project=project, **fields)
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    if hours is not None:
        profile = application.student.student_profile
        profile.weekly_hours = hours
        profile.save()
    application.refresh_from_db()
    return application


def ids(rows) -> list[int]:
    return [row.application.pk for row in rows]


def page_url(project, query=""):
    return reverse("engagements:applicants", args=[project.pk]) + query


def api_url(project, query=""):
    return f"{API}/projects/{project.pk}/applications{query}"


def many(project, count: int) -> None:
    """`count` applicants with profiles, institutions, skills at various levels, some offered."""
    skills = [ProjectSkillFactory(project=project, is_required=i < 2).skill for i in range(3)]
    institution = InstitutionFactory()
    for index in range(count):
        application = applied(project, days_ago=index % 20, hours=1 + index % 30)
        profile = application.student.student_profile
        profile.institution = institution
        profile.save()
        for skill in skills[: index % 4]:
            StudentSkillFactory(profile=profile, skill=skill, level=1 + index % 4)
        if index % 7 == 6:
            make_offered(application)


class TestSorts:
    def test_newest_and_waiting_longest(self, project):
        old, middle, new = (applied(project, days_ago=d) for d in (9, 5, 1))

        assert ids(selectors.applicants_of(project)) == [new.pk, middle.pk, old.pk]
        assert ids(selectors.applicants_of(project, sort=Sort.OLDEST)) == [
            old.pk,
            middle.pk,
            new.pk,
        ]

    def test_most_hours_a_week_first_then_newest(self, project):
        few = applied(project, days_ago=1, hours=5)
        most = applied(project, days_ago=3, hours=30)
        tie_old = applied(project, days_ago=4, hours=12)
        tie_new = applied(project, days_ago=2, hours=12)
        no_profile = applied(project, days_ago=0, student=UserFactory())

        listed = ids(selectors.applicants_of(project, sort=Sort.AVAILABILITY))

        assert listed == [most.pk, tie_new.pk, tie_old.pk, few.pk, no_profile.pk]

    def test_best_match_is_sorted_by_the_database_like_the_match_shown(self, project):
        sql, python = (ProjectSkillFactory(project=project, min_level=3) for _ in range(2))
        excel = ProjectSkillFactory(project=project, min_level=2, is_required=False)

        def holding(days_ago, levels):
            application = applied(project, days_ago=days_ago)
            for wanted, level in levels:
                StudentSkillFactory(
                    profile=application.student.student_profile, skill=wanted.skill, level=level
                )
            return application

        both = holding(5, [(sql, 3), (python, 4)])
        one_and_preferred = holding(4, [(sql, 4), (excel, 2)])
        one = holding(3, [(python, 3)])
        one_below = holding(6, [(python, 3), (sql, 1)])
        nothing = holding(1, [])

        rows = selectors.applicants_of(project, sort=Sort.BEST_MATCH)[:]

        assert ids(rows) == [both.pk, one_and_preferred.pk, one_below.pk, one.pk, nothing.pk]
        keys = [row.match.sort_key for row in rows]
        assert keys == sorted(keys, reverse=True)

    def test_every_sort_is_offered_on_the_page(self, client_for, owner, project):
        html = client_for(owner).get(page_url(project)).content.decode()

        for value, label in Sort.CHOICES:
            assert f'<option value="{value}"' in html
            assert label in html


class TestPages:
    def test_25_a_page_and_the_filters_kept_from_page_to_page(self, client_for, owner, project):
        for index in range(30):
            applied(project, days_ago=index)
        applied(project, status="shortlisted")
        client = client_for(owner)

        first = client.get(page_url(project, "?status=submitted&sort=oldest")).content.decode()
        second = client.get(
            page_url(project, "?status=submitted&sort=oldest&page=2")
        ).content.decode()

        assert first.count('class="card applicant-card"') == 25
        assert second.count('class="card applicant-card"') == 5
        assert "30 applicants, 1–25 shown." in first
        assert 'href="?status=submitted&amp;sort=oldest&amp;page=2" rel="next"' in first
        assert 'href="?status=submitted&amp;sort=oldest&amp;page=1" rel="prev"' in second

    def test_a_page_past_the_end_shows_the_last(self, client_for, owner, project):
        for _ in range(26):
            applied(project)

        html = client_for(owner).get(page_url(project, "?page=99")).content.decode()

        assert html.count('class="card applicant-card"') == 1
        assert "Page 2 of 2" in html

    def test_the_api_pages_with_its_one_pagination(self, api_client_for, owner, project):
        for index in range(30):
            applied(project, days_ago=index)

        body = (
            api_client_for(owner).get(api_url(project, "?sort=oldest&page=2&page_size=25")).json()
        )

        assert body["count"] == 30
        assert len(body["items"]) == 5
        assert (
            body["items"][-1]["application"]["created_at"]
            >= body["items"][0]["application"]["created_at"]
        )

    def test_the_api_refuses_an_unknown_sort(self, api_client_for, owner, project):
        response = api_client_for(owner).get(api_url(project, "?sort=salary"))

        assert response.status_code == 422
        assert "sort" in response.json()["fields"]


class TestQueryBudget:
    """The same number of queries for 5 applicants and for 60, on the page and in the API."""

    @pytest.mark.parametrize("count", [5, 60])
    @pytest.mark.parametrize("sort", [s for s, _ in Sort.CHOICES])
    def test_the_page(self, client_for, owner, project, django_assert_max_num_queries, count, sort):
        many(project, count)
        client = client_for(owner)

        # Session, user, navigation (memberships, institutions), project, membership check, the
        # project's skills, how many applicants, one page of them with profiles, their skills.
        with django_assert_max_num_queries(10):
            response = client.get(page_url(project, f"?sort={sort}&meets_required=on"))

        assert response.status_code == 200

    @pytest.mark.parametrize("count", [5, 60])
    def test_the_api(self, api_client_for, owner, project, django_assert_max_num_queries, count):
        many(project, count)
        client = api_client_for(owner)

        # The token and its user, project, membership check, the project's skills, the count,
        # one page with profiles, their skills.
        with django_assert_max_num_queries(9):
            response = client.get(api_url(project, "?sort=match&page_size=100"))

        assert len(response.json()["items"]) == count


class TestOverdue:
    """Unanswered 14 days after applying: the organization owes an answer."""

    @pytest.mark.parametrize(("days_ago", "overdue"), [(13, False), (15, True)])
    def test_thirteen_days_is_not_overdue_fifteen_is(self, project, days_ago, overdue):
        applied(project, days_ago=days_ago)

        [row] = selectors.applicants_of(project)

        assert row.overdue is overdue
        assert row.overdue_because == (Overdue.UNANSWERED if overdue else "")

    @pytest.mark.parametrize("status", ["shortlisted", "rejected", "withdrawn"])
    def test_an_answer_or_a_withdrawal_ends_the_wait(self, project, owner, status):
        application = applied(project, days_ago=20)
        Application.objects.filter(pk=application.pk).update(
            status=status,
            answered_at=None if status == "withdrawn" else timezone.now(),
        )

        [row] = selectors.applicants_of(project)

        assert row.overdue_because == ""

    def test_the_badge_on_the_page_and_the_filter(self, client_for, owner, project):
        late = applied(project, days_ago=15)
        applied(project, days_ago=13)
        client = client_for(owner)

        html = client.get(page_url(project)).content.decode()
        only = client.get(page_url(project, "?overdue=on")).content.decode()

        assert html.count(">Overdue</span>") == 1
        assert "No answer yet, 14 days or more after applying" in html
        assert only.count('class="card applicant-card"') == 1
        assert f'id="applicant-{late.pk}"' in only

    def test_in_the_api(self, api_client_for, owner, project):
        late = applied(project, days_ago=15)
        applied(project, days_ago=13)
        client = api_client_for(owner)

        body = client.get(api_url(project, "?sort=oldest")).json()
        only = client.get(api_url(project, "?overdue=true")).json()

        flags = [(i["overdue"], i["overdue_because"]) for i in body["items"]]
        assert flags == [(True, "unanswered"), (False, "")]
        assert [i["application"]["id"] for i in only["items"]] == [late.pk]

    def test_counted_on_the_organizations_list_of_projects(
        self, client_for, owner, organization, project
    ):
        applied(project, days_ago=15)
        applied(project, days_ago=16)
        applied(project, days_ago=2)

        [listed] = project_selectors.with_application_counts(
            project_selectors.organization_projects(organization)
        )
        html = client_for(owner).get(f"/organizations/{organization.slug}/projects/")

        assert (listed.application_count, listed.overdue_count) == (3, 2)
        assert "2 overdue" in html.content.decode()


def test_unanswered_per_organization_reads_an_index(organization, project):
    """The reciprocity index counts, per organization, applications unanswered for 14 days:
    the partial index application_unanswered serves that query."""
    cutoff = timezone.now() - selectors.ANSWER_WITHIN
    unanswered = Application.objects.filter(
        project__organization=organization, answered_at__isnull=True, created_at__lte=cutoff
    )
    sql, params = unanswered.query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())

    assert "application_unanswered" in plan
