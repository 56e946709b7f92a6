from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from practicum.core.actions import form_action
from practicum.core.errors import Conflict, ServiceError, is_refusal
from practicum.core.forms import apply_errors
from practicum.engagements import agreements, lifecycle, selectors, services, terms
from practicum.engagements.forms import (
    ApplicantFilterForm,
    ApplicationForm,
    BulkForm,
    MentorForm,
    OfferForm,
    ReasonForm,
    RejectForm,
    SignAmendmentForm,
    SignForm,
    TermsForm,
)
from practicum.engagements.models import Application, Engagement
from practicum.projects import selectors as project_selectors


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
    project = selectors.visible_project(request.user, pk)
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
            apply_errors(form, exc)
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
    actions = lifecycle.moves_of(lifecycle.APPLICATION, application.status, lifecycle.Who.STUDENT)
    if selectors.offer_is_expired(application):
        actions = [a for a in actions if a.action != "accept"]
    return StudentRow(application, actions)


@login_required
@require_GET
def my_applications(request):
    page = Paginator(
        selectors.applications_of_student(request.user), selectors.MY_APPLICATIONS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [_student_row(a) for a in page]
    return render(request, "engagements/my_applications.html", {"rows": rows, "page": page})


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
            "overdue": selectors.overdue_because(application),
            "profile": getattr(application.student, "student_profile", None),
            "actions": _org_actions(application),
            "offer_form": offer_form or OfferForm(),
            "reject_form": reject_form or RejectForm(),
        }
    return render(request, "engagements/application.html", context, status=status)


def _org_actions(application: Application) -> dict[str, lifecycle.Move]:
    allowed = lifecycle.moves_of(
        lifecycle.APPLICATION, application.status, lifecycle.Who.ORGANIZATION
    )
    return {move.action: move for move in allowed}


@login_required
@require_GET
def application_detail(request, pk):
    return _render_application(request, selectors.visible_application(request.user, pk))


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
    application = selectors.visible_application(request.user, pk)
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
    except ServiceError as exc:
        if is_refusal(exc):
            raise
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


