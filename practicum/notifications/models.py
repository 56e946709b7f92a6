from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from practicum.core.state_machine import Transition, TransitionTable
from practicum.notifications.kinds import Delivery


class EmailDelivery(models.Model):
    """One email to send (the outbox): a single notification, a batch, or a daily digest.

    Sending is at least once and, short of one narrow window, exactly once: a worker locks the
    row, sends, and marks it sent in the same transaction (see services.send_due_emails).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    DIGEST = "digest"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )
    # "now:<notification id>", "batch:<recipient>:<kind>:<target>:<window>" or
    # "digest:<recipient>:<local date>": the same email can never be queued twice.
    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=40, help_text="A notification kind, or “digest”")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    not_before = models.DateTimeField(default=timezone.now, help_text="Not sent before this")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Written in the same transaction as the attempt, so they name the worker that made the last
    # attempt. The row lock held while sending, not these fields, keeps other workers out.
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "email deliveries"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "not_before"])]

    def __str__(self):
        return self.key


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # Which occasion of the kind it is about (the deadline, the round…), as given to notify():
    # reminder finders ask the database whether an occasion was announced (selectors.announced).
    occurrence = models.CharField(max_length=64, blank=True, default="")
    # Stored, not derived, so listing notifications never touches the targets' tables.
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    message = models.CharField(max_length=500)
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # "<recipient>:<kind>:<target>:<occurrence>": the same event is never recorded twice.
    key = models.CharField(max_length=255, unique=True)
    delivery = models.CharField(
        max_length=12,
        choices=[(d.value, d.label) for d in Delivery if d != Delivery.OFF],
        help_text="How the recipient wanted this kind delivered when it was recorded",
    )
    email = models.ForeignKey(
        EmailDelivery,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        help_text="The email that carries it; empty until one is queued",
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"]),
            # A person's notifications, newest first, read or not.
            models.Index(fields=["recipient", "created_at"], name="notification_recipient_newest"),
            models.Index(fields=["delivery", "email"]),
            # Whether an occasion of a target was announced (selectors.announced).
            models.Index(fields=["target_id", "kind", "occurrence"], name="notification_occasion"),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A user's choice for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_preference_per_user_and_kind"
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind} → {self.delivery}"


def _refusal(state: str, action: str) -> str:
    return f"An email that is “{EmailDelivery.Status(state).label.lower()}” cannot be {action}."


# An email waits (and may be retried) until it is sent or given up on.
EMAIL_STATES = TransitionTable(
    [
        Transition("send", frozenset({EmailDelivery.Status.PENDING}), EmailDelivery.Status.SENT,
                   "Sent"),
        Transition("give_up", frozenset({EmailDelivery.Status.PENDING}),
                   EmailDelivery.Status.FAILED, "Failed"),
    ],
    refusal=_refusal,
)  # fmt: skip
