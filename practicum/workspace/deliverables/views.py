"""The deliverables page: each deliverable of the agreement in force with its submissions, the
student's submit form and the organization's review form; and the one way to download a file.

Files are never served from a media URL: `download` checks that the user may read the
engagement on every request.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from practicum.core import idempotency, uploads
from practicum.core.errors import ServiceError, is_refusal
from practicum.core.files import attachment
from practicum.core.forms import apply_errors
from practicum.core.loading import visible_or_404
from practicum.engagements.events import side_of
from practicum.engagements.models import Engagement, Side
from practicum.workspace import access
from practicum.workspace.deliverables import selectors, services
from practicum.workspace.deliverables.forms import ReviewForm, SubmissionForm
from practicum.workspace.deliverables.models import Submission
from practicum.workspace.deliverables.selectors import DeliverableRow, State


@dataclass
class Section:
    """A deliverable as the viewer sees it, with the form they may use on it."""

    row: DeliverableRow
    submit_form: SubmissionForm | None = None
    review_form: ReviewForm | None = None


def _render(request, engagement: Engagement, *, status: int = 200, bound=None):
    """The page; `bound` is the form that failed ((kind, key or submission id), form), shown
    again with its errors and what was typed."""
    can_act = access.can_act(request.user, engagement)
    side = side_of(request.user, engagement) if can_act else ""
    active = engagement.state == Engagement.State.ACTIVE
    bound_key, bound_form = bound or (None, None)
    sections = []
    for row in selectors.deliverable_rows(engagement):
        section = Section(row)
        if active and side == Side.STUDENT and row.state != State.ACCEPTED:
            section.submit_form = (
                bound_form if bound_key == ("submit", row.key) else SubmissionForm(prefix=row.key)
            )
        waiting = row.waiting
        if active and side == Side.ORGANIZATION and waiting is not None:
            section.review_form = (
                bound_form
                if bound_key == ("review", waiting.pk)
                else ReviewForm(prefix=f"review-{waiting.pk}", required=False)
            )
        sections.append(section)
    context = {
        "engagement": engagement,
        "sections": sections,
        "side": side,
        "active": active,
        "zone": engagement.project.zone,
    }
    return render(request, "deliverables/list.html", context, status=status)


@login_required
@require_GET
def deliverables_page(request, pk):
    return _render(request, access.readable(request.user, pk))


def _back(engagement: Engagement, anchor: str):
    return redirect(reverse("deliverables:list", args=[engagement.pk]) + f"#{anchor}")


def _refused_or_conflict(request, engagement, exc: ServiceError, anchor: str):
    """A service's refusal outside the form: 403 page, 404, or a message on the page."""
    if is_refusal(exc):
        raise exc
    messages.error(request, exc.message)
    return _back(engagement, anchor)


@login_required
@require_POST
def submit(request, pk, key):
    engagement = access.readable(request.user, pk)
    form = SubmissionForm(request.POST, request.FILES, prefix=key)
    bound = (("submit", key), form)
    try:
        if not form.is_valid():
            # Who may submit is checked before the form's complaints are shown.
            services.check_may_submit(engagement, key, by=request.user)
            return _render(request, engagement, status=422, bound=bound)
        data = form.cleaned_data
        services.submit(
            engagement,
            key,
            by=request.user,
            note=data["note"],
            link=data["link"],
            file=data["file"] or None,
            idempotency_key=idempotency.key_of(request),
        )
    except uploads.FileRefused as exc:
        form.add_error("file", ValidationError(exc.message, code=exc.code))
        return _render(request, engagement, status=422, bound=bound)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render(request, engagement, status=422, bound=bound)
    except ServiceError as exc:
        return _refused_or_conflict(request, engagement, exc, f"deliverable-{key}")
    messages.success(request, "Submitted. The organization is told it waits for their review.")
    return _back(engagement, f"deliverable-{key}")


def _submission(engagement: Engagement, submission_id: int) -> Submission:
    return visible_or_404(selectors.submission_of(engagement, submission_id), what="submission")


def _review(request, pk, submission_id, *, required: bool, act, done: str):
    engagement = access.readable(request.user, pk)
    submission = _submission(engagement, submission_id)
    form = ReviewForm(request.POST, prefix=f"review-{submission.pk}", required=required)
    bound = (("review", submission.pk), form)
    try:
        if not form.is_valid():
            services.check_may_review(engagement, by=request.user)
            return _render(request, engagement, status=422, bound=bound)
        act(submission, form.cleaned_data["feedback"])
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render(request, engagement, status=422, bound=bound)
    except ServiceError as exc:
        return _refused_or_conflict(request, engagement, exc, f"submission-{submission.pk}")
    messages.success(request, done)
    return _back(engagement, f"submission-{submission.pk}")


@login_required
@require_POST
def accept(request, pk, submission_id):
    return _review(
        request,
        pk,
        submission_id,
        required=False,
        act=lambda s, feedback: services.accept(s, by=request.user, feedback=feedback),
        done="Accepted. The student is told.",
    )


@login_required
@require_POST
def request_changes(request, pk, submission_id):
    return _review(
        request,
        pk,
        submission_id,
        required=True,
        act=lambda s, feedback: services.request_changes(s, by=request.user, feedback=feedback),
        done="Changes requested. The student is told and can submit again.",
    )


def file_response(submission: Submission) -> FileResponse:
    """The submission's file as an attachment with the type read from its content, for the
    page and the API (both check who may read first)."""
    return attachment(
        submission.file,
        filename=submission.file_name or submission.file.name.rsplit("/", 1)[-1],
        content_type=uploads.CONTENT_TYPES.get(submission.file_type, "application/octet-stream"),
    )


@login_required
@require_GET
def download(request, pk, submission_id):
    engagement = access.readable(request.user, pk)
    return file_response(_submission(engagement, submission_id))
