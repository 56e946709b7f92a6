from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Application(models.Model):
    """A student's application to a project; its status moves only through the transition
    table in engagements/lifecycle.py."""

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
    # The organization's first answer (shortlist, offer or rejection), set by the lifecycle.
    answered_at = models.DateTimeField(null=True, blank=True)

    offer_message = models.TextField(blank=True, validators=[MaxLengthValidator(2_000)])
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    rejection_message = models.TextField(blank=True, validators=[MaxLengthValidator(2_000)])
    # Why Practicum took back an offer the project could no longer honour
    # (lifecycle.WITHDRAWN_BECAUSE: project_full, project_closed, project_archived).
    withdrawn_reason = models.CharField(max_length=20, blank=True)
    # Why Practicum declined an application nobody had decided on when its project stopped
    # taking people (lifecycle.DECLINED_BECAUSE: project_full, project_closed, project_archived).
    declined_reason = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "student"], name="one_application_per_student_and_project"
            )
        ]
        indexes = [
            models.Index(fields=["project", "status"]),
            # "Unanswered for 14 days, per organization": the organization's projects, then the
            # oldest applications still without an answer, from this index alone.
            models.Index(
                fields=["project", "created_at"],
                condition=Q(answered_at__isnull=True),
                name="application_unanswered",
            ),
        ]

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


class EngagementEvent(models.Model):
    """Everything that happens to an engagement, in order: the one event log of the agreement
    and, later, of the workspace. The reciprocity index is computed from these rows, so they are
    only ever added, never changed."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", "Agreement drafted"
        EDIT_PROPOSED = "edit_proposed", "Edit to the draft proposed"
        SIGNED = "signed", "Agreement signed"
        ACTIVATED = "activated", "Engagement active"
        AMENDMENT_PROPOSED = "amendment_proposed", "Amendment proposed"
        AMENDMENT_ACCEPTED = "amendment_accepted", "Amendment accepted"
        AMENDMENT_REJECTED = "amendment_rejected", "Amendment rejected"
        CANCELLED = "cancelled", "Engagement cancelled"
        MENTOR_CHANGED = "mentor_changed", "Mentor changed"
        # The workspace (practicum.workspace.*); details always carry the actor's "side".
        SUBMITTED = "submitted", "Deliverable submitted"
        SUBMISSION_ACCEPTED = "submission_accepted", "Submission accepted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        CHECKIN_HELD = "checkin_held", "Check-in held"
        CHECKIN_MISSED = "checkin_missed", "Check-in missed"
        CHECKIN_RESCHEDULED = "checkin_rescheduled", "Check-in rescheduled"
        MESSAGE_POSTED = "message_posted", "Message posted"
        QUESTION_ANSWERED = "question_answered", "Question answered"
        UPDATE_POSTED = "update_posted", "Progress update posted"
        UPDATE_COMMENTED = "update_commented", "Comment on a progress update"
        # An author changes their own update or agenda point before the other side responds;
        # details keep what it said before, so the timeline shows the history.
        UPDATE_EDITED = "update_edited", "Progress update edited"
        UPDATE_DELETED = "update_deleted", "Progress update deleted"
        AGENDA_ITEM_EDITED = "agenda_item_edited", "Agenda point edited"
        AGENDA_ITEM_DELETED = "agenda_item_deleted", "Agenda point deleted"
        SKILL_PRACTISED = "skill_practised", "Skill practised"
        # Feedback, completion and payment (practicum.reviews, practicum.completion).
        REVIEW_SUBMITTED = "review_submitted", "Review submitted"
        REVIEWS_REVEALED = "reviews_revealed", "Reviews revealed"
        COMPLETED = "completed", "Engagement completed"
        PAYMENT_RECORDED = "payment_recorded", "Payment recorded"
        PAYMENT_CONFIRMED = "payment_confirmed", "Payment receipt confirmed"
        PAYMENT_DISPUTED = "payment_disputed", "Payment disputed"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["engagement", "kind"]),
            # An engagement's timeline, newest or oldest first, reads this index alone.
            models.Index(fields=["engagement", "at"], name="engagement_event_timeline"),
        ]

    def __str__(self):
        return f"{self.kind} on engagement {self.engagement_id}"


class Side(models.TextChoices):
    STUDENT = "student", "The student"
    ORGANIZATION = "organization", "The organization"


class AgreementVersion(models.Model):
    """One version of an engagement's agreement. Its terms never change once written: an edit
    or an amendment is a new version, so what a person signed stays exactly what they read."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft, waiting for signatures"
        PROPOSED = "proposed", "Amendment proposed"
        CURRENT = "current", "In force"
        SUPERSEDED = "superseded", "Superseded"
        REJECTED = "rejected", "Rejected"

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField()
    terms = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who wrote this version; empty for the draft Practicum wrote from the project.
    side = models.CharField(max_length=12, choices=Side.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(2_000)])

    class Meta:
        ordering = ["engagement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="one_agreement_version_number"
            )
        ]

    def __str__(self):
        return f"Agreement v{self.number} of engagement {self.engagement_id}"


class Signature(models.Model):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField("typed full name", max_length=150)
    side = models.CharField(max_length=12, choices=Side.choices)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            # One signature per side: an owner and the mentor do not both sign for the organization.
            models.UniqueConstraint(fields=["version", "side"], name="one_signature_per_side")
        ]

    def __str__(self):
        return f"{self.full_name} ({self.side}) on {self.version}"
