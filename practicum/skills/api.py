"""The skill taxonomy as JSON. It is public: anyone may search it, logged in or not."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from practicum.core.errors import ServiceError
from practicum.core.pagination import Pagination
from practicum.core.schemas import InputSchema, SingleLine, Slug
from practicum.skills import selectors

router = Router(tags=["skills"])


class CategoryRef(Schema):
    slug: str
    name: str


class SkillOut(Schema):
    id: int
    slug: str
    name: str
    category: CategoryRef
    aliases: list[str]


class CategoryOut(Schema):
    slug: str
    name: str
    position: int
    skill_count: int


class SkillSearch(InputSchema):
    q: SingleLine = Field(
        "",
        description=(
            "Words to find in a skill's name or aliases, ignoring case; "
            f"cut to {selectors.MAX_QUERY_LENGTH} characters."
        ),
    )
    category: Slug | None = Field(None, description="A category slug, to search only there.")
    limit: int = Field(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT)


@router.get(
    "",
    response=list[SkillOut],
    auth=None,
    summary="Search skills",
    description=(
        "Best match first: exact name or alias, then name or alias prefix, then any substring; "
        "ties by name. An empty `q` returns nothing, or with `category` that category's skills "
        "by name."
    ),
)
def search_skills(request, params: Query[SkillSearch]):
    skills = selectors.search_skills(params.q, category=params.category, limit=params.limit)
    # Only an empty answer can hide a misspelt category, so only then is it worth a query.
    if not skills and params.category and not selectors.category_exists(params.category):
        raise ServiceError(
            "unknown_category",
            f'There is no skill category "{params.category}".',
            status=422,
            fields={"category": ["Unknown category."]},
        )
    return skills


@router.get(
    "/categories",
    response=list[CategoryOut],
    auth=None,
    summary="Skill categories, with how many skills each holds",
)
@paginate(Pagination)
def list_categories(request):
    return list(selectors.categories_with_counts())
