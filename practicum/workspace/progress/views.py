"""The progress updates page: the hours reported against the hours agreed, the student's form,
every update with its comments and a comment form for the parties."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from practicum.core import idempotency
from practicum.core.actions import form_action
from practicum.core.errors import Conflict
from practicum.core.loading import visible_or_404
from practicum.engagements.events import side_of
from practicum.engagements.models import Side
from practicum.workspace import access
from practicum.workspace.progress import selectors, services
from practicum.workspace.progress.forms import ProgressCommentForm, ProgressUpdateForm


def _edit_form(update) -> ProgressUpdateForm:
    return ProgressUpdateForm(
        prefix=f"edit-{update.pk}",
        initial={
            "done": update.done,
            "blockers": update.blockers,
            "next_steps": update.next_steps,
            "hours": update.hours,
        },
    )


def _render_list(request, engagement, *, update_form=None, comment_form=None, status=200):
    """The page; a bound form with errors (the update form, or a comment form with the id of
    its update as `comment_form.update_id`) replaces its blank one, so what was typed is kept."""
    can_act = access.can_act(request.user, engagement)
    active = engagement.state in access.WORKING
    can_comment = can_act and active
    can_post = can_comment and side_of(request.user, engagement) == Side.STUDENT
    page = Paginator(selectors.updates_of(engagement), selectors.PER_PAGE).get_page(
        request.GET.get("page")
    )
    updates = list(page)
    if can_comment:
        for update in updates:
            bound = comment_form is not None and comment_form.update_id == update.pk
            update.comment_form = comment_form if bound else ProgressCommentForm(prefix=update.pk)
            # The author may change it until the organization has commented (the services
            # check again): comments are prefetched, so this costs no query.
            update.changeable = can_post and selectors.may_change(update, request.user)
    context = {
        "engagement": engagement,
        "updates": updates,
        "page": page,
        "hours": selectors.HoursProgress(*selectors.hours_summary(engagement)),
        "can_act": can_act,
        "can_comment": can_comment,
        "update_form": (update_form or ProgressUpdateForm()) if can_post else None,
    }
    return render(request, "progress/list.html", context, status=status)


@login_required
@require_GET
def update_list(request, pk):
    return _render_list(request, access.readable(request.user, pk))


@login_required
@require_POST
def post_update(request, pk):
    engagement = access.readable(request.user, pk)
    return form_action(
        request,
        ProgressUpdateForm(request.POST),
        lambda data: services.post_update(
            engagement, by=request.user, idempotency_key=idempotency.key_of(request), **data
        ),
        rerender=lambda status, form: _render_list(
            request, engagement, status=status, update_form=form
        ),
        done="Your progress update is posted.",
        then=reverse("progress:list", args=[engagement.pk]),
        # A conflict (the engagement is no longer active) is told on the page; these services
        # raise no other error, so any other is a bug and fails loudly.
        conflicts=Conflict,
    )


@login_required
@require_POST
def comment(request, pk, update_id):
    engagement = access.readable(request.user, pk)
    update = visible_or_404(selectors.update_of(engagement, update_id), what="update")
    form = ProgressCommentForm(request.POST, prefix=update.pk)
    form.update_id = update.pk
    return form_action(
        request,
        form,
        lambda data: services.comment_on_update(
            update, by=request.user, body=data["body"], idempotency_key=idempotency.key_of(request)
        ),
        rerender=lambda status, form: _render_list(
            request, engagement, status=status, comment_form=form
        ),
        done="Your comment is posted.",
        then=reverse("progress:list", args=[engagement.pk]),
        conflicts=Conflict,  # as for updates
    )


def _update(request, pk, update_id):
    engagement = access.readable(request.user, pk)
    update = visible_or_404(selectors.update_of(engagement, update_id), what="update")
    return engagement, update


def _render_edit(request, engagement, update, form, status=200):
    context = {"engagement": engagement, "update": update, "form": form}
    return render(request, "progress/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk, update_id):
    """The author's form to change their update, until the organization comments on it."""
    engagement, update = _update(request, pk, update_id)
    back = reverse("progress:list", args=[engagement.pk]) + f"#update-{update.pk}"
    if request.method == "GET":
        if update.author_id != request.user.pk or not access.can_act(request.user, engagement):
            raise PermissionDenied("Only the author of a progress update can change it.")
        if engagement.state not in access.WORKING or not selectors.may_change(update, request.user):
            messages.error(request, "This update can no longer change.")
            return redirect(back)
        return _render_edit(request, engagement, update, _edit_form(update))
    return form_action(
        request,
        ProgressUpdateForm(request.POST, prefix=f"edit-{update.pk}"),
        lambda data: services.edit_update(update, by=request.user, **data),
        rerender=lambda status, form: _render_edit(request, engagement, update, form, status),
        done="Your progress update is changed; the timeline keeps what it said before.",
        then=back,
        conflicts=Conflict,
    )


@login_required
@require_POST
def remove(request, pk, update_id):
    engagement, update = _update(request, pk, update_id)
    return form_action(
        request,
        None,
        lambda data: services.delete_update(update, by=request.user),
        rerender=None,
        done="Your progress update is deleted; the timeline keeps what it said.",
        then=reverse("progress:list", args=[engagement.pk]),
        conflicts=Conflict,
    )
