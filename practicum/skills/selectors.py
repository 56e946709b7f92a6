"""Reads for the skill taxonomy. Each function costs one query whatever the size of the taxonomy."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from practicum.skills.models import SEARCH_SEPARATOR, Skill, SkillCategory

MAX_QUERY_LENGTH = 100
DEFAULT_LIMIT = 20
MAX_LIMIT = 50

# Lower rank sorts first. The name is the first term of search_text (see build_search_text),
# which is what tells "the name starts with it" apart from "an alias starts with it".
RANK_NAME_EXACT = 0
RANK_ALIAS_EXACT = 1
RANK_NAME_PREFIX = 2
RANK_ALIAS_PREFIX = 3
RANK_WORD_PREFIX = 4
RANK_SUBSTRING = 5


def clean_query(query: str | None) -> str:
    """The query as the user meant it: whitespace collapsed, capped at MAX_QUERY_LENGTH."""
    # Slice before splitting so a megabyte of input costs no more than a long word.
    return " ".join((query or "")[: MAX_QUERY_LENGTH * 2].split())[:MAX_QUERY_LENGTH].strip()


def normalize_query(query: str | None) -> str:
    """The query as search_text stores terms: cleaned and lower-cased, without the separator."""
    return clean_query((query or "").replace(SEARCH_SEPARATOR, " ")).lower()


def _rank(term: str) -> Case:
    sep = SEARCH_SEPARATOR
    return Case(
        When(
            Q(search_text=term) | Q(search_text__startswith=term + sep), then=Value(RANK_NAME_EXACT)
        ),
        When(
            Q(search_text__endswith=sep + term) | Q(search_text__contains=sep + term + sep),
            then=Value(RANK_ALIAS_EXACT),
        ),
        When(search_text__startswith=term, then=Value(RANK_NAME_PREFIX)),
        When(search_text__contains=sep + term, then=Value(RANK_ALIAS_PREFIX)),
        When(
            Q(search_text__contains=" " + term) | Q(search_text__contains="-" + term),
            then=Value(RANK_WORD_PREFIX),
        ),
        default=Value(RANK_SUBSTRING),
        output_field=IntegerField(),
    )


def search_skills(
    query: str | None, *, category: str | None = None, limit: int = DEFAULT_LIMIT
) -> list[Skill]:
    """Skills whose name or an alias contains the query, ignoring case, best match first.

    Order: exact name, exact alias, name prefix, alias prefix, a later word's prefix, any
    substring; ties by name. So "js" finds JavaScript first and "excel" Microsoft Excel.

    An empty query finds nothing, except with a category, where it lists that category's skills
    by name (a browsable list for pickers). `category` is a category slug; `limit` is clamped to
    1..MAX_LIMIT. One query, with the category joined in.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    term = normalize_query(query)
    skills = Skill.objects.select_related("category")
    if category:
        skills = skills.filter(category__slug=category)
    elif not term:
        return []
    if term:
        # search_text is stored lower-cased and the term is lower-cased here, so the plain
        # (case-sensitive on PostgreSQL) LIKE of `contains` is enough and matches on every backend.
        skills = skills.filter(search_text__contains=term).annotate(rank=_rank(term))
        skills = skills.order_by("rank", Lower("name"), "pk")
    else:
        skills = skills.order_by(Lower("name"), "pk")
    return list(skills[:limit])


def categories_with_counts() -> QuerySet[SkillCategory]:
    """Every category in display order, each with `skill_count`."""
    return SkillCategory.objects.annotate(skill_count=Count("skills")).order_by("position", "name")


def category_exists(slug: str) -> bool:
    return SkillCategory.objects.filter(slug=slug).exists()


def skills_by_ids(ids) -> dict[int, Skill]:
    """The skills with these ids (unknown ids are left out), keyed by id, categories joined."""
    return Skill.objects.select_related("category").in_bulk(list(ids))
