"""Idempotent creates, one way for every page and endpoint: a double click makes one record.

Every create form carries a token (`{% form_token %}`: a hidden `form_token` field with a fresh
UUID) and every POST endpoint accepts an `Idempotency-Key` header. The view or API handler reads
it with `key_of(request)` and passes it to the service as `idempotency_key`; the service is
decorated with `@idempotent("app.action")`. The first request with a key runs the service and
records what it made; another request of the same person with the same key, for the same action
on the same object, runs nothing and returns that first result, so the page redirects the same
way and the API answers the same 201 with the same object.

Claiming the key is an insert under a unique constraint, inside the service's transaction: two
requests racing with one key take turns on the constraint, and the second finds the first's
result once it commits (or claims the key itself if the first failed and rolled back).
"""

import datetime
import functools
from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from practicum.core.errors import Conflict
from practicum.core.models import KEY_MAX, IdempotencyKey

HEADER = "Idempotency-Key"
FORM_FIELD = "form_token"
# A retry comes within minutes, a form left open in a tab within days: keys older than this are
# forgotten by the periodic job, so the table stays small.
KEEP = datetime.timedelta(days=7)

Result = TypeVar("Result", bound=Model)


def key_of(request) -> str | None:
    """The request's idempotency key: the `Idempotency-Key` header, else the form's token; None
    when there is neither. A malformed key is a ValidationError (422 in the API)."""
    key = request.headers.get(HEADER) or request.POST.get(FORM_FIELD)
    if not key:
        return None
    if len(key) > KEY_MAX or not all("!" <= char <= "~" for char in key):
        raise ValidationError(
            {
                "idempotency_key": [
                    ValidationError(
                        f"An idempotency key is 1 to {KEY_MAX} visible ASCII characters, "
                        "e.g. a UUID.",
                        code="invalid_idempotency_key",
                    )
                ]
            }
        )
    return key


def forget_old_keys(now: datetime.datetime | None = None) -> int:
    """Delete the keys older than KEEP (run by the periodic job); returns how many."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _first_result(claim: IdempotencyKey) -> Model:
    model = apps.get_model(claim.result_model)
    found = model._default_manager.filter(pk=claim.result_id).first()
    if found is None:
        raise Conflict(
            "already_submitted",
            "This form was already sent, and what it made has since been deleted.",
        )
    return found


def idempotent(action: str) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Make a create service idempotent per (person, action, object, key).

    The service's first positional argument is the object acted on (an engagement, a check-in,
    a progress update…), `by` the person; the wrapped service takes one more keyword,
    `idempotency_key` (None: no key, every call creates)."""

    def decorate(service: Callable[..., Result]) -> Callable[..., Result]:
        @functools.wraps(service)
        def wrapper(target, *args, by, idempotency_key: str | None = None, **kwargs) -> Result:
            if idempotency_key is None:
                return service(target, *args, by=by, **kwargs)
            scope = f"{action}:{target.pk}"
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        claim = IdempotencyKey.objects.create(
                            user=by, scope=scope, key=idempotency_key
                        )
                except IntegrityError:
                    return _first_result(
                        IdempotencyKey.objects.get(user=by, scope=scope, key=idempotency_key)
                    )
                result = service(target, *args, by=by, **kwargs)
                claim.result_model = result._meta.label
                claim.result_id = result.pk
                claim.save(update_fields=["result_model", "result_id"])
                return result

        return wrapper

    return decorate


# The header as the OpenAPI document shows it on every create operation (openapi_extra=…).
OPENAPI = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX},
            "description": "Your id for this request, e.g. a UUID: sending it again returns "
            "the first result (same status, same object) instead of creating a second record",
        }
    ]
}
