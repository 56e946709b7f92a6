import pytest
from django.test import Client

from practicum.skills.models import Skill, SkillCategory

pytestmark = pytest.mark.django_db

URL = "/api/v1/skills"


@pytest.fixture
def anonymous():
    return Client()


class TestSearch:
    def test_is_public_and_returns_the_best_match_first(self, taxonomy, anonymous):
        response = anonymous.get(URL, {"q": "js"})

        assert response.status_code == 200
        first = response.json()[0]
        javascript = Skill.objects.get(slug="javascript")
        assert first == {
            "id": javascript.pk,
            "slug": "javascript",
            "name": "JavaScript",
            "category": {"slug": "software-development", "name": "Software development"},
            "aliases": ["js", "ecmascript", "es6"],
        }

    def test_limit_and_category(self, taxonomy, anonymous):
        response = anonymous.get(URL, {"q": "a", "category": "languages", "limit": 5})

        body = response.json()
        assert len(body) == 5
        assert {skill["category"]["slug"] for skill in body} == {"languages"}

    def test_empty_query_is_an_empty_list(self, taxonomy, anonymous):
        assert anonymous.get(URL).json() == []

    def test_logged_in_users_may_search_too(self, taxonomy, student, client_for):
        response = client_for(student).get(URL, {"q": "ml"})

        assert response.json()[0]["name"] == "Machine learning"

    @pytest.mark.parametrize("limit", ["0", "51", "-3", "many"])
    def test_bad_limit_is_a_422_with_a_code(self, taxonomy, anonymous, limit):
        response = anonymous.get(URL, {"q": "js", "limit": limit})

        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid"
        assert "limit" in body["fields"]

    def test_unknown_category_is_a_422(self, taxonomy, anonymous):
        response = anonymous.get(URL, {"q": "js", "category": "wizardry"})

        assert response.status_code == 422
        assert response.json()["code"] == "unknown_category"
        assert "category" in response.json()["fields"]

    def test_costs_one_query(self, taxonomy, anonymous, django_assert_max_num_queries):
        with django_assert_max_num_queries(1):
            anonymous.get(URL, {"q": "data", "limit": 50})


def test_categories_with_skill_counts(taxonomy, anonymous, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = anonymous.get(f"{URL}/categories")

    assert response.status_code == 200
    body = response.json()["items"]
    assert len(body) == SkillCategory.objects.count()
    assert body[0]["slug"] == "software-development"
    assert sum(category["skill_count"] for category in body) == Skill.objects.count()
    languages = next(c for c in body if c["slug"] == "languages")
    assert languages == {
        "slug": "languages",
        "name": "Languages",
        "position": languages["position"],
        "skill_count": Skill.objects.filter(category__slug="languages").count(),
    }
