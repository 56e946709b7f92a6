"""The analytics figures over JSON: the same selectors as the pages."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from practicum.analytics import outcomes, selectors, services
from practicum.analytics.forms import YEAR_MAX, YEAR_MIN, OutcomesFilterForm
from practicum.careers import selectors as careers
from practicum.core.api import ErrorOut
from practicum.core.pagination import PAGE_MAX, PAGE_SIZE_MAX
from practicum.core.schemas import Date, InputSchema, SingleLine

router = Router(tags=["analytics"])


class SeriesOut(Schema):
    title: str
    unit: str
    labels: list[str]
    values: list[float | None]


class FunnelOut(Schema):
    views: int
    applied: int
    shortlisted: int
    offered: int
    accepted: int
    completed: int


class FirstAnswersOut(Schema):
    answered: int
    median_hours: float | None
    waiting: int
    overdue: int


class OrganizationAnalyticsOut(Schema):
    funnel: FunnelOut
    first_answers: FirstAnswersOut
    over_time: dict[str, SeriesOut]


@router.get(
    "/organizations/{slug}/analytics",
    response={200: OrganizationAnalyticsOut, 401: ErrorOut, 404: ErrorOut},
    summary="An organization's funnel, first answers and reciprocity over time (members)",
)
def organization_analytics(request, slug: str):
    organization = selectors.visible_organization(request.user, slug)
    return {
        "funnel": selectors.organization_funnel(organization),
        "first_answers": selectors.organization_first_answers(organization),
        "over_time": services.organization_over_time(organization).series(),
    }


@router.get(
    "/me/progress",
    response={200: dict[str, SeriesOut], 401: ErrorOut, 404: ErrorOut},
    summary="Your last months as a student: hours, engagements, skills verified, ratings",
)
def my_progress(request):
    if not request.user.is_student:
        raise Http404("No such page.")
    return selectors.student_progress(request.user).series()


# --- a career center's outcomes -----------------------------------------------------------


class OutcomesQuery(InputSchema):
    institution: int | None = Field(None, ge=1, description="One of your institutions; all: omit")
    graduation_year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    programme: SingleLine = Field("", max_length=200, description="Exact, any case")
    begun_from: Date | None = Field(None, description="Engagements begun on or after this day")
    begun_to: Date | None = Field(None, description="Engagements begun on or before this day")
    page: int = Field(1, ge=1, le=PAGE_MAX, description="Of the organizations; past the end: none")
    page_size: int = Field(outcomes.ORGANIZATIONS_PER_PAGE, ge=1, le=PAGE_SIZE_MAX)


class CountOut(Schema):
    label: str
    count: int


class PayOut(Schema):
    currency: str
    total: Decimal = Field(description="Major units")
    students: int


class OrganizationCountOut(Schema):
    name: str
    slug: str
    engagements: int
    completed: int
    reciprocity_url: str


class OrganizationsPage(Schema):
    items: list[OrganizationCountOut]
    count: int = Field(description="How many organizations there are over all pages")


class CareerOutcomesOut(Schema):
    students_sharing: int
    students_active: int = Field(description="Students with an active engagement")
    engagements_by_state: list[CountOut]
    completion_rate: float | None = Field(description="% of ended engagements completed")
    hours_reported: Decimal
    pay_earned: list[PayOut] = Field(
        description=f"By currency, only where {outcomes.PAY_MIN_STUDENTS}+ students were paid"
    )
    pay_withheld: bool = Field(description="Some pay is left out: too few students behind it")
    verified_skills: list[CountOut] = Field(description=f"The {outcomes.TOP_SKILLS} most verified")
    rating_received: float | None = Field(description="Organizations' revealed reviews, of 5")
    rating_given: float | None = Field(description="The students' revealed reviews, of 5")
    first_answers: FirstAnswersOut
    engagements_by_month: list[CountOut]
    organizations: OrganizationsPage


@router.get(
    "/careers/outcomes",
    response={200: CareerOutcomesOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Your consenting students' outcomes (career-center staff)",
    description="Only students verified at your institutions who share with them are counted.",
)
def career_outcomes(request, params: Query[OutcomesQuery]):
    institutions = careers.institutions_of(request.user)
    if not institutions:
        raise Http404("No such page.")
    OutcomesFilterForm.refuse_other_institutions(params.institution, institutions)
    form = OutcomesFilterForm(
        params.dict(exclude={"page", "page_size"}, exclude_none=True), institutions=institutions
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    filters = form.filters()
    figures = outcomes.outcomes(request.user, filters)
    organizations = outcomes.organizations(request.user, filters)
    offset = (params.page - 1) * params.page_size
    return {
        "students_sharing": figures.students_sharing,
        "students_active": figures.students_active,
        "engagements_by_state": _counts(figures.by_state),
        "completion_rate": figures.completion_rate,
        "hours_reported": figures.hours_reported,
        "pay_earned": figures.pay,
        "pay_withheld": figures.pay_withheld,
        "verified_skills": _counts(figures.skills),
        "rating_received": figures.rating_received,
        "rating_given": figures.rating_given,
        "first_answers": figures.answers,
        "engagements_by_month": _counts(figures.by_month),
        "organizations": {
            "count": organizations.count(),
            "items": [
                {
                    "name": row["project__organization__name"],
                    "slug": row["project__organization__slug"],
                    "engagements": row["engagements"],
                    "completed": row["completed"],
                    "reciprocity_url": reverse(
                        "reciprocity:organization", args=[row["project__organization__slug"]]
                    ),
                }
                for row in organizations[offset : offset + params.page_size]
            ],
        },
    }


def _counts(pairs) -> list[dict]:
    return [{"label": label, "count": count} for label, count in pairs]
