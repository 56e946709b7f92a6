import json

import pytest
from django.core.management import CommandError, call_command

from practicum.skills.models import Skill, SkillCategory
from practicum.skills.services import DEFAULT_TAXONOMY_PATH, InvalidTaxonomy, load_taxonomy
from tests.factories import SkillCategoryFactory, SkillFactory

pytestmark = pytest.mark.django_db


def minimal(**skill_overrides):
    skill = {"slug": "python", "name": "Python", "category": "dev", "aliases": ["py"]}
    skill.update(skill_overrides)
    return {
        "categories": [{"slug": "dev", "name": "Software development"}],
        "skills": [skill],
    }


class TestShippedTaxonomy:
    def test_loads_with_enough_skills_and_categories(self, taxonomy_data):
        counts = load_taxonomy()

        assert Skill.objects.count() == len(taxonomy_data["skills"]) >= 400
        assert SkillCategory.objects.count() == len(taxonomy_data["categories"]) >= 10
        assert counts["created"] == len(taxonomy_data["skills"])
        assert counts["categories"]["created"] == len(taxonomy_data["categories"])
        assert counts["updated"] == counts["unchanged"] == counts["not_in_file"] == 0

    def test_every_category_has_skills(self, taxonomy):
        assert not SkillCategory.objects.filter(skills__isnull=True).exists()

    def test_well_known_aliases_are_present(self, taxonomy):
        expected = {
            "javascript": {"js", "ecmascript"},
            "machine-learning": {"ml"},
            "microsoft-excel": {"excel", "ms excel", "spreadsheets"},
            "search-engine-optimization": {"seo"},
        }
        for slug, aliases in expected.items():
            assert aliases <= set(Skill.objects.get(slug=slug).aliases), slug

    def test_search_text_is_lower_cased_name_then_aliases(self, taxonomy):
        skill = Skill.objects.get(slug="javascript")
        assert skill.search_text == "javascript|js|ecmascript|es6"

    def test_spoken_languages_are_a_category(self, taxonomy):
        names = set(Skill.objects.filter(category__slug="languages").values_list("name", flat=True))
        assert {"Spanish", "Mandarin Chinese", "Arabic", "French"} <= names


class TestReload:
    def test_loading_twice_changes_nothing(self, taxonomy):
        ids_before = dict(Skill.objects.values_list("slug", "id"))
        category_ids_before = dict(SkillCategory.objects.values_list("slug", "id"))

        counts = load_taxonomy()

        assert dict(Skill.objects.values_list("slug", "id")) == ids_before
        assert dict(SkillCategory.objects.values_list("slug", "id")) == category_ids_before
        assert counts["created"] == counts["updated"] == counts["not_in_file"] == 0
        assert counts["unchanged"] == len(ids_before)
        assert counts["categories"] == {
            "created": 0,
            "updated": 0,
            "unchanged": len(category_ids_before),
        }

    def test_edited_name_updates_in_place(self, taxonomy, taxonomy_data, write_taxonomy):
        before = Skill.objects.get(slug="javascript")
        entry = next(s for s in taxonomy_data["skills"] if s["slug"] == "javascript")
        entry["name"] = "JavaScript (ES2024)"
        entry["aliases"].append("vanilla js")

        counts = load_taxonomy(write_taxonomy(taxonomy_data))

        after = Skill.objects.get(slug="javascript")
        assert after.pk == before.pk
        assert after.name == "JavaScript (ES2024)"
        assert after.search_text == "javascript (es2024)|js|ecmascript|es6|vanilla js"
        assert (counts["created"], counts["updated"]) == (0, 1)
        assert counts["unchanged"] == len(taxonomy_data["skills"]) - 1

    def test_moving_a_skill_to_another_category(self, taxonomy, taxonomy_data, write_taxonomy):
        entry = next(s for s in taxonomy_data["skills"] if s["slug"] == "sql")
        entry["category"] = "software-development"

        load_taxonomy(write_taxonomy(taxonomy_data))

        assert Skill.objects.get(slug="sql").category.slug == "software-development"

    def test_renamed_category_keeps_its_id(self, taxonomy, taxonomy_data, write_taxonomy):
        before = SkillCategory.objects.get(slug="languages")
        entry = next(c for c in taxonomy_data["categories"] if c["slug"] == "languages")
        entry["name"] = "Spoken languages"

        counts = load_taxonomy(write_taxonomy(taxonomy_data))

        after = SkillCategory.objects.get(slug="languages")
        assert (after.pk, after.name) == (before.pk, "Spoken languages")
        assert counts["categories"]["updated"] == 1

    def test_stale_search_text_is_recomputed(self, taxonomy):
        Skill.objects.filter(slug="python").update(search_text="stale")

        counts = load_taxonomy()

        assert Skill.objects.get(slug="python").search_text == "python|py|python3"
        assert counts["updated"] == 1

    def test_two_skills_may_trade_names(self, write_taxonomy):
        data = {
            "categories": [{"slug": "dev", "name": "Dev"}],
            "skills": [
                {"slug": "a", "name": "Alpha", "category": "dev", "aliases": []},
                {"slug": "b", "name": "Beta", "category": "dev", "aliases": []},
            ],
        }
        load_taxonomy(write_taxonomy(data))
        data["skills"][0]["name"], data["skills"][1]["name"] = "Beta", "Alpha"

        load_taxonomy(write_taxonomy(data))

        assert dict(Skill.objects.values_list("slug", "name")) == {"a": "Beta", "b": "Alpha"}

    def test_skills_left_out_of_the_file_are_kept(self, write_taxonomy):
        kept = SkillFactory(slug="cobol", name="COBOL")

        counts = load_taxonomy(write_taxonomy(minimal()))

        assert Skill.objects.filter(pk=kept.pk).exists()
        assert counts["not_in_file"] == 1


