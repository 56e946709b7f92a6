"""Projects over JSON: the same services, selectors and rules as the pages."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from practicum.accounts.api_auth import session_auth, token_auth
from practicum.accounts.models import Organization
from practicum.core.api import ErrorOut
from practicum.core.cleaning import ENGAGEMENT_WEEKS_MAX
from practicum.core.markdown import render_markdown
from practicum.core.pagination import Pagination
from practicum.core.schemas import ID_MAX, Date, Id, InputSchema, MultiLine, SingleLine, Slug
from practicum.matching.reasons import PARAMS, ReasonCode
from practicum.matching.scoring import COMPONENTS
from practicum.projects import selectors, services
from practicum.projects import status as project_status
from practicum.projects.fit import rank_by_fit
from practicum.projects.forms import ProjectFilterForm
from practicum.projects.money import MAX_MINOR_UNITS
from practicum.projects.selectors import Sort

router = Router(tags=["projects"])


def _anyone(request):
    """Lets a request through without credentials; after the token and session checks, so a
    member who sends them is still recognised (and sees their organization's drafts)."""
    return request.user


# Public reads that still know who is asking when they can.
OPTIONAL_AUTH = [token_auth, session_auth, _anyone]


class ProjectOrganizationRef(Schema):
    slug: str
    name: str
    is_verified: bool


class MentorRef(Schema):
    id: int
    name: str


class ProjectSkillRef(Schema):
    id: int
    slug: str
    name: str
    category: str = Field(alias="category.name")


class ProjectSkillOut(Schema):
    skill: ProjectSkillRef
    min_level: int = Field(description="1 Beginner, 2 Working, 3 Proficient, 4 Expert")
    min_level_name: str = Field(alias="min_level_display")
    is_required: bool


class DeliverableOut(Schema):
    title: str
    description: str
    due_on: datetime.date | None


class ProjectSummaryOut(Schema):
    id: int
    url: str
    title: str
    summary: str
    organization: ProjectOrganizationRef
    status: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    application_deadline: datetime.date | None
    estimated_hours: int | None
    hours_per_week: int | None
    compensation_amount: int | None = Field(description="In minor units (cents for EUR)")
    currency: str = Field(description="ISO 4217 code")
    unpaid: bool = Field(description="Unpaid, for academic credit: no compensation amount")
    compensation_display: str = Field(
        description='For people, e.g. "600.00 EUR", or "Unpaid — for academic credit"'
    )
    hourly_display: str = Field(description="Compensation per estimated hour")
    work_mode: str
    location: str
    skills: list[ProjectSkillOut]
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ProjectOut(ProjectSummaryOut):
    description: str = Field(description="Markdown")
    description_html: str = Field(description="The description rendered and sanitized")
    objectives: list[str]
    learning_outcomes: list[str]
    screening_questions: list[str]
    deliverables: list[DeliverableOut]
    capacity: int
    places_left: int
    timezone: str
    mentor: MentorRef | None
    checkin_cadence: str
    checkin_weekday: int = Field(description="0 Monday … 6 Sunday")
    checkin_time: datetime.time
    response_time_hours: int
    accepting_applications: bool
    closed_message: str = Field(description="Why it takes no applications, or empty")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)

    @staticmethod
    def resolve_places_left(obj) -> int:
        return selectors.places_left(obj)

    @staticmethod
    def resolve_closed_message(obj) -> str:
        return selectors.closed_reason(obj)

    @staticmethod
    def resolve_accepting_applications(obj) -> bool:
        return not selectors.closed_reason(obj)


class FitReasonOut(Schema):
    """One reason explaining a fit score: a code with its parameters, and its sentence."""

    code: ReasonCode = Field(description="What the reason says; the sentence is in text")
    component: str = Field(
        description="The part of the score it explains: " + ", ".join(COMPONENTS)
    )
    params: dict[str, Any] = Field(
        description="The code's facts, by code: "
        + "; ".join(f"{code}: {', '.join(names) or '-'}" for code, names in PARAMS.items())
        + ". Levels go from 1 (beginner) to 4 (expert); skill is null when unnamed; unit is "
        "working_day or day (a project with no working day counts calendar days)."
    )
    text: str = Field(description="The sentence: to the student, or about them for an organization")


class FitOut(Schema):
    """How well a project and a student fit: a score with its parts and the reasons for it."""

    score: float = Field(description="0 to 1: the weighted mean of the components")
    percent: int = Field(description="The score as a whole percentage")
    components: dict[str, float] = Field(
        description="Each part, 0 to 1: required, preferred (skills), text (interests and "
        "description), availability (dates and weekly hours), learning (goals and outcomes)"
    )
    weights: dict[str, float] = Field(description="The weight of each component")
    reasons: list[FitReasonOut] = Field(description="Every reason for the score, in order")
    top_reasons: list[FitReasonOut] = Field(description="The few that matter most, most first")
    eligible: bool = Field(
        description="False when the student cannot meet the dates or weekly hours (the "
        "reasons then start with why)"
    )


