"""Writes for progress updates: the student posts an update, either party comments on one;
the student edits or deletes their own update until the organization has commented on it.

All while the engagement is active; nobody else. Each write records its
event (update_posted, update_commented, update_edited, update_deleted: the last two keep what
the update said before, for the timeline); there is no notification kind for updates.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from practicum.core.errors import Conflict, Refused
from practicum.core.idempotency import idempotent
from practicum.engagements.events import record
from practicum.engagements.models import Engagement, EngagementEvent, Side
from practicum.workspace import access
from practicum.workspace.progress.models import (
    HOURS_MAX,
    HOURS_STEP,
    TEXT_MAX,
    ProgressComment,
    ProgressUpdate,
    hours_text,
)

Kind = EngagementEvent.Kind


def _require_active(engagement: Engagement) -> None:
    # Read the state under the row lock: a cancellation committed a moment ago is seen.
    locked = Engagement.objects.select_for_update(of=("self",)).get(pk=engagement.pk)
    access.require_state(locked)


def _text(value, *, required: bool, name: str, errors: dict) -> str:
    value = (value or "").replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if required and not value:
        errors[name] = ["This field is required."]
    elif len(value) > TEXT_MAX:
        errors[name] = [f"Keep it under {TEXT_MAX:,} characters (this has {len(value):,})."]
    return value


def _hours(value, errors: dict) -> Decimal | None:
    try:
        hours = Decimal(str(value)) if value is not None and value != "" else None
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        errors["hours"] = ["Enter the hours spent since your last update, e.g. 2.5 (0 is fine)."]
    elif hours < 0:
        errors["hours"] = ["Hours cannot be negative."]
    elif hours > HOURS_MAX:
        errors["hours"] = [f"At most {HOURS_MAX} hours: a week has no more."]
    elif hours % HOURS_STEP:
        errors["hours"] = ["Use quarter hours: 0.25, 0.5 or 0.75 after the whole hours."]
    else:
        return hours
    return None


def _update_fields(*, done, blockers, next_steps, hours) -> dict:
    """An update's fields, checked: what is done is required, the rest optional; hours 0 to 168
    in quarter hours. A ValidationError names every field at fault."""
    errors: dict = {}
    fields = {
        "done": _text(done, required=True, name="done", errors=errors),
        "blockers": _text(blockers, required=False, name="blockers", errors=errors),
        "next_steps": _text(next_steps, required=False, name="next_steps", errors=errors),
        "hours": _hours(hours, errors),
    }
    if errors:
        raise ValidationError(errors)
    return fields


@idempotent("progress.post_update")
@transaction.atomic
def post_update(
    engagement: Engagement, *, by, done: str, hours, blockers: str = "", next_steps: str = ""
) -> ProgressUpdate:
    """The student reports progress while the engagement is active: what is done (required),
    blockers and next steps (optional), and the hours spent since the last update (0 to 168,
    in quarter hours)."""
    access.require_side(by, engagement, Side.STUDENT)
    _require_active(engagement)
    fields = _update_fields(done=done, blockers=blockers, next_steps=next_steps, hours=hours)
    update = ProgressUpdate.objects.create(engagement=engagement, author=by, **fields)
    record(
        engagement,
        Kind.UPDATE_POSTED,
        by,
        side=Side.STUDENT,
        update=update.pk,
        hours=hours_text(update.hours),
    )
    return update


@idempotent("progress.comment_on_update")
@transaction.atomic
def comment_on_update(update: ProgressUpdate, *, by, body: str) -> ProgressComment:
    """Either party comments on an update while the engagement is active."""
    engagement = update.engagement
    side = access.require_party(by, engagement)
    _require_active(engagement)
    errors: dict = {}
    body = _text(body, required=True, name="body", errors=errors)
    if errors:
        raise ValidationError(errors)
    comment = ProgressComment.objects.create(update=update, author=by, side=side, body=body)
    record(engagement, Kind.UPDATE_COMMENTED, by, side=side, update=update.pk, comment=comment.pk)
    return comment


def _as_it_was(update: ProgressUpdate) -> dict:
    return {
        "done": update.done,
        "blockers": update.blockers,
        "next_steps": update.next_steps,
        "hours": hours_text(update.hours),
    }


def _own_unanswered(update: ProgressUpdate, by) -> ProgressUpdate:
    """The update, read again under the engagement's lock (comments lock it too), if `by` wrote
    it and the organization has not commented on it yet."""
    engagement = update.engagement
    access.require_side(by, engagement, Side.STUDENT)
    _require_active(engagement)
    update = ProgressUpdate.objects.get(pk=update.pk)
    update.engagement = engagement
    if update.author_id != by.pk:
        raise Refused("not_author", "Only the author of a progress update can change it.")
    if update.comments.filter(side=Side.ORGANIZATION).exists():
        raise Conflict(
            "already_answered",
            "The organization has commented on this update, so it stays as it is: post a new "
            "update instead.",
        )
    return update


@transaction.atomic
def edit_update(
    update: ProgressUpdate, *, by, done: str, hours, blockers: str = "", next_steps: str = ""
) -> ProgressUpdate:
    """The student changes their own update until the organization has commented on it; the
    timeline keeps what it said before (update_edited)."""
    update = _own_unanswered(update, by)
    fields = _update_fields(done=done, blockers=blockers, next_steps=next_steps, hours=hours)
    before = _as_it_was(update)
    for name, value in fields.items():
        setattr(update, name, value)
    update.edited_at = timezone.now()
    update.save(update_fields=[*fields, "edited_at"])
    record(
        update.engagement,
        Kind.UPDATE_EDITED,
        by,
        side=Side.STUDENT,
        update=update.pk,
        before=before,
        hours=hours_text(update.hours),
    )
    return update


@transaction.atomic
def delete_update(update: ProgressUpdate, *, by) -> None:
    """The student deletes their own update until the organization has commented on it (the
    student's own comments go with it); the timeline keeps what it said (update_deleted)."""
    update = _own_unanswered(update, by)
    record(
        update.engagement,
        Kind.UPDATE_DELETED,
        by,
        side=Side.STUDENT,
        update=update.pk,
        before=_as_it_was(update),
    )
    update.delete()
