from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from practicum.core.errors import Conflict, Refused, ServiceError
from practicum.core.forms import apply_errors
from practicum.engagements import selectors, services, transitions
from practicum.engagements.forms import (
    ApplicantFilterForm,
    ApplicationForm,
    OfferForm,
    RejectForm,
)
from practicum.engagements.models import Application
from practicum.projects import selectors as project_selectors
from practicum.projects.models import Project


def _visible_project(request, pk) -> Project:
    """The project with its organization, or a 404 for people who may not know it exists."""
    project = selectors.project_with_organization(pk)
    if project is None or not request.user.has_perm("projects.view_project", project):
        raise Http404("No such project.")
    return project


def _visible_application(request, pk) -> Application:
    application = selectors.application_for_page(pk)
    if application is None or not request.user.has_perm(
        "engagements.view_application", application
    ):
        raise Http404("No such application.")
    return application


def _cannot_apply(request, project, reason: str, *, status: int):
    return render(
        request,
        "engagements/cannot_apply.html",
        {"project": project, "reason": reason},
        status=status,
    )


@login_required
def apply(request, pk):
    """The application form. Drafts are 404 to everyone but their organization (projects'
    rules); only students apply, once, while the project takes applications."""
    project = _visible_project(request, pk)
    if not request.user.has_perm("engagements.apply", project):
        return _cannot_apply(
            request, project, "Only student accounts can apply to projects.", status=403
        )
    existing = selectors.application_of(request.user, project)
    if existing is not None:
        messages.info(request, "You have already applied to this project.")
        return redirect("engagements:application", existing.pk)
    reason = project_selectors.closed_reason(project)
    if reason:
        return _cannot_apply(
            request, project, f"This project is not taking applications: {reason}", status=409
        )
    form = ApplicationForm(request.POST if request.method == "POST" else None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply_to_project(project, by=request.user, **form.to_data())
        except ValidationError as exc:
            form.apply_service_errors(exc)
        except Conflict as exc:
            if exc.code == "already_applied":  # a twin request (double click) got there first
                messages.info(request, exc.message)
                return redirect("engagements:my_applications")
            return _cannot_apply(request, project, exc.message, status=exc.status)
        else:
            messages.success(
                request,
                f"Your application to “{project.title}” is sent. "
                f"{project.organization.name} will answer here.",
            )
            return redirect("engagements:application", application.pk)
    return render(request, "engagements/apply.html", {"project": project, "form": form})


@dataclass
class StudentRow:
    """An application as its student sees it, with the answers they can give now."""

    application: Application
    actions: list

    @property
    def offer_expired(self) -> bool:
        return selectors.offer_is_expired(self.application)


def _student_row(application: Application) -> StudentRow:
    actions = transitions.allowed_actions(application.status, transitions.Side.STUDENT)
    if selectors.offer_is_expired(application):
        actions = [a for a in actions if a.action != "accept"]
    return StudentRow(application, actions)


@login_required
@require_GET
def my_applications(request):
    rows = [_student_row(a) for a in selectors.applications_of_student(request.user)]
    return render(request, "engagements/my_applications.html", {"rows": rows})


def _render_application(request, application, *, offer_form=None, reject_form=None, status=200):
    is_student = request.user.has_perm("engagements.answer_application", application)
    context = {
        "application": application,
        "is_student": is_student,
        "questions_and_answers": selectors.questions_and_answers(application),
        "offer_expired": selectors.offer_is_expired(application),
    }
    if is_student:
        context["row"] = _student_row(application)
    else:
        context |= {
            "match": selectors.application_match(application),
            "overdue": selectors.is_overdue(application),
            "profile": getattr(application.student, "student_profile", None),
            "actions": _org_actions(application),
            "offer_form": offer_form or OfferForm(),
            "reject_form": reject_form or RejectForm(),
        }
    return render(request, "engagements/application.html", context, status=status)


def _org_actions(application: Application) -> dict[str, transitions.Transition]:
    allowed = transitions.allowed_actions(application.status, transitions.Side.ORGANIZATION)
    return {t.action: t for t in allowed}


@login_required
@require_GET
def application_detail(request, pk):
    return _render_application(request, _visible_application(request, pk))


_DONE = {
    "shortlist": "The application is on the shortlist.",
    "offer": "The offer is sent to the student.",
    "reject": "The student is told they were not selected.",
    "withdraw": "Your application is withdrawn.",
    "accept": "You accepted the offer. Next: the agreement.",
    "decline": "You declined the offer.",
}


# The buttons that send input: the form that checks it (and its name on the application page)
# and the service that acts on it.
_WITH_INPUT = {
    "offer": ("offer_form", OfferForm, services.make_offer),
    "reject": ("reject_form", RejectForm, services.reject),
}


@login_required
@require_POST
def act(request, pk, action):
    """Every button on an application: the student's answers and the organization's choices.
    Invalid input (an offer's days, a message too long) shows the application page again with
    what was typed, so no message is lost."""
    application = _visible_application(request, pk)
    try:
        if action in _WITH_INPUT:
            form_name, form_class, service = _WITH_INPUT[action]
            form = form_class(request.POST)
            if not form.is_valid():
                return _render_application(request, application, **{form_name: form}, status=422)
            try:
                result = service(application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
                return _render_application(request, application, **{form_name: form}, status=422)
        else:
            result = services.SIMPLE_ACTIONS[action](application, by=request.user)
    except Refused as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _DONE[action])
        if action == "accept":
            return redirect("engagements:detail", result.pk)
    return _redirect_back(request, application)


def _redirect_back(request, application):
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    if application.student_id == request.user.pk:
        return redirect("engagements:my_applications")
    return redirect(reverse("engagements:applicants", args=[application.project_id]))


@login_required
@require_GET
def applicants(request, pk):
    """The organization's selection page; 404 for everybody outside the organization."""
    project = selectors.project_with_organization(pk)
    if project is None or not request.user.has_perm("engagements.list_applicants", project):
        raise Http404("No such project.")
    form = ApplicantFilterForm(request.GET)
    listed = selectors.applicants_of(project, **form.filters())
    return render(
        request,
        "engagements/applicants.html",
        {
            "project": project,
            "form": form,
            "applicants": [
                (applicant, _org_actions(applicant.application)) for applicant in listed
            ],
            "offer_form": OfferForm(),
            "reject_form": RejectForm(),
            "closed_reason": project_selectors.closed_reason(project),
        },
    )


@login_required
@require_GET
def engagement_detail(request, pk):
    engagement = selectors.engagement_for_page(pk)
    if engagement is None or not request.user.has_perm("engagements.view_engagement", engagement):
        raise Http404("No such engagement.")
    return render(request, "engagements/engagement.html", {"engagement": engagement})
