import json

import pytest

from practicum.skills.models import Skill, SkillCategory, build_search_text
from practicum.skills.services import DEFAULT_TAXONOMY_PATH, load_taxonomy


@pytest.fixture
def taxonomy(db):
    """The shipped taxonomy, loaded the way `manage.py load_skills` loads it."""
    return load_taxonomy()


@pytest.fixture
def taxonomy_data():
    """The shipped file's content, to edit and write back to a temporary file."""
    return json.loads(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def write_taxonomy(tmp_path):
    def write(data, name="skills.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def add_synthetic_skills(db):
    """Bulk-add `count` plausible skills that share words with real ones, so they compete in
    searches the way a much larger taxonomy would."""

    def add(count):
        category, _ = SkillCategory.objects.get_or_create(
            slug="synthetic", defaults={"name": "Synthetic", "position": 99}
        )
        words = ["data", "java", "design", "excel", "market", "learning", "script", "sales"]
        skills = []
        for n in range(count):
            name = f"{words[n % len(words)].title()} practice {n}"
            aliases = [f"{words[(n + 3) % len(words)]} drill {n}"]
            skills.append(
                Skill(
                    slug=f"synthetic-{n}",
                    name=name,
                    category=category,
                    aliases=aliases,
                    search_text=build_search_text(name, aliases),
                )
            )
        Skill.objects.bulk_create(skills, batch_size=500)

    return add