class ProjectListItemOut(ProjectSummaryOut):
    fit: FitOut | None = Field(
        None, description="With sort=fit (students only): how well it fits the student"
    )


class ProjectPage(Schema):
    count: int
    page: int
    num_pages: int
    page_size: int
    results: list[ProjectListItemOut]


class ProjectSearch(InputSchema):
    """Discovery's filters; the same names and rules as the /projects/ page's query string."""

    q: SingleLine = Field(
        "",
        description='Words to find (web-search syntax: "exact phrase", -word). '
        "Best match first unless another sort is asked for.",
    )
    skills: list[int] = Field(default_factory=list, description="Skill ids; any of them")
    category: Slug = Field("", description="A skill category slug")
    max_hours_per_week: int | None = Field(None, ge=1, le=services.HOURS_PER_WEEK_MAX)
    min_weeks: int | None = Field(None, ge=0, le=ENGAGEMENT_WEEKS_MAX)
    max_weeks: int | None = Field(None, ge=0, le=ENGAGEMENT_WEEKS_MAX)
    min_pay: float | None = Field(
        None, ge=0, le=MAX_MINOR_UNITS, description="Major units, in each project's currency"
    )
    max_pay: float | None = Field(None, ge=0, le=MAX_MINOR_UNITS)
    work_mode: SingleLine = Field("", description="remote, on_site or hybrid")
    starts_from: Date | None = None
    starts_to: Date | None = None
    organization: Slug = Field("", description="An organization's slug")
    sort: SingleLine = Field(
        "",
        description=", ".join(value for value, _ in [*Sort.CHOICES, Sort.FIT_CHOICE])
        + f" ({Sort.FIT}: best fit with your profile first, for students only)",
    )
    page: int = Field(1, ge=1, le=ID_MAX)


class DeliverableIn(InputSchema):
    title: SingleLine
    description: MultiLine = ""
    due_on: Date | None = None


class ProjectSkillIn(InputSchema):
    skill: int
    # Checked by the service (1–4) so the API and the page give the same message.
    min_level: int
    is_required: bool = True


class ProjectPatch(InputSchema):
    """Any subset of a project's fields; those left out keep their value. A list sent
    (objectives, deliverables, skills, …) replaces the whole list."""

    title: SingleLine | None = None
    summary: SingleLine | None = None
    description: MultiLine | None = Field(None, description="Markdown")
    objectives: list[SingleLine] | None = None
    learning_outcomes: list[SingleLine] | None = None
    screening_questions: list[SingleLine] | None = Field(None, description="At most 3")
    starts_on: Date | None = None
    ends_on: Date | None = None
    application_deadline: Date | None = None
    estimated_hours: int | None = Field(
        None, ge=services.ESTIMATED_HOURS_MIN, le=services.ESTIMATED_HOURS_MAX
    )
    hours_per_week: int | None = Field(
        None, ge=services.HOURS_PER_WEEK_MIN, le=services.HOURS_PER_WEEK_MAX
    )
    compensation_amount: int | None = Field(
        None, ge=0, le=MAX_MINOR_UNITS, description="In minor units: 60000 = 600.00 EUR"
    )
    currency: SingleLine | None = Field(None, description="ISO 4217 code")
    unpaid: bool | None = Field(
        None, description="Unpaid, for academic credit; publishing needs this or a compensation"
    )
    capacity: int | None = Field(None, ge=services.CAPACITY_MIN, le=services.CAPACITY_MAX)
    work_mode: SingleLine | None = Field(None, description="remote, on_site or hybrid")
    location: SingleLine | None = None
    timezone: SingleLine | None = Field(None, description="IANA name, e.g. Europe/Amsterdam")
    mentor: int | None = Field(
        None, ge=1, le=ID_MAX, description="The user id of a member of the organization"
    )
    checkin_cadence: SingleLine | None = Field(None, description="twice_weekly, weekly or biweekly")
    checkin_weekday: int | None = Field(None, ge=0, le=6, description="0 Monday … 6 Sunday")
    checkin_time: datetime.time | None = None
    response_time_hours: int | None = Field(
        None, ge=services.RESPONSE_TIME_MIN, le=services.RESPONSE_TIME_MAX
    )
    deliverables: list[DeliverableIn] | None = None
    skills: list[ProjectSkillIn] | None = None


class ProjectIn(ProjectPatch):
    """A new draft: only the title is needed; what is left out gets its default."""

    title: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _service_data(payload: Schema) -> dict:
    # Only fields actually sent count: an explicit null is sent (and refused by the service
    # where a field cannot be empty), a missing one is not.
    return payload.model_dump(exclude_unset=True)


