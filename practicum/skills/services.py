"""Writes for the skill taxonomy.

The taxonomy ships as data (`data/skills.json`) and is loaded by `manage.py load_skills`; there is
no user-facing way to edit it, so the loader has no permission check: whoever can run management
commands may load it.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction

from practicum.core.errors import ServiceError
from practicum.skills.models import SEARCH_SEPARATOR, Skill, SkillCategory, build_search_text

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "skills.json"

# Mirrors the model fields, so a bad file is refused with a sentence instead of a DataError.
SLUG_MAX = {"category": SkillCategory._meta.get_field("slug").max_length}
SLUG_MAX["skill"] = Skill._meta.get_field("slug").max_length
NAME_MAX = {"category": SkillCategory._meta.get_field("name").max_length}
NAME_MAX["skill"] = Skill._meta.get_field("name").max_length
ALIAS_MAX = 100

CATEGORY_KEYS = {"slug", "name"}
SKILL_KEYS = {"slug", "name", "category", "aliases"}


class InvalidTaxonomy(ServiceError):
    """The taxonomy file cannot be loaded; `problems` lists every reason found, not only the first,
    so whoever edits the file can fix it in one go."""

    status = 422

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(
            "invalid_taxonomy",
            f"{path} cannot be loaded ({len(problems)} problem(s)):\n{lines}",
            fields={"__all__": problems},
        )


@dataclass(frozen=True)
class CategoryEntry:
    slug: str
    name: str
    position: int


@dataclass(frozen=True)
class SkillEntry:
    slug: str
    name: str
    category: str
    aliases: tuple[str, ...]


def _read_file(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidTaxonomy(path, [f"the file cannot be read: {exc.strerror or exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise InvalidTaxonomy(path, ["the file is not UTF-8 text"]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidTaxonomy(
            path, [f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from exc
    if not isinstance(data, dict):
        raise InvalidTaxonomy(
            path, ['the file must be a JSON object with "categories" and "skills"']
        )
    return data


def _text(entry: dict, key: str, where: str, problems: list[str], *, max_length: int) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f'{where}: "{key}" must be a non-empty string')
        return ""
    value = value.strip()
    if len(value) > max_length:
        problems.append(f'{where}: "{key}" is longer than {max_length} characters')
    if SEARCH_SEPARATOR in value:
        problems.append(f'{where}: "{key}" may not contain "{SEARCH_SEPARATOR}"')
    return value


def _slug(entry: dict, where: str, problems: list[str], *, max_length: int) -> str:
    slug = _text(entry, "slug", where, problems, max_length=max_length)
    if slug:
        try:
            validate_slug(slug)
        except ValidationError:
            problems.append(f'{where}: slug "{slug}" may only hold letters, digits, "-" and "_"')
    return slug


def _unknown_keys(entry: dict, allowed: set[str], where: str, problems: list[str]) -> None:
    # A misspelt key ("alias") would otherwise be ignored and its data silently lost.
    for key in sorted(set(entry) - allowed):
        problems.append(f'{where}: unknown key "{key}" (allowed: {", ".join(sorted(allowed))})')


def parse_taxonomy(path: Path) -> tuple[list[CategoryEntry], list[SkillEntry]]:
    """Read and check a taxonomy file without touching the database.

    Refused: malformed JSON, missing or mistyped fields, duplicate slugs, duplicate names (ignoring
    case), skills in unknown categories, and a name or alias that two skills share — an alias must
    lead to exactly one skill, or searching for it would be a coin toss.
    """
    data = _read_file(path)
    problems: list[str] = []
    raw_categories = data.get("categories")
    raw_skills = data.get("skills")
    if not isinstance(raw_categories, list) or not isinstance(raw_skills, list):
        raise InvalidTaxonomy(path, ['"categories" and "skills" must both be lists'])
    _unknown_keys(data, {"version", "categories", "skills"}, "the file", problems)

    categories: list[CategoryEntry] = []
    category_slugs: set[str] = set()
    category_names: set[str] = set()
    for index, entry in enumerate(raw_categories):
        where = f"categories[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object")
            continue
        _unknown_keys(entry, CATEGORY_KEYS, where, problems)
        slug = _slug(entry, where, problems, max_length=SLUG_MAX["category"])
        name = _text(entry, "name", where, problems, max_length=NAME_MAX["category"])
        if slug in category_slugs:
            problems.append(f'{where}: duplicate category slug "{slug}"')
        if name and name.lower() in category_names:
            problems.append(f'{where}: duplicate category name "{name}"')
        category_slugs.add(slug)
        category_names.add(name.lower())
        categories.append(CategoryEntry(slug=slug, name=name, position=index))

    skills: list[SkillEntry] = []
    skill_slugs: set[str] = set()
    # Every lower-cased name and alias, mapped to the skill that owns it.
    owner_of_term: dict[str, str] = {}
    for index, entry in enumerate(raw_skills):
        where = f"skills[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object")
            continue
        _unknown_keys(entry, SKILL_KEYS, where, problems)
        slug = _slug(entry, where, problems, max_length=SLUG_MAX["skill"])
        name = _text(entry, "name", where, problems, max_length=NAME_MAX["skill"])
        if name:
            where = f'{where} ("{name}")'
        category = entry.get("category")
        if not isinstance(category, str) or category not in category_slugs:
            problems.append(f"{where}: unknown category {json.dumps(category)}")
        if slug in skill_slugs:
            problems.append(f'{where}: duplicate skill slug "{slug}"')
        skill_slugs.add(slug)

        raw_aliases = entry.get("aliases", [])
        if not isinstance(raw_aliases, list):
            problems.append(f'{where}: "aliases" must be a list of strings')
            raw_aliases = []
        aliases: list[str] = []
        for position, alias in enumerate(raw_aliases):
            alias_where = f"{where} alias {position}"
            alias = _text({"alias": alias}, "alias", alias_where, problems, max_length=ALIAS_MAX)
            if alias:
                aliases.append(alias)

        terms_here: set[str] = set()
        for kind, term in [("name", name), *(("alias", alias) for alias in aliases)]:
            key = term.lower()
            if not key:
                continue
            if key in terms_here:
                problems.append(
                    f'{where}: "{term}" is listed twice (names and aliases ignore case)'
                )
            elif key in owner_of_term:
                problems.append(f'{where}: {kind} "{term}" is already used by {owner_of_term[key]}')
            terms_here.add(key)
        for key in terms_here:
            owner_of_term.setdefault(key, f'"{name}"')
        skills.append(SkillEntry(slug, name, category or "", tuple(aliases)))

    if problems:
        raise InvalidTaxonomy(path, problems)
    return categories, skills


def _counts(created: int, updated: int, unchanged: int) -> dict[str, int]:
    return {"created": created, "updated": updated, "unchanged": unchanged}


def _write_categories(entries: list[CategoryEntry]) -> tuple[dict[str, SkillCategory], dict]:
    existing = {category.slug: category for category in SkillCategory.objects.all()}
    to_create, to_update, unchanged = [], [], 0
    for entry in entries:
        category = existing.get(entry.slug)
        if category is None:
            to_create.append(
                SkillCategory(slug=entry.slug, name=entry.name, position=entry.position)
            )
        elif (category.name, category.position) != (entry.name, entry.position):
            category.name, category.position = entry.name, entry.position
            to_update.append(category)
        else:
            unchanged += 1
    SkillCategory.objects.bulk_update(to_update, ["name", "position"])
    for category in to_create:
        # One by one: bulk_create does not return primary keys on every backend we support.
        category.save()
        existing[category.slug] = category
    return existing, _counts(len(to_create), len(to_update), unchanged)


def _write_skills(path: Path, entries: list[SkillEntry], categories: dict) -> dict:
    existing = {skill.slug: skill for skill in Skill.objects.all()}
    in_file = {entry.slug for entry in entries}
    held_elsewhere = {
        skill.name: skill.slug for slug, skill in existing.items() if slug not in in_file
    }
    problems = [
        f'"{entry.name}" is the name of skill "{held_elsewhere[entry.name]}" in the database, '
        "which the file no longer lists; rename that skill first"
        for entry in entries
        if entry.name in held_elsewhere
    ]
    if problems:
        raise InvalidTaxonomy(path, problems)

    names_before = {skill.pk: skill.name for skill in existing.values()}
    to_create, to_update, unchanged = [], [], 0
    for entry in entries:
        category = categories[entry.category]
        aliases = list(entry.aliases)
        search_text = build_search_text(entry.name, aliases)
        skill = existing.get(entry.slug)
        if skill is None:
            to_create.append(
                Skill(
                    slug=entry.slug,
                    name=entry.name,
                    category=category,
                    aliases=aliases,
                    search_text=search_text,
                )
            )
            continue
        current = (skill.name, skill.category_id, skill.aliases, skill.search_text)
        if current == (entry.name, category.pk, aliases, search_text):
            unchanged += 1
            continue
        skill.name, skill.category, skill.aliases = entry.name, category, aliases
        skill.search_text = search_text
        to_update.append(skill)

    # Two skills may trade names in one load; park the renamed ones on a unique placeholder first
    # so the unique index on name never sees two rows with the same name mid-transaction.
    taken = set(names_before.values())
    renamed = [s for s in to_update if s.name != names_before[s.pk] and s.name in taken]
    if renamed:
        parked = [Skill(pk=skill.pk, name=f"~renaming {skill.pk}~") for skill in renamed]
        Skill.objects.bulk_update(parked, ["name"])
    Skill.objects.bulk_update(to_update, ["name", "category", "aliases", "search_text"])
    Skill.objects.bulk_create(to_create)
    counts = _counts(len(to_create), len(to_update), unchanged)
    counts["not_in_file"] = len(existing) - (len(to_update) + unchanged)
    return counts


def load_taxonomy(path: Path | str = DEFAULT_TAXONOMY_PATH) -> dict:
    """Create or update every category and skill of the file, matched by slug, in one transaction.

    A skill keeps its id across reloads (profiles and projects point at it); loading the same file
    twice changes nothing. Skills missing from the file are kept, since profiles may still hold
    them, and counted as `not_in_file`. A bad file raises InvalidTaxonomy and writes nothing.

    Returns the skill counts `created`, `updated`, `unchanged`, `not_in_file`, and the same first
    three for `categories`.
    """
    path = Path(path)
    category_entries, skill_entries = parse_taxonomy(path)
    try:
        with transaction.atomic():
            categories, category_counts = _write_categories(category_entries)
            counts = _write_skills(path, skill_entries, categories)
    except IntegrityError as exc:
        raise InvalidTaxonomy(path, [f"the database refused the change: {exc}"]) from exc
    counts["categories"] = category_counts
    return counts
