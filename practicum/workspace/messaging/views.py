"""The message thread page, its polling fragment and its forms; a message's edit page, its
history, its files and its permanent link. Without JavaScript the page is a plain form that
posts and redirects; with HTMX the page asks every few seconds for the messages after the last
one it shows and appends them, and posting appends the same way.

Files are never served from a media URL: `download` checks that the user may read the thread on
every request.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh, reswap, retarget

from practicum.core import idempotency, uploads
from practicum.core.errors import Conflict
from practicum.core.files import attachment
from practicum.core.forms import apply_errors
from practicum.core.loading import visible_or_404
from practicum.core.schemas import ID_MAX
from practicum.workspace import access
from practicum.workspace.messaging import selectors, services
from practicum.workspace.messaging.forms import AfterForm, EditForm, MessageForm
from practicum.workspace.messaging.models import Message, MessageAttachment

REVISIONS_PAGE_SIZE = 20


def _can_post(engagement, can_act: bool) -> bool:
    return can_act and engagement.state in access.TALKING


def _message(engagement, message_id: int) -> Message:
    return visible_or_404(selectors.message_of(engagement, message_id), what="message")


def _quoting(engagement, form) -> Message | None:
    """The message the form replies to, for the preview above the box (None: none, or not one
    of this thread, which the service refuses when the form is sent)."""
    value = form["quote"].value() if form is not None else None
    try:
        quote = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return selectors.message_of(engagement, quote) if quote is not None else None


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
        "now": timezone.now(),
    }
    context["quoting"] = _quoting(engagement, context["form"])
    return render(request, "messaging/thread.html", context, status=status)


def _id_in_query(request, name: str) -> int | None:
    """A message id from the query (None when absent); anything that cannot be one is a 404."""
    if name not in request.GET:
        return None
    try:
        value = int(request.GET[name])
    except ValueError:
        raise Http404("No such page of messages.") from None
    if not 0 <= value <= ID_MAX:  # beyond the database's integers a query would overflow
        raise Http404("No such page of messages.")
    return value


@login_required
@require_GET
def thread(request, pk):
    engagement = access.readable(request.user, pk)
    before, at, quote = (_id_in_query(request, name) for name in ("before", "at", "quote"))
    if at is not None:
        # A message's link (quotes point here): the page of the thread that shows it.
        shown = _message(engagement, at)
        before = None if selectors.on_latest_page(shown) else shown.pk + 1
    form = None
    if quote is not None:
        # "Quote in reply": the box opens with the message quoted.
        form = MessageForm(initial={"quote": _message(engagement, quote).pk})
    return _render_thread(request, engagement, form=form, before=before)


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
        "now": timezone.now(),
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
            {"engagement": engagement, "form": form, "quoting": _quoting(engagement, form)},
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
    form = MessageForm(request.POST, request.FILES)
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
    except uploads.FileRefused as exc:
        form.add_error("files", ValidationError(exc.message, code=exc.code))
        return _form_errors(request, engagement, form)
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
    message = _message(engagement, message_id)
    try:
        services.mark_answered(message, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The question is marked answered.")
    return redirect("messaging:thread", engagement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk, message_id):
    """The author's form to correct a message. Someone else gets a 403; past the edit window
    the page says so (409) and the message stays as it is."""
    engagement = access.readable(request.user, pk)
    message = _message(engagement, message_id)
    status, refusal = 200, None
    if request.method == "POST":
        form = EditForm(request.POST)
        status = 422
        try:
            if form.is_valid():
                services.edit_message(message, by=request.user, body=form.cleaned_data["body"])
                messages.success(request, "Your message is updated; the earlier text is kept.")
                return redirect(services.message_url(engagement, message))
            services.check_may_edit(message, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, ValidationError(exc.message, code=exc.code))
            status = 409
    else:
        form = EditForm(initial={"body": message.body})
        try:
            services.check_may_edit(message, by=request.user)
        except Conflict as exc:
            # Nothing to correct on the form: the page says why and offers no form.
            form, refusal, status = None, exc.message, 409
    context = {"engagement": engagement, "message": message, "form": form, "refusal": refusal}
    return render(request, "messaging/edit.html", context, status=status)


@login_required
@require_GET
def history(request, pk, message_id):
    """A message as it reads now and, newest first, the texts it had before its edits."""
    engagement = access.readable(request.user, pk)
    message = _message(engagement, message_id)
    page = Paginator(selectors.revisions_of(message), REVISIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"engagement": engagement, "message": message, "page": page}
    return render(request, "messaging/history.html", context)


def attachment_response(found: MessageAttachment) -> FileResponse:
    """A message's file as an attachment with the type read from its content, for the page and
    the API (both check who may read first)."""
    return attachment(
        found.file,
        filename=found.name,
        content_type=uploads.CONTENT_TYPES.get(found.file_type, "application/octet-stream"),
    )


@login_required
@require_GET
def download(request, pk, message_id, attachment_id):
    engagement = access.readable(request.user, pk)
    found = selectors.attachment_of(engagement, message_id, attachment_id)
    return attachment_response(visible_or_404(found, what="file"))
