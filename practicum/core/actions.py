"""How a page acts on a posted form, in one place, so that every page answers the same way."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from practicum.core.errors import ServiceError, is_refusal
from practicum.core.forms import apply_errors


def form_action(
    request: HttpRequest,
    form: forms.Form | None,
    act: Callable[[dict], Any],
    *,
    rerender: Callable[[int, forms.Form], HttpResponse],
    done: str | Callable[[Any], str],
    then: str | Model,
    conflicts: type[ServiceError] | tuple[type[ServiceError], ...] = ServiceError,
    on_conflict: Callable[[ServiceError], HttpResponse | None] | None = None,
) -> HttpResponse:
    """Check `form`, call the service with `act(form.cleaned_data)` and answer:

    - invalid input, or a ValidationError from the service: `rerender(422, form)`, the page
      again with the bound form, so the errors sit next to the fields and what was typed is
      kept (the service's errors are put on the form by apply_errors);
    - Refused (403) or a 404 from the service: the error page with its message;
    - one of `conflicts` (by default every other ServiceError, e.g. a Conflict: the state of
      things does not allow it now): its message, shown on the page we go back to; other
      service errors propagate. `on_conflict(exc)` may answer instead of going back by
      returning a response (None: go back as usual);
    - success: the message `done`, or `done(result)` with what `act` returned, shown on the
      page we go to.

    "Going back" is `redirect(then)`: `then` is a URL or a model with get_absolute_url. `form`
    is None for a button that sends no input: `act` gets {}, and a ValidationError, having no
    form to be shown on, propagates.
    """
    try:
        if form is not None and not form.is_valid():
            return rerender(422, form)
        result = act(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        if form is None:
            raise
        apply_errors(form, exc)
        return rerender(422, form)
    except conflicts as exc:
        if is_refusal(exc):
            raise  # the 403 or 404 page (core.middleware.ServiceErrorPages)
        messages.error(request, exc.message)
        answer = on_conflict(exc) if on_conflict is not None else None
        if answer is not None:
            return answer
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(then)


def upload_action(
    request: HttpRequest,
    form: forms.Form,
    store: Callable[[Any], Any],
    *,
    field: str,
    rerender: Callable[[forms.Form], HttpResponse],
    done: str,
    then: str | Model,
) -> HttpResponse:
    """A form sending one file in `field`: check it, then `store(the file)`. A file the service
    refuses (any ServiceError, e.g. core.images.ImageRefused) is shown next to the field, like
    invalid input: `rerender(form)`, the page again. Success: the message `done`, shown on the
    page `then` (as for form_action)."""
    if form.is_valid():
        try:
            store(form.cleaned_data[field])
        except ServiceError as exc:
            form.add_error(field, exc.message)
        else:
            messages.success(request, done)
            return redirect(then)
    return rerender(form)
