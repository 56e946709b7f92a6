import pytest

from practicum.skills.selectors import (
    MAX_LIMIT,
    categories_with_counts,
    clean_query,
    normalize_query,
    search_skills,
    skills_by_ids,
)
from tests.factories import SkillCategoryFactory, SkillFactory

pytestmark = pytest.mark.django_db


def names(skills):
    return [skill.name for skill in skills]


class TestWithTheShippedTaxonomy:
    @pytest.mark.parametrize(
        ("query", "first"),
        [
            ("js", "JavaScript"),
            ("JS", "JavaScript"),
            ("  js  ", "JavaScript"),
            ("ml", "Machine learning"),
            ("excel", "Microsoft Excel"),
            ("seo", "Search engine optimization"),
            ("k8s", "Kubernetes"),
            ("mandarin", "Mandarin Chinese"),
            ("español", "Spanish"),
            ("python", "Python"),
            ("c", "C"),
            ("go", "Go"),
        ],
    )
    def test_best_match_comes_first(self, taxonomy, query, first):
        assert names(search_skills(query))[0] == first

    def test_related_skills_follow_the_best_match(self, taxonomy):
        found = names(search_skills("sql"))
        assert found[0] == "SQL"
        assert {"MySQL", "PostgreSQL", "SQLite"} <= set(found)

    def test_category_filter(self, taxonomy):
        found = search_skills("ing", category="marketing", limit=50)

        assert found
        assert {skill.category.slug for skill in found} == {"marketing"}

    def test_unknown_category_finds_nothing(self, taxonomy):
        assert search_skills("python", category="no-such-category") == []


class TestRanking:
    def test_exact_then_prefix_then_word_then_substring(self):
        SkillFactory(name="Lavajava roasting")  # substring
        SkillFactory(name="Enterprise Java beans")  # a later word starts with it
        SkillFactory(name="Kotlin", aliases=["java interop"])  # alias prefix
        SkillFactory(name="JavaScript", aliases=["js"])  # name prefix
        SkillFactory(name="Jvm languages", aliases=["java"])  # alias exact
        SkillFactory(name="Java")  # name exact
        SkillFactory(name="Python")  # no match

        assert names(search_skills("java")) == [
            "Java",
            "Jvm languages",
            "JavaScript",
            "Kotlin",
            "Enterprise Java beans",
            "Lavajava roasting",
        ]

    def test_an_alias_that_matches_exactly_beats_a_name_prefix(self):
        SkillFactory(name="Excellence coaching")
        SkillFactory(name="Microsoft Excel", aliases=["excel", "ms excel"])

        assert names(search_skills("excel")) == ["Microsoft Excel", "Excellence coaching"]

    def test_ties_are_broken_by_name_ignoring_case(self):
        for name in ["Data cleaning", "data annotation", "Data analysis"]:
            SkillFactory(name=name)

        assert names(search_skills("data")) == ["Data analysis", "data annotation", "Data cleaning"]

    def test_matching_ignores_case_of_stored_names(self):
        SkillFactory(name="GraphQL", aliases=["GQL"])

        assert names(search_skills("gql")) == ["GraphQL"]
        assert names(search_skills("GRAPH")) == ["GraphQL"]


class TestQueryHandling:
    def test_empty_query_finds_nothing(self):
        SkillFactory(name="Python")

        assert search_skills("") == []
        assert search_skills("   ") == []
        assert search_skills(None) == []

    def test_empty_query_with_a_category_lists_it_by_name(self):
        languages = SkillCategoryFactory(slug="languages")
        SkillFactory(name="Spanish", category=languages)
        SkillFactory(name="Arabic", category=languages)
        SkillFactory(name="Python")

        assert names(search_skills("", category="languages")) == ["Arabic", "Spanish"]

    def test_like_wildcards_are_taken_literally(self):
        SkillFactory(name="Uptime 100% club")
        SkillFactory(name="Snake_case naming")
        SkillFactory(name="Anything else")

        assert names(search_skills("%")) == ["Uptime 100% club"]
        assert names(search_skills("_")) == ["Snake_case naming"]

    def test_the_separator_cannot_reach_across_terms(self):
        SkillFactory(name="Python", aliases=["py"])

        assert search_skills("python|py") == []

    def test_long_queries_are_cut(self):
        SkillFactory(name="Python")

        assert search_skills("python" + "x" * 10_000) == []
        assert len(clean_query("y" * 10_000)) == 100
        assert normalize_query("  Machine   LEARNING ") == "machine learning"

    def test_limit_is_clamped(self):
        category = SkillCategoryFactory()
        for n in range(MAX_LIMIT + 5):
            SkillFactory(name=f"Widget design {n:02}", category=category)

        assert len(search_skills("widget", limit=3)) == 3
        assert len(search_skills("widget", limit=0)) == 1
        assert len(search_skills("widget", limit=1000)) == MAX_LIMIT


class TestQueryBudget:
    QUERIES = ["js", "data", "ing", "e", "no such skill"]

    def assert_one_query_each(self, django_assert_max_num_queries):
        for query in self.QUERIES:
            with django_assert_max_num_queries(1):
                found = search_skills(query, limit=50)
                # Touching the category must not cost a query per skill.
                [skill.category.name for skill in found]
            with django_assert_max_num_queries(1):
                search_skills(query, category="data-analytics")

    def test_with_the_shipped_taxonomy(self, taxonomy, django_assert_max_num_queries):
        self.assert_one_query_each(django_assert_max_num_queries)

    def test_after_adding_two_thousand_skills(
        self, taxonomy, add_synthetic_skills, django_assert_max_num_queries
    ):
        add_synthetic_skills(2000)

        self.assert_one_query_each(django_assert_max_num_queries)
        # The bigger taxonomy competes, yet the best match still wins.
        assert names(search_skills("excel"))[0] == "Microsoft Excel"
        assert names(search_skills("java"))[0] == "Java"


def test_categories_with_counts(taxonomy, django_assert_num_queries):
    with django_assert_num_queries(1):
        categories = list(categories_with_counts())

    assert categories[0].slug == "software-development"
    assert [c.position for c in categories] == sorted(c.position for c in categories)
    languages = next(c for c in categories if c.slug == "languages")
    assert languages.skill_count == languages.skills.count()


def test_skills_by_ids(taxonomy, django_assert_num_queries):
    python = search_skills("python")[0]

    with django_assert_num_queries(1):
        found = skills_by_ids([python.pk, 10**9])

    assert found == {python.pk: python}
