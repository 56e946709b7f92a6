"""The analytics figures over JSON: the same selectors as the pages."""

from django.http import Http404
from ninja import Router, Schema

from practicum.accounts.models import Organization
from practicum.analytics import selectors
from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404

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
    organization = visible_or_404(
        Organization.objects.filter(slug=slug).first(),
        request.user,
        "analytics.view_organization_analytics",
        what="organization",
    )
    return {
        "funnel": selectors.organization_funnel(organization),
        "first_answers": selectors.organization_first_answers(organization),
        "over_time": selectors.organization_over_time(organization).series(),
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
