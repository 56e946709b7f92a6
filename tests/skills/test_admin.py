import pytest
from django.urls import reverse

from practicum.skills.models import Skill, SkillCategory

pytestmark = pytest.mark.django_db


def test_skill_changelist_finds_by_alias_and_filters_by_category(taxonomy, admin_client):
    url = reverse("admin:skills_skill_changelist")

    by_alias = admin_client.get(url, {"q": "ecmascript"})
    by_category = admin_client.get(
        url, {"category__id__exact": Skill.objects.get(slug="sql").category_id}
    )

    assert by_alias.status_code == 200
    assert list(by_alias.context["cl"].result_list) == [Skill.objects.get(slug="javascript")]
    assert by_category.status_code == 200
    assert {s.category.slug for s in by_category.context["cl"].result_list} == {"data-analytics"}


def test_category_changelist_shows_counts(taxonomy, admin_client):
    response = admin_client.get(reverse("admin:skills_skillcategory_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == SkillCategory.objects.count()


def test_editing_a_skill_in_the_admin_keeps_it_searchable(taxonomy, admin_client):
    skill = Skill.objects.get(slug="rust")
    url = reverse("admin:skills_skill_change", args=[skill.pk])

    response = admin_client.post(
        url, {"name": "Rust", "category": skill.category_id, "aliases": '["rustlang", "ferris"]'}
    )

    assert response.status_code == 302
    skill.refresh_from_db()
    assert (skill.slug, skill.search_text) == ("rust", "rust|rustlang|ferris")
