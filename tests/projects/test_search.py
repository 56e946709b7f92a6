"""Full-text search. The same tests run on SQLite (the portable stand-in) and on PostgreSQL
(full-text search with ranking): for plain words both must find the same projects in the
same order."""

import datetime

import pytest
from django.db import connection

from practicum.projects import selectors
from practicum.projects.models import Project
from practicum.projects.selectors import ProjectFilters
from tests.factories import ProjectFactory, SkillFactory

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
ONE_WEEK = datetime.timedelta(days=7)


def make(title, *, summary="", description="", objectives=(), outcomes=(), **extra):
    return ProjectFactory(
        title=title,
        summary=summary,
        description=description,
        objectives=list(objectives) or ["Do the work"],
        learning_outcomes=list(outcomes),
        **extra,
    )


def found(query, **filters) -> list[str]:
    return [p.title for p in selectors.discover_projects(ProjectFilters(q=query, **filters))]


@pytest.fixture
def corpus(db):
    make("Customer survey analysis", description="Clean the data and report.")
    make("Website redesign", summary="Redesign the survey landing page.")
    make(
        "Inventory dashboard",
        description="Build a dashboard in Python.",
        objectives=["Automate the survey export"],
    )
    make("Interview notes", description="Tidy up notes.", outcomes=["Interviewing users"])
    make("Bookkeeping", description="Reconcile invoices.")


def test_a_word_in_the_title_ranks_above_the_summary_and_the_body(corpus):
    assert found("survey") == [
        "Customer survey analysis",
        "Website redesign",
        "Inventory dashboard",
    ]


def test_case_does_not_matter(corpus):
    assert found("SURVEY") == found("survey")


def test_every_word_must_occur(corpus):
    assert found("survey dashboard") == ["Inventory dashboard"]
    assert found("survey invoices") == []


def test_objectives_and_learning_outcomes_are_searched(corpus):
    assert found("export") == ["Inventory dashboard"]
    assert found("interviewing") == ["Interview notes"]


def test_an_exact_phrase(corpus):
    assert found('"survey analysis"') == ["Customer survey analysis"]
    assert found('"analysis survey"') == []


def test_a_word_can_be_left_out(corpus):
    assert found("survey -redesign") == ["Customer survey analysis", "Inventory dashboard"]


def test_punctuation_around_words_is_ignored(corpus):
    assert found("survey,") == found("survey")


def test_nothing_matches_nonsense(corpus):
    assert found("zyxwvu") == []


def test_search_combines_with_filters(corpus):
    Project.objects.filter(title="Website redesign").update(hours_per_week=2)
    assert found("survey", max_hours_per_week=5) == ["Website redesign"]


def test_another_sort_overrides_relevance(corpus):
    Project.objects.filter(title="Inventory dashboard").update(compensation_amount=90000)
    assert found("survey", sort="pay")[0] == "Inventory dashboard"


def test_only_projects_taking_applications_are_found(corpus):
    Project.objects.filter(title="Website redesign").update(status=Project.Status.DRAFT)
    Project.objects.filter(title="Inventory dashboard").update(status=Project.Status.CLOSED)
    assert found("survey") == ["Customer survey analysis"]


def test_word_forms_per_database(corpus):
    """Full-text search finds word forms; the SQLite stand-in matches substrings instead."""
    if ON_POSTGRESQL:
        assert found("surveys") == found("survey")
    else:
        assert found("surveys") == []
        assert found("surv") == found("survey")


def test_search_runs_on_the_database_own_engine(corpus):
    """PostgreSQL answers from the GIN full-text index; SQLite falls back to LIKE."""
    query = selectors._search(Project.objects.all(), "survey data")
    if ON_POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = query.explain()
        assert "project_search_idx" in plan
    else:
        assert "LIKE" in str(query.query).upper()


def test_accents_and_case_never_matter():
    """Folded on both databases: "cafe" finds "Café", "CAFÉ" finds "cafe", and so on."""
    make("Café menu translation", description="Translate the menu.")
    make("Plain cafe signage", description="Paint the signs.")
    make("Über façade survey", description="Photograph the façade.")
    assert set(found("cafe")) == {"Café menu translation", "Plain cafe signage"}
    assert set(found("CAFÉ")) == {"Café menu translation", "Plain cafe signage"}
    assert found("facade uber") == ["Über façade survey"]


def test_a_title_match_ranks_above_a_description_match():
    make("Onboarding guide", description="Write about our espresso machine.")
    make("Espresso machine manual", description="Write the manual.")
    assert found("espresso") == ["Espresso machine manual", "Onboarding guide"]


def test_the_skills_asked_for_are_searched(organization, owner):
    from practicum.projects import services

    skill = SkillFactory(name="Pâtisserie")
    project = services.create_project(
        organization,
        by=owner,
        data={"title": "Bakery window", "skills": [{"skill": skill.pk, "min_level": 2}]},
    )
    Project.objects.filter(pk=project.pk).update(
        status=Project.Status.OPEN, application_deadline=datetime.date.today() + ONE_WEEK
    )
    assert found("patisserie") == ["Bakery window"]


def test_text_matches_agrees_with_the_database(corpus):
    """The alerts' check in Python finds what the SQLite search finds, for plain words,
    phrases and exclusions."""
    expected = {
        "survey": ["Customer survey analysis", "Inventory dashboard", "Website redesign"],
        "SURVEY dashboard": ["Inventory dashboard"],
        '"survey analysis"': ["Customer survey analysis"],
        "survey -redesign": ["Customer survey analysis", "Inventory dashboard"],
        "zyx": [],
    }
    for query, titles in expected.items():
        in_python = sorted(
            p.title for p in Project.objects.all() if selectors.text_matches(p, query)
        )
        assert in_python == titles
        assert sorted(found(query)) == titles
