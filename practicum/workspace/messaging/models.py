"""The message thread of an engagement: one per engagement, both parties post, a message may be
a question that stays open until someone marks it answered. A read marker per person says how
far they have read, so unread counts are one comparison of ids.

A message may carry a few files (MessageAttachment, under the upload rules of core.uploads),
quote one earlier message of the thread, and be edited by its author for a short while; each
edit keeps the text it replaced (MessageRevision), readable by both parties."""

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practicum.engagements.models import Side

BODY_MAX = 10_000
# How long the author may correct a message after posting it.
EDIT_WINDOW = datetime.timedelta(minutes=15)
# How much of a quoted message a reply shows.
QUOTE_LINES, QUOTE_CHARS = 3, 300


class Message(models.Model):
    # The thread's order is the id's order: ids are given out while the engagement row is locked
    # (services.post_message), so they are also committed in that order and a reader polling
    # for "after <id>" never skips a message committed late.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(
        max_length=12, choices=Side.choices, help_text="The side the author wrote for"
    )
    body = models.TextField(help_text="Markdown", validators=[MaxLengthValidator(BODY_MAX)])
    is_question = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The earlier message of the same thread this one replies to (checked by the service).
    quote = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The last edit; the texts it replaced are its revisions.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_question=True) | Q(answered_at__isnull=True),
                name="only_questions_are_answered",
            ),
        ]
        indexes = [
            models.Index(fields=["engagement", "id"], name="message_thread_order"),
            models.Index(
                fields=["engagement"],
                condition=Q(is_question=True, answered_at__isnull=True),
                name="message_open_questions",
            ),
        ]

    def __str__(self):
        return f"Message {self.pk} in engagement {self.engagement_id}"

    @property
    def is_open_question(self) -> bool:
        return self.is_question and self.answered_at is None

    @property
    def asked_side(self) -> str:
        """The side a question is put to: the other one."""
        return Side.ORGANIZATION if self.side == Side.STUDENT else Side.STUDENT

    @property
    def editable_until(self) -> datetime.datetime:
        return self.created_at + EDIT_WINDOW

    @property
    def opening_lines(self) -> str:
        """What a quote shows of the message: its first lines, shortened (the text as typed)."""
        lines = [line for line in self.body.splitlines() if line.strip()]
        shown = "\n".join(lines[:QUOTE_LINES])
        if len(shown) > QUOTE_CHARS:
            shown = shown[: QUOTE_CHARS - 1].rstrip()
        return shown + "…" if shown != "\n".join(lines) else shown


class MessageAttachment(models.Model):
    """A file sent with a message; served only by a view that checks the reader is a party."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # Stored under a random name (core.uploads.store), never under what the user typed.
    file = models.FileField(max_length=255)
    name = models.CharField(max_length=255, help_text="As uploaded")
    file_type = models.CharField(max_length=8, help_text="Detected from the content")
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["message", "pk"]

    def __str__(self):
        return f"{self.name} on message {self.message_id}"


class MessageRevision(models.Model):
    """A text a message had before an edit: kept so an edit never silently rewrites what the
    other party read. Numbered 1, 2, 3… per message, oldest first."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField(help_text="Markdown, as it read before the edit")
    written_at = models.DateTimeField(help_text="When this text was posted or last edited")
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "number"], name="one_revision_number_per_message"
            )
        ]

    def __str__(self):
        return f"Revision {self.number} of message {self.message_id}"


class ReadMarker(models.Model):
    """How far a person has read an engagement's thread: the last message id they saw."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["engagement", "user"], name="one_read_marker_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.engagement_id} up to {self.last_read_id}"
