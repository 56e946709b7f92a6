"""The message thread of an engagement: one per engagement, both parties post, a message may be
a question that stays open until someone marks it answered. A read marker per person says how
far they have read, so unread counts are one comparison of ids."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practicum.engagements.models import Side

BODY_MAX = 10_000


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
    created_at = models.DateTimeField(default=timezone.now)

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
