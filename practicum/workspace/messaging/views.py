"""The message thread page, its polling fragment and its forms. Without JavaScript the page is a
plain form that posts and redirects; with HTMX the page asks every few seconds for the messages
after the last one it shows and appends them, and posting appends the same way."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh, reswap, retarget

from practicum.core import idempotency
from practicum.core.errors import Conflict
from practicum.core.forms import apply_errors
from practicum.core.loading import visible_or_404
from practicum.workspace import access
from practicum.workspace.messaging import selectors, services
from practicum.workspace.messaging.forms import AfterForm, MessageForm


def _can_post(engagement, can_act: bool) -> bool:
    return can_act and engagement.state in access.TALKING


def _render_thread(request, engagement, *, form=None, before=None, status=200):
    page = selectors.thread_page(engagement, before=before)
    can_act = access.can_act(request.user, engagement)
    can_post = _can_post(engagement, can_act)
    read_before = selectors.last_read_id(request.user, engagement) if can_act else None
    if can_act and before is None and page.messages:
        services.mark_read(engagement, by=request.user, up_to=page.last_id)
    context = {
        "engagement": engagement,
        "page": page,
        "before": before,
        "read_before": read_before,
        "open_questions": selectors.open_questions(
            engagement, selectors.terms_in_force(engagement)
        ),
        "can_post": can_post,
        "can_act": can_act,
        "polls": before is None and engagement.state in access.TALKING,
        "form": (form or MessageForm()) if can_post else None,
    }
    return render(request, "messaging/thread.html", context, status=status)


@login_required
@require_GET
def thread(request, pk):
    engagement = access.readable(request.user, pk)
    try:
        before = int(request.GET["before"]) if "before" in request.GET else None
    except ValueError:
        raise Http404("No such page of messages.") from None
    return _render_thread(request, engagement, before=before)


def _new_messages(request, engagement, after: int, *, form=None) -> HttpResponse:
    """The messages after `after` as list items, with the open questions (and, after a post, a
    fresh form) swapped out of band; empty when there is nothing new (appending it changes
    nothing)."""
    new = selectors.messages_after(engagement, after)
    if not new and form is None:
        return HttpResponse("")
    can_act = access.can_act(request.user, engagement)
    if new and can_act:
        services.mark_read(engagement, by=request.user, up_to=new[-1].pk)
    context = {
        "engagement": engagement,
        "new_messages": new,
        "open_questions": selectors.open_questions(
            engagement, selectors.terms_in_force(engagement)
        ),
        "can_post": _can_post(engagement, can_act),
        "form": form,
        "oob": True,
    }
    return HttpResponse(render_to_string("messaging/_new.html", context, request))


@login_required
@require_GET
def poll(request, pk):
    engagement = access.readable(request.user, pk)
    query = AfterForm(request.GET)
    if not query.is_valid():
        return HttpResponseBadRequest("Say after which message: ?after=<id>.")
    return _new_messages(request, engagement, query.cleaned_data["after"])


def _form_errors(request, engagement, form) -> HttpResponse:
    if request.htmx:
        response = render(
            request,
            "messaging/_form.html",
            {"engagement": engagement, "form": form},
            status=422,
        )
        return reswap(retarget(response, "#message-form"), "outerHTML")
    return _render_thread(request, engagement, form=form, status=422)


@login_required
@require_POST
def post(request, pk):
    """Post a message. What was typed comes back with the errors (422) when it cannot be
    posted; a conflict (the engagement closed meanwhile) is told on the thread page."""
    engagement = access.readable(request.user, pk)
    form = MessageForm(request.POST)
    after = AfterForm(request.POST) if request.htmx else None
    if after is not None and not after.is_valid():
        return HttpResponseBadRequest("Say after which message: after=<id>.")
    if not form.is_valid():
        return _form_errors(request, engagement, form)
    try:
        message = services.post_message(
            engagement,
            by=request.user,
            idempotency_key=idempotency.key_of(request),
            **form.cleaned_data,
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return _form_errors(request, engagement, form)
    except Conflict as exc:
        messages.error(request, exc.message)
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("messaging:thread", engagement.pk)
    if after is not None:
        return _new_messages(request, engagement, after.cleaned_data["after"], form=MessageForm())
    return redirect(services.thread_url(engagement, message))


@login_required
@require_POST
def answer(request, pk, message_id):
    engagement = access.readable(request.user, pk)
    message = visible_or_404(selectors.message_of(engagement, message_id), what="message")
    try:
        services.mark_answered(message, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The question is marked answered.")
    return redirect("messaging:thread", engagement.pk)
