"""Writes for the message thread: posting (with files and a quote), editing, marking a question
answered, reading up to a message.

Either party posts while the engagement is waiting for its agreement or active (access.TALKING);
nobody else reads or writes the thread. Every post records a message_posted event and tells the
other side (new_message, batched into one email per window by notify()). Files follow the
upload rules of every piece of work (core.uploads), with a bound on how many and how much per
message. Only the author edits, within EDIT_WINDOW; the text replaced is kept.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from practicum.core import uploads
from practicum.core.errors import Conflict, Refused
from practicum.core.idempotency import idempotent
from practicum.engagements.events import record
from practicum.engagements.models import Engagement, EngagementEvent, Side
from practicum.engagements.notices import engagement_organization_side
from practicum.notifications import services as notifications
from practicum.workspace import access
from practicum.workspace.messaging.models import (
    BODY_MAX,
    EDIT_WINDOW,
    Message,
    MessageAttachment,
    MessageRevision,
    ReadMarker,
)

Kind = EngagementEvent.Kind
MAX_ATTACHMENTS = 5
# All the files of one message together: as much as one deliverable file may weigh.
ATTACHMENTS_MAX_TOTAL = uploads.MAX_FILE_SIZE
ATTACHMENTS_FOLDER = "messages"


def thread_url(engagement: Engagement, message: Message | None = None) -> str:
    url = reverse("messaging:thread", args=[engagement.pk])
    return f"{url}#message-{message.pk}" if message is not None else url


def message_url(engagement: Engagement, message: Message) -> str:
    """The thread's page that shows the message, wherever it is in the thread, at the message."""
    url = reverse("messaging:thread", args=[engagement.pk])
    return f"{url}?at={message.pk}#message-{message.pk}"


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


def _refused_file(code: str, message: str) -> uploads.FileRefused:
    return uploads.FileRefused(code, message, field="files")


def check_attachments(files) -> list[str]:
    """The type of each file (read from its content) when they may go with one message: at most
    MAX_ATTACHMENTS, each under the upload rules, ATTACHMENTS_MAX_TOTAL together; FileRefused
    (on the field "files", naming the file) otherwise."""
    if len(files) > MAX_ATTACHMENTS:
        raise _refused_file(
            "too_many_files", f"Attach at most {MAX_ATTACHMENTS} files to one message."
        )
    types = []
    for upload in files:
        try:
            uploads.check_size(upload)
            types.append(uploads.check_type(upload))
        except uploads.FileRefused as exc:
            name = uploads.clean_name(upload.name)
            raise _refused_file(exc.code, f"{name}: {exc.message}") from None
    if sum(upload.size for upload in files) > ATTACHMENTS_MAX_TOTAL:
        raise _refused_file(
            "files_too_large",
            f"The files together are larger than {ATTACHMENTS_MAX_TOTAL // (1024 * 1024)} MB; "
            "send some in another message or share a link.",
        )
    return types


def _quoted(engagement: Engagement, quote: int | None) -> Message | None:
    """The message a reply quotes: one already in this thread (anything else is refused as if
    it did not exist)."""
    if quote is None:
        return None
    found = Message.objects.filter(engagement=engagement, pk=quote).first()
    if found is None:
        raise ValidationError(
            {
                "quote": [
                    ValidationError("There is no such message in this thread.", "no_such_message")
                ]
            }
        )
    return found


@idempotent("messaging.post_message")
def post_message(
    engagement: Engagement,
    *,
    by,
    body: str,
    is_question: bool = False,
    quote: int | None = None,
    files=(),
) -> Message:
    """Post to the thread (a party, while the engagement is pending or active), with at most
    MAX_ATTACHMENTS files (check_attachments) and quoting at most one earlier message of the
    same thread (`quote`, its id).

    The engagement row is locked while the message gets its id, so ids are committed in thread
    order. Idempotent: an `idempotency_key` the author already used in this thread returns the
    message it made, so a submission sent twice posts once.
    """
    side = access.require_party(by, engagement)
    body = _clean_body(body)
    files = list(files)
    # The files are read before the thread is locked, and stored only once all is well.
    types = check_attachments(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            engagement = _locked(engagement)
            access.require_state(engagement, access.TALKING)
            message = Message.objects.create(
                engagement=engagement,
                author=by,
                side=side,
                body=body,
                is_question=bool(is_question),
                quote=_quoted(engagement, quote),
            )
            attachments = []
            for upload, file_type in zip(files, types, strict=True):
                stored.append(uploads.store(upload, file_type, folder=ATTACHMENTS_FOLDER))
                attachments.append(
                    MessageAttachment(
                        message=message,
                        file=stored[-1],
                        name=uploads.clean_name(upload.name),
                        file_type=file_type,
                        size=upload.size,
                    )
                )
            MessageAttachment.objects.bulk_create(attachments)
            _announce(engagement, message, by=by, side=side)
    except BaseException:
        # The rows that would have named the stored files are rolled back: remove the files.
        for name in stored:
            uploads.delete(name)
        raise
    return message


def _announce(engagement: Engagement, message: Message, *, by, side: str) -> None:
    """The message_posted event and the other side's notifications."""
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


def check_may_edit(message: Message, *, by, engagement=None, now=None) -> None:
    """The author, while the thread is open and within EDIT_WINDOW of posting; Refused
    (not_the_author) or Conflict (engagement_not_active, edit_window_closed) otherwise."""
    engagement = engagement or message.engagement
    access.require_party(by, engagement)
    if message.author_id != by.pk:
        raise Refused("not_the_author", "Only the person who wrote a message can edit it.")
    access.require_state(engagement, access.TALKING)
    if (now or timezone.now()) > message.editable_until:
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        raise Conflict(
            "edit_window_closed",
            f"A message can be edited for {minutes} minutes after it is posted; this one no "
            "longer can. Post a new message to correct it.",
        )


@transaction.atomic
def edit_message(message: Message, *, by, body: str) -> Message:
    """The author changes a message's text within EDIT_WINDOW of posting it, while the thread is
    open. The text replaced is kept as a revision and the message is marked edited; nobody else
    edits (Refused), and a message past the window stays as it is (Conflict edit_window_closed).
    The same text again changes nothing."""
    check_may_edit(message, by=by)
    engagement = _locked(message.engagement)
    message = Message.objects.select_for_update().get(pk=message.pk)
    now = timezone.now()
    check_may_edit(message, by=by, engagement=engagement, now=now)
    body = _clean_body(body)
    if body == message.body:
        return message
    last = message.revisions.aggregate(last=Max("number"))["last"] or 0
    MessageRevision.objects.create(
        message=message,
        number=last + 1,
        body=message.body,
        written_at=message.edited_at or message.created_at,
        replaced_at=now,
    )
    message.body, message.edited_at = body, now
    message.save(update_fields=["body", "edited_at"])
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