@router.get(
    "/projects",
    response={200: ProjectPage, 422: ErrorOut},
    auth=OPTIONAL_AUTH,
    openapi_extra={"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]},
    summary="Find open projects",
    description=(
        "Open projects whose application deadline has not passed, "
        f"{selectors.PAGE_SIZE} a page. Anyone may browse, logged in or not; students may "
        f"sort by best fit (sort={Sort.FIT}), and each result then says how well it fits."
    ),
)
def list_projects(request, params: Query[ProjectSearch]):
    # The schema documents and type-checks the parameters; the page's form applies the same
    # rules (ranges in order, skills and categories that exist) to the raw query string.
    form = ProjectFilterForm(
        request.GET,
        offer_fit=request.user.has_perm("recommendations.view_recommendations"),
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    filters = form.to_filters()
    projects = selectors.discover_projects(filters)
    ranking = None
    if selectors.effective_sort(filters) == Sort.FIT:
        ranking = rank_by_fit(request.user, projects)
        paginator = Paginator(ranking.ids, selectors.PAGE_SIZE)
    else:
        paginator = Paginator(projects, selectors.PAGE_SIZE)
    try:
        results = list(paginator.page(params.page))
    except EmptyPage:
        results = []
    if ranking is not None:
        results = ranking.page(results)
    return {
        "count": paginator.count,
        "page": params.page,
        "num_pages": paginator.num_pages,
        "page_size": selectors.PAGE_SIZE,
        "results": results,
    }


class OrganizationSuggestion(Schema):
    slug: str
    name: str


class OrganizationSuggestionQuery(Schema):
    q: SingleLine = Field(..., min_length=1, max_length=200, description="Part of the name")


@router.get(
    "/projects/organizations",
    response={200: list[OrganizationSuggestion], 422: ErrorOut},
    auth=OPTIONAL_AUTH,
    openapi_extra={"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]},
    summary="Organizations with open projects whose name contains q",
    description=(
        "For the organization filter of GET /projects (organization=<slug>): the organizations "
        "offering projects open now whose name contains `q` (ignoring case), by name."
    ),
)
@paginate(Pagination)
def suggest_organizations(request, params: Query[OrganizationSuggestionQuery]):
    return selectors.suggest_organizations(params.q).only("slug", "name")


@router.get(
    "/projects/{int:project_id}",
    response={200: ProjectOut, 404: ErrorOut},
    auth=OPTIONAL_AUTH,
    # The empty requirement tells OpenAPI clients that the credentials are optional.
    openapi_extra={"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]},
    summary="A project",
    description="Published projects are public; drafts only for members of the organization.",
)
def get_project(request, project_id: Id):
    return selectors.visible_project_page(request.user, project_id)


@router.post(
    "/organizations/{slug}/projects",
    response={201: ProjectOut, **ERRORS},
    summary="Save a new draft (members of the organization)",
)
def create_project(request, slug: Slug, payload: ProjectIn):
    organization = get_object_or_404(Organization, slug=slug)
    project = services.create_project(organization, by=request.user, data=_service_data(payload))
    return Status(201, selectors.project_for_page(project.pk))


@router.patch(
    "/projects/{int:project_id}",
    response={200: ProjectOut, **ERRORS},
    summary="Change some fields of a project (members)",
    description=(
        "Published projects must stay publishable. Once an offer is made, dates, deliverables, "
        "hours and pay are fixed (409 locked_after_offer)."
    ),
)
def update_project(request, project_id: Id, payload: ProjectPatch):
    project = selectors.visible_project_page(request.user, project_id)
    services.update_project(project, by=request.user, data=_service_data(payload))
    return selectors.project_for_page(project.pk)


def _change_status(request, project_id: Id, action: str):
    project = selectors.visible_project_page(request.user, project_id)
    project_status.change(project, action, by=request.user)
    return selectors.project_for_page(project.pk)


@router.post(
    "/projects/{int:project_id}/publish",
    response={200: ProjectOut, **ERRORS},
    summary="Publish a draft (members)",
    description="Every problem is listed at once: 422 with a message per field.",
)
def publish_project(request, project_id: Id):
    return _change_status(request, project_id, "publish")


@router.post(
    "/projects/{int:project_id}/close",
    response={200: ProjectOut, **ERRORS},
    summary="Close an open project to applications (members)",
)
def close_project(request, project_id: Id):
    return _change_status(request, project_id, "close")


@router.post(
    "/projects/{int:project_id}/reopen",
    response={200: ProjectOut, **ERRORS},
    summary="Reopen a closed project (members)",
    description="Only while a place is left and the deadline has not passed (409 cannot_reopen).",
)
def reopen_project(request, project_id: Id):
    return _change_status(request, project_id, "reopen")


@router.post(
    "/projects/{int:project_id}/archive",
    response={200: ProjectOut, **ERRORS},
    summary="Archive a project (members)",
)
def archive_project(request, project_id: Id):
    return _change_status(request, project_id, "archive")
