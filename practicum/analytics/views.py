"""Analytics pages: an organization's funnel and promptness, a student's progress, a career
center's outcomes (and their CSV export). Each chart is an SVG file beside a table of the same
figures."""

import csv
import itertools

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from practicum.analytics import charts, outcomes, selectors, services
from practicum.analytics.forms import OutcomesFilterForm
from practicum.careers import selectors as careers


def _svg(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def organization(request, slug):
    organization = selectors.visible_organization(request.user, slug)
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
            "over_time": services.organization_over_time(organization).series(),
            "answer_due_days": selectors.ANSWER_WITHIN.days,
        },
    )


@login_required
@require_GET
def organization_chart(request, slug, chart):
    organization = selectors.visible_organization(request.user, slug)
    if chart == "funnel":
        series = selectors.organization_funnel(organization).series("From views to completion")
        return _svg(charts.funnel(series))
    over_time = services.organization_over_time(organization).series()
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


# --- a career center's outcomes -----------------------------------------------------------


def _career_staff(request) -> list:
    """The user's institutions; 404 for anybody who is not career-center staff."""
    institutions = careers.institutions_of(request.user)
    if not institutions:
        raise Http404("No such page.")
    return institutions


def _outcomes_form(request) -> OutcomesFilterForm:
    institutions = _career_staff(request)
    OutcomesFilterForm.refuse_other_institutions(request.GET.get("institution"), institutions)
    return OutcomesFilterForm(request.GET or None, institutions=institutions)


def _filters_or_none(form: OutcomesFilterForm):
    if not form.is_bound:
        return outcomes.Filters()
    return form.filters() if form.is_valid() else None


@login_required
@require_GET
def career_outcomes(request):
    form = _outcomes_form(request)
    filters = _filters_or_none(form)
    if filters is None:
        return render(request, "analytics/outcomes.html", {"form": form}, status=422)
    query = request.GET.copy()
    query.pop("page", None)
    figures = outcomes.outcomes(request.user, filters)
    page = Paginator(
        outcomes.organizations(request.user, filters), outcomes.ORGANIZATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "analytics/outcomes.html",
        {
            "form": form,
            "figures": figures,
            "series": figures.series(),
            "organizations": page,
            "query": query.urlencode(),
            "pay_min_students": outcomes.PAY_MIN_STUDENTS,
        },
    )


@login_required
@require_GET
def career_outcomes_chart(request, chart):
    filters = _filters_or_none(_outcomes_form(request))
    if filters is None:
        return HttpResponse("Some filters are not valid.", status=422, content_type="text/plain")
    series = outcomes.outcomes(request.user, filters).series()
    if chart not in series:
        raise Http404("No such chart.")
    return _svg((charts.line if chart == "months" else charts.bar)(series[chart]))


class _Echo:
    """A file whose write returns the line: the csv writer feeds the streamed response."""

    def write(self, value):
        return value


# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@login_required
@require_GET
def career_outcomes_csv(request):
    filters = _filters_or_none(_outcomes_form(request))
    if filters is None:
        return HttpResponse("Some filters are not valid.", status=422, content_type="text/plain")
    rows = services.export_outcomes(request.user, filters)
    writer = csv.writer(_Echo())
    lines = itertools.chain(
        [writer.writerow(outcomes.CSV_HEADER)],
        (
            writer.writerow(
                [
                    _cell(row.name),
                    _cell(row.programme),
                    _cell(row.graduation_year),
                    row.engagements,
                    row.completed,
                    row.cancelled,
                    row.hours_reported,
                    row.verified_skills,
                    "" if row.rating_received is None else row.rating_received,
                ]
            )
            for row in rows
        ),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="outcomes.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
