"""What a career center may see of a student, and the trace of every look.

A student's **enrollment** at an institution is verified before anything is shared: the student
confirms an address at one of the institution's email domains (a signed link), or the
institution's career-center staff approve the request. The student's **consent** to share with
that institution is a separate choice they can withdraw at any time (a withdrawn consent keeps
its row, with `withdrawn_at`). Staff see a student's outcomes only while both hold, and every
time they open a student's record an **access log entry** is written, which the student reads.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practicum.core.state_machine import Transition, TransitionTable


class InstitutionDomain(models.Model):
    """An email domain whose addresses belong to the institution's students (set by platform
    admins in the Django admin). Subdomains count too: "uni.edu" covers "student.uni.edu"."""

    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(max_length=253, unique=True, help_text="Lower case, e.g. uni.edu")

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class Enrollment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Not confirmed by the career center"

    class Method(models.TextChoices):
        EMAIL = "email", "Institution email address"
        STAFF = "staff", "Approval by career-center staff"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.CASCADE, related_name="enrollments"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    method = models.CharField(max_length=10, choices=Method.choices)
    email = models.EmailField(blank=True, help_text="The institution address to confirm")
    requested_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who approved or rejected the request",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "institution"], name="one_enrollment_per_institution"
            )
        ]
        indexes = [models.Index(fields=["institution", "state"])]

    def __str__(self):
        return f"{self.student} at {self.institution} ({self.state})"


def _enrollment_refusal(state: str, action: str) -> str:
    label = Enrollment.State(state).label.lower()
    return f"This enrollment is {label}; it cannot be {ENROLLMENT.by_action[action].label.lower()}."


# fmt: off
ENROLLMENT = TransitionTable(
    [
        Transition("confirm_email", frozenset({Enrollment.State.PENDING}),
                   Enrollment.State.VERIFIED, "Confirmed"),
        Transition("approve", frozenset({Enrollment.State.PENDING}),
                   Enrollment.State.VERIFIED, "Approved"),
        Transition("reject", frozenset({Enrollment.State.PENDING}),
                   Enrollment.State.REJECTED, "Rejected"),
        Transition("ask_again", frozenset({Enrollment.State.REJECTED}),
                   Enrollment.State.PENDING, "Asked again"),
    ],
    refusal=_enrollment_refusal,
    field="state",
)
# fmt: on


class Consent(models.Model):
    """The student's consent to share outcomes with one institution, from `given_at` until
    `withdrawn_at`. At most one consent in force per student and institution."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_consents"
    )
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.CASCADE, related_name="consents"
    )
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "institution"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_consent_in_force_per_institution",
            )
        ]

    def __str__(self):
        return f"{self.student} shares with {self.institution}"


class AccessLogEntry(models.Model):
    """One look by career-center staff at a student's record. Never edited or deleted by the
    app; the staff member's name is kept in case their account goes."""

    class What(models.TextChoices):
        RECORD_PAGE = "record_page", "Opened your outcomes record"
        RECORD_API = "record_api", "Read your outcomes record through the API"
        OUTCOMES_EXPORT = "outcomes_export", "Included you in an outcomes export (CSV)"

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff_name = models.CharField(max_length=150)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_access_log"
    )
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.CASCADE, related_name="+"
    )
    what = models.CharField(max_length=20, choices=What.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "access log entries"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["student", "-at"])]

    def __str__(self):
        return f"{self.staff_name} → {self.student} at {self.at:%Y-%m-%d %H:%M}"
