"""Writes for the message thread: posting, marking a question answered, reading up to a message.

Either party posts while the engagement is waiting for its agreement or active (access.TALKING);
nobody else reads or writes the thread. Every post records a message_posted event and tells the
other side (new_message, batched into one email per window by notify()).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from practicum.core.errors import Conflict
from practicum.core.idempotency import idempotent
from practicum.engagements.events import record
from practicum.engagements.models import Engagement, EngagementEvent, Side
from practicum.engagements.notices import engagement_organization_side
from practicum.notifications import services as notifications
from practicum.workspace import access
from practicum.workspace.messaging.models import BODY_MAX, Message, ReadMarker

Kind = EngagementEvent.Kind


def thread_url(engagement: Engagement, message: Message | None = None) -> str:
    url = reverse("messaging:thread", args=[engagement.pk])
    return f"{url}#message-{message.pk}" if message is not None else url


def _clean_body(body) -> str:
    body = (body or "").replace("\r\n", "\n").strip() if isinstance(body, str) else ""
    if not body:
        raise ValidationError({"body": ["Write a message."]})
    if len(body) > BODY_MAX:
        raise ValidationError(
            {"body": [f"Keep it under {BODY_MAX:,} characters (this one has {len(body):,})."]}
        )
    return body


def _locked(engagement: Engagement) -> Engagement:
    # Only the engagement row: PostgreSQL cannot lock the outer-joined (nullable) mentor.
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project", "student", "mentor")
        .get(pk=engagement.pk)
    )


def _other_side(engagement: Engagement, side: str) -> list:
    if side == Side.STUDENT:
        return engagement_organization_side(engagement)
    return [engagement.student]


@idempotent("messaging.post_message")
@transaction.atomic
def post_message(engagement: Engagement, *, by, body: str, is_question: bool = False) -> Message:
    """Post to the thread (a party, while the engagement is pending or active).

    The engagement row is locked while the message gets its id, so ids are committed in thread
    order. Idempotent: an `idempotency_key` the author already used in this thread returns the
    message it made, so a submission sent twice posts once.
    """
    side = access.require_party(by, engagement)
    body = _clean_body(body)
    engagement = _locked(engagement)
    access.require_state(engagement, access.TALKING)
    message = Message.objects.create(
        engagement=engagement,
        author=by,
        side=side,
        body=body,
        is_question=bool(is_question),
    )
    record(
        engagement,
        Kind.MESSAGE_POSTED,
        by,
        side=side,
        message=message.pk,
        question=message.is_question,
    )
    url = thread_url(engagement, message)
    for person in _other_side(engagement, side):
        notifications.notify(
            person,
            "new_message",
            engagement,
            {"author": by.name, "question": message.is_question},
            str(message.pk),
            url=url,
            title=engagement.project.title,
        )
    return message


@transaction.atomic
def mark_answered(message: Message, *, by) -> Message:
    """Mark an open question answered (either party; the one who marks it is recorded). Only
    questions are answered, and each once."""
    engagement = message.engagement
    side = access.require_party(by, engagement)
    access.require_state(_locked(engagement), access.TALKING)
    message = Message.objects.get(pk=message.pk)  # as it is now that the thread is locked
    if not message.is_question:
        raise Conflict("not_a_question", "This message is not a question.")
    if message.answered_at is not None:
        raise Conflict("already_answered", "This question is already marked answered.")
    message.answered_at, message.answered_by = timezone.now(), by
    message.save(update_fields=["answered_at", "answered_by"])
    record(
        engagement,
        Kind.QUESTION_ANSWERED,
        by,
        side=side,
        message=message.pk,
        asked_at=message.created_at.isoformat(),
        asked_side=message.side,
    )
    return message


@transaction.atomic
def mark_read(engagement: Engagement, *, by, up_to: int | None = None) -> int:
    """Move the reader's marker to message `up_to` (default: the latest); it never moves back,
    nor past the thread's last message. Only the parties keep a marker. Returns the id the
    marker stands at."""
    access.require_party(by, engagement)
    notifications.mark_read_about(by, "new_message", engagement)
    messages = Message.objects.filter(engagement=engagement)
    if up_to is not None:
        messages = messages.filter(pk__lte=up_to)
    latest = messages.aggregate(latest=Max("pk"))["latest"] or 0
    moved = ReadMarker.objects.filter(
        engagement=engagement, user=by, last_read_id__lt=latest
    ).update(last_read_id=latest, updated_at=timezone.now())
    if moved:
        return latest
    marker, _ = ReadMarker.objects.get_or_create(
        engagement=engagement, user=by, defaults={"last_read_id": latest}
    )
    return marker.last_read_id