def _render_applicants(request, project, *, bulk_form=None, status=200):
    form = ApplicantFilterForm(request.GET)
    page = selectors.applicant_page(project, page=request.GET.get("page"), **form.filters())
    query = request.GET.copy()
    query.pop("page", None)
    bulk_form = bulk_form or BulkForm()
    return render(
        request,
        "engagements/applicants.html",
        {
            "project": project,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "applicants": [(applicant, _org_actions(applicant.application)) for applicant in page],
            "offer_form": OfferForm(),
            "reject_form": RejectForm(),
            "bulk_form": bulk_form,
            # The boxes ticked before a refused action stay ticked.
            "selected": set(getattr(bulk_form, "cleaned_data", {}).get("applications", [])),
            "closed_reason": project_selectors.closed_reason(project),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def applicants(request, pk):
    """The organization's selection page, 25 applicants a page, filtered and sorted; a POST is
    an action on the ticked applicants (services.bulk_act) and comes back to the same page.
    404 for everybody outside the organization."""
    project = selectors.visible_project(request.user, pk, "engagements.list_applicants")
    if request.method == "GET":
        return _render_applicants(request, project)
    form = BulkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.bulk_act(
                project,
                by=request.user,
                action=data["action"],
                application_ids=data["applications"],
                message=form.text(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            _report_bulk(request, result)
            return redirect(request.get_full_path())
    return _render_applicants(request, project, bulk_form=form, status=422)


_BULK_DONE = {
    "shortlist": "shortlisted",
    "reject": "told they were not selected",
    "message": "sent the message",
}


def _skipped_because(skipped: services.Skipped) -> str:
    if skipped.code == "withdrawn":
        return "they withdrew their application"
    if skipped.code == "invalid":
        return "the text grew too long with their details"
    return f"their application is “{Application.Status(skipped.status).label}”"


def _report_bulk(request, result: services.BulkResult) -> None:
    """services.bulk_act's facts in words: how many moved, and who was left as they were."""
    done = len(result.done)
    if done:
        messages.success(
            request, f"{done} applicant{'' if done == 1 else 's'} {_BULK_DONE[result.action]}."
        )
    if result.skipped:
        names = "; ".join(
            f"{s.application.student.name}: {_skipped_because(s)}" for s in result.skipped
        )
        count = len(result.skipped)
        messages.warning(
            request, f"{count} left as {'it was' if count == 1 else 'they were'} ({names})."
        )


def _render_engagement(request, engagement, *, status=200, **forms):
    """The engagement page with its agreement section. Forms are offered only to the parties
    and only for the moves the state allows; a form passed in (bound, with errors) replaces
    the blank one so what was typed is kept."""
    versions = selectors.agreement_versions(engagement)
    shown = selectors.shown_version(versions)
    amendment = selectors.open_amendment(versions)
    can_act = request.user.has_perm("engagements.act_on_engagement", engagement)
    side = agreements.side_of(request.user, engagement) if can_act else ""
    pending = engagement.state == Engagement.State.AGREEMENT_PENDING
    active = engagement.state == Engagement.State.ACTIVE
    context = {
        "engagement": engagement,
        "versions": versions,
        "shown": shown,
        "shown_terms": terms.display(shown.terms) if shown else None,
        "amendment": amendment,
        "amendment_diff": terms.diff(shown.terms, amendment.terms) if amendment else None,
        "events_page": selectors.latest_events(engagement, before=request.GET.get("before", "")),
        "older": bool(request.GET.get("before")),
        "can_act": can_act,
        "side": side,
    }
    if can_act and shown is not None:
        signed_sides = {s.side for s in shown.signatures.all()}
        if pending:
            context["sign_form"] = forms.get("sign_form") or SignForm(
                initial={
                    "version_number": shown.number,
                    "student_hours_per_week": shown.terms.get("student_hours_per_week"),
                    "student_response_time_hours": shown.terms.get("student_response_time_hours"),
                },
                student=side == "student",
            )
            context["my_side_signed"] = side in signed_sides
        if pending or (active and amendment is None):
            context["terms_form"] = forms.get("terms_form") or TermsForm(
                current=shown.terms, amendment=active, prefix="terms"
            )
        if amendment is not None and amendment.side != side:
            context["accept_form"] = forms.get("accept_form") or SignAmendmentForm()
            context["reject_form"] = forms.get("reject_form") or ReasonForm(
                prefix="reject", required=False
            )
        if pending or active:
            context["cancel_form"] = forms.get("cancel_form") or ReasonForm(prefix="cancel")
    if (pending or active) and request.user.has_perm("engagements.assign_mentor", engagement):
        context["mentor_form"] = forms.get("mentor_form") or MentorForm(engagement=engagement)
    return render(request, "engagements/engagement.html", context, status=status)


@login_required
@require_GET
def engagement_detail(request, pk):
    return _render_engagement(request, selectors.readable_engagement(request.user, pk))


@login_required
@require_GET
def engagement_events(request, pk):
    """The next (older) events of the engagement page's history, for its "Load more" (HTMX);
    without JavaScript the link opens the page at the same place instead."""
    engagement = selectors.readable_engagement(request.user, pk)
    return render(
        request,
        "engagements/_event_items.html",
        {
            "engagement": engagement,
            "events_page": selectors.latest_events(
                engagement, before=request.GET.get("before", "")
            ),
        },
    )


def _agreement_action(request, pk, *, form_name, make_form, act, done):
    """Every agreement button, for the parties only; form_action answers (the page again with
    the errors next to the fields, 422, or back to it with a message)."""
    engagement = selectors.readable_engagement(request.user, pk)
    form = make_form(engagement)
    return form_action(
        request,
        form,
        lambda data: act(engagement, form),
        rerender=lambda status, form: _render_engagement(
            request, engagement, status=status, **{form_name: form}
        ),
        done=done,
        then=reverse("engagements:detail", args=[engagement.pk]),
    )


def _shown_terms(engagement) -> dict:
    shown = selectors.shown_version(selectors.agreement_versions(engagement))
    return shown.terms if shown else {}


@login_required
@require_POST
def agreement_terms(request, pk):
    """Before signing: an edit to the draft. While active: a proposed amendment."""

    def make_form(engagement):
        return TermsForm(
            request.POST,
            current=_shown_terms(engagement),
            amendment=engagement.state == Engagement.State.ACTIVE,
            prefix="terms",
        )

    def act(engagement, form):
        data = form.cleaned_data
        if engagement.state == Engagement.State.ACTIVE:
            agreements.propose_amendment(
                engagement,
                by=request.user,
                changes=form.changes(),
                reason=data["reason"],
                full_name=data["full_name"],
            )
        else:
            agreements.propose_edit(
                engagement, by=request.user, changes=form.changes(), reason=data["reason"]
            )

    return _agreement_action(
        request,
        pk,
        form_name="terms_form",
        make_form=make_form,
        act=act,
        done="Your changes are sent to the other side.",
    )


@login_required
@require_POST
def agreement_sign(request, pk):
    def make_form(engagement):
        return SignForm(request.POST, student=engagement.student_id == request.user.pk)

    return _agreement_action(
        request,
        pk,
        form_name="sign_form",
        make_form=make_form,
        act=lambda engagement, form: agreements.sign(
            engagement, by=request.user, **form.cleaned_data
        ),
        done="You signed the agreement.",
    )


@login_required
@require_POST
def amendment_accept(request, pk, number):
    return _agreement_action(
        request,
        pk,
        form_name="accept_form",
        make_form=lambda engagement: SignAmendmentForm(request.POST),
        act=lambda engagement, form: agreements.accept_amendment(
            engagement, number, by=request.user, full_name=form.cleaned_data["full_name"]
        ),
        done=f"You accepted the amendment: version {number} is in force.",
    )


@login_required
@require_POST
def amendment_reject(request, pk, number):
    return _agreement_action(
        request,
        pk,
        form_name="reject_form",
        make_form=lambda engagement: ReasonForm(request.POST, prefix="reject", required=False),
        act=lambda engagement, form: agreements.reject_amendment(
            engagement, number, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done="You rejected the amendment; the current version stays in force.",
    )


@login_required
@require_POST
def cancel_engagement(request, pk):
    return _agreement_action(
        request,
        pk,
        form_name="cancel_form",
        make_form=lambda engagement: ReasonForm(request.POST, prefix="cancel"),
        act=lambda engagement, form: agreements.cancel(
            engagement, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done="The engagement is cancelled.",
    )


@login_required
@require_POST
def change_mentor(request, pk):
    engagement = selectors.readable_engagement(request.user, pk)
    if not request.user.has_perm("engagements.assign_mentor", engagement):
        raise PermissionDenied("Only the organization's owners can change the mentor.")
    return form_action(
        request,
        MentorForm(request.POST, engagement=engagement),
        lambda data: services.reassign_mentor(
            engagement, by=request.user, mentor_id=data["mentor"]
        ),
        rerender=lambda status, form: _render_engagement(
            request, engagement, status=status, mentor_form=form
        ),
        done="The mentor is changed; the student and the mentors are told.",
        then=reverse("engagements:detail", args=[engagement.pk]),
    )


@login_required
@require_GET
def agreement_version(request, pk, number):
    engagement = selectors.readable_engagement(request.user, pk)
    version = selectors.agreement_version(engagement, number)
    return render(
        request,
        "engagements/agreement_version.html",
        {"engagement": engagement, "version": version, "terms": terms.display(version.terms)},
    )


@login_required
@require_GET
def agreement_diff(request, pk):
    """Two versions side by side, field by field; bad or unknown numbers are a 404."""
    engagement = selectors.readable_engagement(request.user, pk)
    try:
        numbers = int(request.GET.get("from", "")), int(request.GET.get("to", ""))
    except ValueError:
        raise Http404("Choose two versions.") from None
    before, after = (selectors.agreement_version(engagement, n) for n in numbers)
    return render(
        request,
        "engagements/agreement_diff.html",
        {
            "engagement": engagement,
            "before": before,
            "after": after,
            "diff": terms.diff(before.terms, after.terms),
        },
    )
