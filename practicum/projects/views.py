from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from practicum.accounts.models import Organization
from practicum.core.errors import ServiceError
from practicum.core.forms import apply_errors
from practicum.projects import selectors, services
from practicum.projects import status as project_status
from practicum.projects.fit import rank_by_fit
from practicum.projects.forms import ProjectFilterForm, ProjectForm
from practicum.projects.models import Project
from practicum.projects.selectors import ProjectFilters, Sort


@require_GET
def discover(request):
    """Open projects for everyone, logged in or not. The filters live in the query string; an
    HTMX request (the filter form changing) gets the results region only. Students may also
    sort by best fit: every result is scored against their profile, and each card says how
    well it fits."""
    form = ProjectFilterForm(
        request.GET or None,
        offer_fit=request.user.has_perm("recommendations.view_recommendations"),
    )
    filters = ProjectFilters()
    if form.is_bound:
        form.is_valid()  # invalid filters are shown with their message and left out
        filters = form.to_filters()
    projects = selectors.discover_projects(filters)
    sort = selectors.effective_sort(filters)
    fit_profile_is_blank = False
    if sort == Sort.FIT:
        ranking = rank_by_fit(request.user, projects)
        fit_profile_is_blank = ranking.profile_is_blank
        page = Paginator(ranking.ids, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = ranking.page(page.object_list)
    else:
        page = Paginator(projects, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(
        request,
        "projects/_results.html" if partial else "projects/discover.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "selected_skills": form.selected_skills() if form.is_bound else [],
            "sort": sort,
            "fit_profile_is_blank": fit_profile_is_blank,
            "active_filters": _active_filter_count(request.GET),
            # The alerts app's rule, by name: projects sits below it and imports nothing of it.
            "can_save_search": request.user.has_perm("alerts.save_search"),
        },
    )
    # The same URL answers with a fragment or a whole page: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _active_filter_count(query) -> int:
    """How many filters are set, for the "Filters" button that opens them on a phone."""
    return sum(
        1
        for key, values in query.lists()
        if key not in ("page", "sort")
        for value in values
        if value.strip()
    )


def _managed_project(request, pk) -> Project:
    project = selectors.visible_project_page(request.user, pk)
    if not request.user.has_perm("projects.manage_project", project):
        raise PermissionDenied("Only members of the project's organization can manage it.")
    return project


def _engagements_url(name: str, pk: int, path: str) -> str:
    # The engagements app owns these pages; the agreed path stands in until its URLs exist.
    try:
        return reverse(f"engagements:{name}", args=[pk])
    except NoReverseMatch:
        return path


def detail(request, pk):
    project = selectors.visible_project_page(request.user, pk)
    can_manage = request.user.has_perm("projects.manage_project", project)
    is_student = request.user.is_authenticated and request.user.is_student
    if not can_manage:
        services.count_view(project)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "can_manage": can_manage,
            "actions": project_status.allowed(project, request.user) if can_manage else [],
            "closed_reason": selectors.closed_reason(project),
            "places_left": selectors.places_left(project),
            "is_student": is_student,
            "application": selectors.application_of(request.user, project) if is_student else None,
            "apply_url": _engagements_url("apply", project.pk, f"/projects/{project.pk}/apply/"),
            "applicants_url": _engagements_url(
                "applicants", project.pk, f"/projects/{project.pk}/applicants/"
            ),
        },
    )


def _render_form(request, form, *, organization, project=None, status=200):
    return render(
        request,
        "projects/form.html",
        {"form": form, "organization": organization, "project": project},
        status=status,
    )


@login_required
def create(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm("projects.add_project", organization):
        raise PermissionDenied(f"Only members of {organization.name} can post its projects.")
    form = ProjectForm(request.POST or None, organization=organization)
    if request.method == "POST" and not form.apply_row_action() and form.is_valid():
        try:
            project = services.create_project(organization, by=request.user, data=form.to_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if "publish" in request.POST:
                return _publish_after_save(request, project, organization)
            messages.success(request, "The draft is saved. Publish it when it is ready.")
            return redirect(project)
    return _render_form(request, form, organization=organization)


@login_required
def edit(request, pk):
    project = _managed_project(request, pk)
    organization = project.organization
    if project.status == Project.Status.ARCHIVED:
        messages.error(request, "An archived project can no longer be edited.")
        return redirect(project)
    locked = services.TERMS_FIELDS if selectors.has_offer(project) else ()
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        organization=organization,
        project=project,
        locked=locked,
    )
    if request.method == "POST" and not form.apply_row_action() and form.is_valid():
        try:
            project = services.update_project(project, by=request.user, data=form.to_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            if "publish" in request.POST and project.status == Project.Status.DRAFT:
                return _publish_after_save(request, project, organization)
            messages.success(request, "Your changes are saved.")
            return redirect(project)
    return _render_form(request, form, organization=organization, project=project)


def _publish_after_save(request, project, organization):
    try:
        project_status.change(project, "publish", by=request.user)
    except ValidationError as exc:
        messages.warning(request, "The draft is saved but not published yet.")
        return _publish_refused(request, project, organization, exc)
    messages.success(request, "The project is published: students can find it and apply.")
    return redirect(project)


def _publish_refused(request, project, organization, exc: ValidationError):
    """The edit page, showing every problem that stops the project from being published."""
    project = selectors.project_for_page(project.pk)
    form = ProjectForm(organization=organization, project=project)
    form.show_publish_problems(exc)
    return _render_form(request, form, organization=organization, project=project)


@login_required
@require_POST
def change_status(request, pk, action):
    """Publish, close, reopen or archive (the buttons on the project page)."""
    project = _managed_project(request, pk)
    try:
        project_status.change(project, action, by=request.user)
    except ValidationError as exc:
        return _publish_refused(request, project, project.organization, exc)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _DONE[action])
    return redirect(project)


_DONE = {
    "publish": "The project is published: students can find it and apply.",
    "close": "The project is closed: it takes no more applications.",
    "reopen": "The project is open to applications again.",
    "archive": "The project is archived.",
}


@login_required
def organization_projects(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm("projects.list_organization_projects", organization):
        raise PermissionDenied("Only members of the organization can see all its projects.")
    page = Paginator(
        selectors.organization_projects(organization), selectors.ORGANIZATION_PROJECTS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/organization_projects.html",
        {
            "organization": organization,
            "page": page,
            "projects": selectors.with_application_counts(page),
        },
    )


@require_GET
def suggest_organizations(request):
    """Suggestions for discovery's organization box (HTMX): `<option>`s for its `<datalist>`,
    at most ORGANIZATION_SUGGESTIONS of them, nothing for an empty query. Public. The box
    sends its own name (`organization`); `q` works too."""
    text = (request.GET.get("q") or request.GET.get("organization") or "")[:200].strip()
    organizations = []
    if text:
        organizations = list(
            selectors.suggest_organizations(text).values_list("name", flat=True)[
                : selectors.ORGANIZATION_SUGGESTIONS
            ]
        )
    # Without the request: the navigation's context processors would cost queries on every
    # keystroke for a fragment that never shows them.
    html = render_to_string(
        "projects/_organization_suggestions.html", {"organizations": organizations}
    )
    return HttpResponse(html)