class TestInvalidFile:
    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda d: d["skills"].append(dict(d["skills"][0])), 'duplicate skill slug "python"'),
            (
                lambda d: d["skills"].append(
                    {"slug": "python-2", "name": "PYTHON", "category": "dev", "aliases": []}
                ),
                'name "PYTHON" is already used by "Python"',
            ),
            (
                lambda d: d["skills"].append(
                    {"slug": "pytorch", "name": "PyTorch", "category": "dev", "aliases": ["py"]}
                ),
                'alias "py" is already used by "Python"',
            ),
            (lambda d: d["skills"][0].update(category="snakes"), 'unknown category "snakes"'),
            (lambda d: d["categories"].append(dict(d["categories"][0])), "duplicate category"),
            (lambda d: d["skills"][0].update(slug="Py thon"), 'slug "Py thon" may only hold'),
            (lambda d: d["skills"][0].update(name=""), '"name" must be a non-empty string'),
            (lambda d: d["skills"][0].update(name="x" * 101), "longer than 100 characters"),
            (lambda d: d["skills"][0].update(aliases="py"), '"aliases" must be a list'),
            (lambda d: d["skills"][0].update(aliases=["a|b"]), 'may not contain "|"'),
            (lambda d: d["skills"][0].update(aliases=["python"]), "listed twice"),
            (lambda d: d["skills"][0].update(alias=["py"]), 'unknown key "alias"'),
            (lambda d: d.pop("skills"), '"categories" and "skills" must both be lists'),
        ],
    )
    def test_is_refused_with_a_clear_message_and_writes_nothing(
        self, write_taxonomy, change, message
    ):
        data = minimal()
        change(data)

        with pytest.raises(InvalidTaxonomy) as caught:
            load_taxonomy(write_taxonomy(data))

        assert message in caught.value.message
        assert caught.value.code == "invalid_taxonomy"
        assert not Skill.objects.exists()
        assert not SkillCategory.objects.exists()

    def test_every_problem_is_reported_at_once(self, write_taxonomy):
        data = minimal(category="nope")
        data["skills"].append({"slug": "python", "name": "Python 2", "category": "dev"})

        with pytest.raises(InvalidTaxonomy) as caught:
            load_taxonomy(write_taxonomy(data))

        assert len(caught.value.problems) == 2
        assert "skills[0]" in caught.value.problems[0]
        assert "skills[1]" in caught.value.problems[1]

    def test_malformed_json(self, tmp_path):
        path = tmp_path / "broken.json"
        path.write_text('{"categories": [', encoding="utf-8")

        with pytest.raises(InvalidTaxonomy, match="not valid JSON at line 1"):
            load_taxonomy(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(InvalidTaxonomy, match="cannot be read"):
            load_taxonomy(tmp_path / "nowhere.json")

    def test_conflict_with_the_database_rolls_everything_back(self, write_taxonomy):
        # Categories are written before this conflict is found; the transaction must undo them.
        SkillFactory(slug="old-python", name="Python", category=SkillCategoryFactory(slug="old"))

        with pytest.raises(InvalidTaxonomy, match='skill "old-python" in the database'):
            load_taxonomy(write_taxonomy(minimal()))

        assert list(SkillCategory.objects.values_list("slug", flat=True)) == ["old"]
        assert list(Skill.objects.values_list("slug", flat=True)) == ["old-python"]


class TestCommand:
    def test_prints_counts(self, capsys):
        call_command("load_skills")
        call_command("load_skills")

        lines = capsys.readouterr().out.splitlines()
        total = len(json.loads(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))["skills"])
        assert lines[0].startswith(f"Skills: {total} created, 0 updated, 0 unchanged.")
        assert lines[1].startswith(f"Skills: 0 created, 0 updated, {total} unchanged.")

    def test_bad_file_is_a_command_error(self, write_taxonomy):
        path = write_taxonomy(minimal(category="nope"))

        with pytest.raises(CommandError, match='unknown category "nope"'):
            call_command("load_skills", path=path)


def test_saving_a_skill_recomputes_search_text():
    skill = SkillFactory(name="Rust", aliases=[])
    skill.aliases = ["Rust-lang"]
    skill.save(update_fields=["aliases"])

    skill.refresh_from_db()
    assert skill.search_text == "rust|rust-lang"
