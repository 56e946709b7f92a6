"""A person's copy of their data: a ZIP of JSON files built in the background."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from practicum.core.state_machine import Transition, TransitionTable

# How long a finished export can be downloaded (the emailed link says until when).
KEEP_FOR = datetime.timedelta(days=7)


class DataExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Stored under a random name, served only to its owner by the download view.
    file = models.FileField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    secret = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["user", "-requested_at"])]

    def __str__(self):
        return f"Your Practicum data ({self.requested_at:%d %b %Y})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("privacy:data")

    @property
    def download_name(self) -> str:
        return f"practicum-data-{self.ready_at:%Y-%m-%d}.zip"

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and (now or timezone.now()) >= self.expires_at


def _refusal(state: str, action: str) -> str:
    return f"This export is {DataExport.Status(state).label.lower()} already."


EXPORT_STATES = TransitionTable(
    [
        Transition("finish", frozenset({DataExport.Status.PENDING}), DataExport.Status.READY,
                   "Finish"),
        Transition("fail", frozenset({DataExport.Status.PENDING}), DataExport.Status.FAILED,
                   "Fail"),
    ],
    refusal=_refusal,
)  # fmt: skip
