from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Application(models.Model):
    """A student's application to a project; its status moves only through the transition
    table in engagements/transitions.py."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SHORTLISTED = "shortlisted", "Shortlisted"
        OFFERED = "offered", "Offer made"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REJECTED = "rejected", "Not selected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="applications"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    pitch = models.TextField(validators=[MaxLengthValidator(2_000)])
    availability_confirmed = models.BooleanField(default=False)
    answers = models.JSONField(default=list, blank=True, help_text="One per screening question")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    offer_message = models.TextField(blank=True, validators=[MaxLengthValidator(2_000)])
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    rejection_message = models.TextField(blank=True, validators=[MaxLengthValidator(2_000)])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "student"], name="one_application_per_student_and_project"
            )
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self):
        return f"{self.student} → {self.project}"


class Engagement(models.Model):
    """Created when a student accepts an offer; the agreement (next step) makes it active."""

    class State(models.TextChoices):
        AGREEMENT_PENDING = "agreement_pending", "Waiting for the agreement"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="engagement"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="engagements"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engagements"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="mentored_engagements",
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.AGREEMENT_PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "student"],
                condition=~Q(state="cancelled"),
                name="one_live_engagement_per_student_and_project",
            )
        ]

    def __str__(self):
        return f"{self.student} on {self.project} ({self.get_state_display()})"
