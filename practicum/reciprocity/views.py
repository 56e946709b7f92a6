"""The reciprocity pages (how the index works, an organization's, a student's) and the
dashboards. Thin: the selectors load, index.py computes, the templates show."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from practicum.accounts.models import Organization
from practicum.careers import selectors as careers
from practicum.reciprocity import index as idx
from practicum.reciprocity import selectors


def about(request):
    sides = [
        ("Organizations", idx.ORGANIZATION_WEIGHTS),
        ("Students", idx.STUDENT_WEIGHTS),
    ]
    return render(
        request,
        "reciprocity/about.html",
        {
            "sides": [
                (
                    title,
                    [
                        (key, idx.LABELS[key], round(weight * 100), idx.DEFINITIONS[key])
                        for key, weight in weights.items()
                    ],
                )
                for title, weights in sides
            ],
            "min_engagements": idx.MIN_ENGAGEMENTS,
        },
    )


def organization(request, slug):
    org = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "reciprocity/detail.html",
        {
            "index": selectors.organization_reciprocity(org),
            "subject_name": org.name,
            "subject_url": org.get_absolute_url(),
        },
    )


def organization_card(request, slug):
    """The card the organization and project pages load (reciprocity/_index.html)."""
    org = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "reciprocity/_card.html",
        {
            "index": selectors.organization_reciprocity(org),
            "detail_url": reverse("reciprocity:organization", args=[org.slug]),
        },
    )


@login_required
def student(request, pk):
    profile = selectors.visible_student_profile(request.user, pk)
    return render(
        request,
        "reciprocity/detail.html",
        {
            "index": selectors.student_reciprocity(profile.user),
            "subject_name": profile.user.name,
            "subject_url": profile.get_absolute_url(),
        },
    )


@login_required
def student_card(request, pk):
    """The card the student's profile page loads (reciprocity/_index.html)."""
    profile = selectors.visible_student_profile(request.user, pk)
    return render(
        request,
        "reciprocity/_card.html",
        {
            "index": selectors.student_reciprocity(profile.user),
            "detail_url": reverse("reciprocity:student", args=[profile.pk]),
        },
    )


@login_required
def dashboard(request):
    user = request.user
    if user.is_student:
        return _student_dashboard(request)
    memberships = selectors.memberships_of(user)
    if memberships:
        return _organization_dashboard(request, memberships)
    institutions = [role.institution for role in user.staff_roles.select_related("institution")]
    if institutions:
        return _institution_dashboard(request, institutions)
    return render(request, "reciprocity/dashboard_none.html")


def _institution_dashboard(request, institutions):
    """Career staff see the students verified at their institutions who share their outcomes
    with them (never a workspace), and how many requests wait for them."""
    students = Paginator(careers.shared_students(request.user), careers.PAGE_SIZE)
    return render(
        request,
        "reciprocity/dashboard_institution.html",
        {
            "institutions": institutions,
            "students": students.get_page(request.GET.get("page")),
            "pending_count": careers.pending_enrollments_for(request.user).count(),
        },
    )


def _student_dashboard(request):
    # Imported here: the reviews app owns verified skills and may import this app's selectors.
    from practicum.reviews.selectors import verified_skills_of

    student = request.user
    index = selectors.student_reciprocity(student)
    dashboard = selectors.by_state(selectors.student_engagements(student), request.GET.get("page"))
    return render(
        request,
        "reciprocity/dashboard_student.html",
        {
            "groups": dashboard.groups,
            "page": dashboard.page,
            "total": dashboard.total,
            "verified_skills": list(verified_skills_of(student)),
            "index": index,
            "ratings": _component(index, "ratings"),
            "profile": getattr(student, "student_profile", None),
        },
    )


def _organization_dashboard(request, memberships):
    slug = request.GET.get("organization")
    membership = next((m for m in memberships if m.organization.slug == slug), None)
    if slug and membership is None:
        raise Http404("You are not a member of this organization.")
    membership = membership or memberships[0]
    organization = membership.organization
    index = selectors.organization_reciprocity(organization)
    dashboard = selectors.by_state(
        selectors.organization_engagements_for(membership), request.GET.get("page")
    )
    return render(
        request,
        "reciprocity/dashboard_organization.html",
        {
            "organization": organization,
            "membership": membership,
            "other_memberships": [m for m in memberships if m is not membership],
            "groups": dashboard.groups,
            "page": dashboard.page,
            "total": dashboard.total,
            "index": index,
            "ratings": _component(index, "ratings"),
        },
    )


def _component(index: idx.Index, key: str) -> idx.Component:
    return next(c for c in index.components if c.key == key)
