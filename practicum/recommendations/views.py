"""Recommendation sections: "Recommended for you" (home page) and "Suggested candidates" (the
project page). Each is loaded by HTMX once its page is shown, so those pages stay as fast as
before; without JavaScript, the same URL is a page of its own."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from practicum.core.loading import visible_or_404
from practicum.projects.selectors import closed_reason
from practicum.recommendations import selectors

#: Recommendations in the home page's section, and on their own page.
SECTION_LIMIT = 5
PAGE_LIMIT = 20
CANDIDATES_LIMIT = 10


def _wants_section(request) -> bool:
    """HTMX asks for the section alone (the page it sits in is loading it)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _section_or_page(request, name: str, context: dict):
    response = render(
        request,
        f"recommendations/_{name}.html"
        if _wants_section(request)
        else f"recommendations/{name}.html",
        context,
    )
    # The same URL answers with a fragment or a whole page: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_GET
def for_me(request):
    if not request.user.has_perm("recommendations.view_recommendations"):
        raise PermissionDenied("Recommendations are for student accounts.")
    limit = SECTION_LIMIT if _wants_section(request) else PAGE_LIMIT
    return _section_or_page(
        request,
        "for_me",
        {"recommendations": selectors.recommended_projects(request.user, limit=limit)},
    )


@login_required
@require_GET
def candidates(request, pk):
    project = visible_or_404(
        selectors.project_for_candidates(pk),
        request.user,
        "recommendations.view_candidates",
        what="project",
    )
    # Students are suggested for a project they could still apply to, not for one that is over.
    not_open = closed_reason(project)
    return _section_or_page(
        request,
        "candidates",
        {
            "project": project,
            "not_open": not_open,
            "candidates": (
                [] if not_open else selectors.suggested_candidates(project, limit=CANDIDATES_LIMIT)
            ),
        },
    )
