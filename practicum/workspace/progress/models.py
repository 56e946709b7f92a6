"""Progress updates: the student says what is done, what blocks them, what comes next and the
hours spent since the last update; either party comments (the mentor mostly). The hours add up
against the hours agreed in the terms."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from practicum.engagements.models import Side

TEXT_MAX = 5_000
HOURS_MAX = Decimal(168)  # a week, the longest anyone can have worked since the last update
HOURS_STEP = Decimal("0.25")


class ProgressUpdate(models.Model):
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="progress_updates"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done = models.TextField(help_text="Markdown", validators=[MaxLengthValidator(TEXT_MAX)])
    blockers = models.TextField(
        blank=True, help_text="Markdown", validators=[MaxLengthValidator(TEXT_MAX)]
    )
    next_steps = models.TextField(
        "next", blank=True, help_text="Markdown", validators=[MaxLengthValidator(TEXT_MAX)]
    )
    hours = models.DecimalField(
        "hours since the last update",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(HOURS_MAX)],
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when its author changed it (before the organization commented); what it said before
    # is on the timeline (update_edited events).
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0, hours__lte=HOURS_MAX),
                name="progress_hours_within_a_week",
            )
        ]
        indexes = [models.Index(fields=["engagement", "created_at"])]

    def __str__(self):
        return f"Progress update {self.pk} in engagement {self.engagement_id}"

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)


class ProgressComment(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=12, choices=Side.choices)
    body = models.TextField(help_text="Markdown", validators=[MaxLengthValidator(TEXT_MAX)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment {self.pk} on progress update {self.update_id}"


def hours_text(hours: Decimal) -> str:
    """Hours as people write them: "2.5", "40", "0.75"."""
    return f"{hours.normalize():f}"
