"""Analytics pages: an organization's funnel and promptness, a student's progress. Each chart
is an SVG file beside a table of the same figures."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from practicum.accounts.models import Organization
from practicum.analytics import charts, selectors
from practicum.core.loading import visible_or_404


def _organization(request, slug) -> Organization:
    return visible_or_404(
        Organization.objects.filter(slug=slug).first(),
        request.user,
        "analytics.view_organization_analytics",
        what="organization",
    )


def _svg(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def organization(request, slug):
    organization = _organization(request, slug)
    page = Paginator(
        selectors.organization_projects(organization), selectors.PROJECTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "analytics/organization.html",
        {
            "organization": organization,
            "funnel": selectors.organization_funnel(organization),
            "page": page,
            "projects": [(p, selectors.project_funnel(p)) for p in page.object_list],
            "answers": selectors.organization_first_answers(organization),
            "over_time": selectors.organization_over_time(organization).series(),
            "answer_due_days": selectors.ANSWER_DUE.days,
        },
    )


@login_required
@require_GET
def organization_chart(request, slug, chart):
    organization = _organization(request, slug)
    if chart == "funnel":
        series = selectors.organization_funnel(organization).series("From views to completion")
        return _svg(charts.funnel(series))
    over_time = selectors.organization_over_time(organization).series()
    if chart not in over_time:
        raise Http404("No such chart.")
    return _svg(charts.line(over_time[chart]))


def _student(request):
    if not request.user.is_student:
        raise Http404("No such page.")
    return request.user


@login_required
@require_GET
def progress(request):
    progress = selectors.student_progress(_student(request))
    return render(
        request,
        "analytics/progress.html",
        {"progress": progress, "series": progress.series()},
    )


@login_required
@require_GET
def progress_chart(request, chart):
    series = selectors.student_progress(_student(request)).series()
    if chart not in series:
        raise Http404("No such chart.")
    draw = charts.line if chart == "ratings" else charts.bar
    return _svg(draw(series[chart]))
