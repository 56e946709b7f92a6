from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from practicum.core.state_machine import Transition, TransitionTable


class Submission(models.Model):
    """One submission of a deliverable: a link and/or a file with a note, and its review.

    A deliverable is named by its `key` in the agreement's terms (stable across versions), not
    by a row of its own: the terms in force say what is due, these rows say what was handed in.
    Submissions are numbered 1, 2, 3… per deliverable and never deleted, so the history of
    resubmissions and feedback stays readable.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        # The student sent a newer submission before this one was reviewed.
        SUPERSEDED = "superseded", "Replaced by a newer submission"

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="submissions"
    )
    deliverable_key = models.CharField(max_length=20)
    number = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    link = models.URLField(max_length=2_000, blank=True)
    # Stored under a random name (see core.uploads.store); only a permission-checked view serves it.
    file = models.FileField(max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text="As uploaded")
    file_type = models.CharField(
        max_length=8, blank=True, help_text="Detected from the content: pdf, png, docx…"
    )
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    # The due date in force when it was submitted: whether it came in on time stays a fact.
    due_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["engagement", "deliverable_key", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "deliverable_key", "number"],
                name="one_submission_number_per_deliverable",
            ),
            # The services keep these true under the engagement's lock; the database makes a
            # mistake impossible to store.
            models.UniqueConstraint(
                fields=["engagement", "deliverable_key"],
                condition=Q(status="waiting"),
                name="one_waiting_submission_per_deliverable",
            ),
            models.UniqueConstraint(
                fields=["engagement", "deliverable_key"],
                condition=Q(status="accepted"),
                name="one_accepted_submission_per_deliverable",
            ),
            models.CheckConstraint(
                condition=~Q(link="") | ~Q(file=""), name="submission_has_link_or_file"
            ),
        ]

    def __str__(self):
        return f"Submission {self.number} of {self.deliverable_key} on {self.engagement_id}"

    def get_absolute_url(self) -> str:
        url = reverse("deliverables:list", args=[self.engagement_id])
        return f"{url}#submission-{self.pk}"


def _refusal(state: str, action: str) -> str:
    return f"A submission that is “{Submission.Status(state).label.lower()}” cannot be {action}."


# A submission waits for review until the organization accepts it or asks for changes, or the
# student sends a newer one first.
SUBMISSION_STATES = TransitionTable(
    [
        Transition("accept", frozenset({Submission.Status.WAITING}), Submission.Status.ACCEPTED,
                   "Accept"),
        Transition("request_changes", frozenset({Submission.Status.WAITING}),
                   Submission.Status.CHANGES_REQUESTED, "Request changes"),
        Transition("supersede", frozenset({Submission.Status.WAITING}),
                   Submission.Status.SUPERSEDED, "Replace"),
    ],
    refusal=_refusal,
)  # fmt: skip


class Deadline(models.Model):
    """A dated deliverable of the terms in force and the moment it becomes late (the end of its
    due date where the organization is), stored so the periodic job finds the deadlines near now
    with an index instead of reading the terms of every active engagement on every pass
    (issue 14). The terms stay the definition: these rows follow them whenever the terms or the
    project's time zone are saved (deliverables/schedule.py)."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="+"
    )
    deliverable_key = models.CharField(max_length=20)
    due_on = models.DateField()
    deadline = models.DateTimeField()
    # What a reminder about it is recorded with: "<key>:<due date>", so a new date is a new one.
    occurrence = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "deliverable_key"], name="one_deadline_per_deliverable"
            )
        ]
        indexes = [models.Index(fields=["deadline"])]

    def __str__(self):
        return f"{self.deliverable_key} of {self.engagement_id} due {self.due_on}"
