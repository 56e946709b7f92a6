import re

import pytest
from django.test import Client
from django.urls import reverse

from practicum.skills.models import Skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("skills:autocomplete")


@pytest.fixture
def anonymous():
    return Client()


def options(html):
    return re.findall(r'<li role="option">(.*?)</li>', html, flags=re.S)


class TestAutocomplete:
    def test_lists_suggestions_best_first(self, taxonomy, anonymous, url):
        response = anonymous.get(url, {"q": "js"})

        assert response.status_code == 200
        html = response.content.decode()
        javascript = Skill.objects.get(slug="javascript")
        assert options(html)[0] == (
            f'<button type="button" class="suggestion" data-skill-id="{javascript.pk}" '
            'data-skill-name="JavaScript">JavaScript '
            '<span class="muted">Software development</span></button>'
        )
        shown = re.findall(r'data-skill-name="(.*?)"', html)
        assert shown == [
            "JavaScript",
            "Express.js",
            "Next.js",
            "Node.js",
            "React",
            "Three.js",
            "Vue.js",
        ]
        assert "No skill matches" not in html

    def test_escapes_names(self, taxonomy, anonymous, url):
        html = anonymous.get(url, {"q": "a/b testing"}).content.decode()

        assert 'data-skill-name="A/B testing"' in html
        assert '<span class="muted">Data &amp; analytics</span>' in html

    def test_shows_a_message_when_nothing_matches(self, taxonomy, anonymous, url):
        html = anonymous.get(url, {"q": "  Underwater <basket> weaving "}).content.decode()

        assert html.strip() == (
            '<li class="muted">No skill matches “Underwater &lt;basket&gt; weaving”.</li>'
        )

    @pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
    def test_empty_query_renders_nothing(self, taxonomy, anonymous, url, params):
        response = anonymous.get(url, params)

        assert response.status_code == 200
        assert response.content.decode().strip() == ""

    def test_category_narrows_suggestions(self, taxonomy, anonymous, url):
        html = anonymous.get(url, {"q": "ing", "category": "languages"}).content.decode()

        assert set(re.findall(r'<span class="muted">(.*?)</span>', html)) == {"Languages"}

    def test_works_for_logged_in_users(self, taxonomy, student, client_for, url):
        html = client_for(student).get(url, {"q": "excel"}).content.decode()

        assert 'data-skill-name="Microsoft Excel"' in options(html)[0]

    def test_only_get(self, anonymous, url):
        assert anonymous.post(url, {"q": "js"}).status_code == 405


class TestAutocompleteQueryBudget:
    def assert_budget(self, client, url, django_assert_max_num_queries):
        for query in ["js", "data", "e", "no such skill"]:
            with django_assert_max_num_queries(1):
                client.get(url, {"q": query})

    def test_with_the_shipped_taxonomy(
        self, taxonomy, anonymous, url, django_assert_max_num_queries
    ):
        self.assert_budget(anonymous, url, django_assert_max_num_queries)

    def test_after_adding_two_thousand_skills(
        self, taxonomy, add_synthetic_skills, anonymous, url, django_assert_max_num_queries
    ):
        add_synthetic_skills(2000)

        self.assert_budget(anonymous, url, django_assert_max_num_queries)

    def test_logged_in_adds_only_the_session_and_user(
        self, taxonomy, student, client_for, url, django_assert_max_num_queries
    ):
        client = client_for(student)
        with django_assert_max_num_queries(3):
            client.get(url, {"q": "data"})
