"""Interviews between shortlist and offer: the organization proposes time slots for a shortlisted
application, the student picks one, either side reschedules or cancels, and the organization
records whether it was held or who did not show up.

The application's own states are untouched (an interview is no application state): the
interview has its own table of moves (INTERVIEW_STATES). Each step is an InterviewEvent, the
interview's history. The engagements event log cannot hold it: it belongs to an engagement,
and an application has none yet. Events keep who acted, for which side, when, and for a
reschedule or a cancellation of a picked slot how much notice the other side had, so the
reciprocity index can count late moves and no-shows later (selectors.interview_counts).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from practicum.core.state_machine import Transition, TransitionTable

PLACE_MAX = 200
URL_MAX = 500
REASON_MAX = 500
SLOTS_MAX = 10
DURATION_MIN = 10  # minutes
DURATION_MAX = 240
# A reschedule with less notice than this counts against the side that made it.
SHORT_NOTICE = datetime.timedelta(hours=24)


class Side(models.TextChoices):
    STUDENT = "student", "The student"
    ORGANIZATION = "organization", "The organization"


class Interview(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the student to pick a time"
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        NO_SHOW = "no_show", "Someone did not show up"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(
        "engagements.Application", on_delete=models.CASCADE, related_name="interviews"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # The slot the student picked (None while proposed).
    slot = models.ForeignKey(
        "InterviewSlot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    no_show_by = models.CharField(max_length=12, choices=Side.choices, blank=True)
    # Bumped on every change a calendar must pick up: the iCalendar SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One interview at a time per application: a second is proposed once the first is
            # over (held, no-show or cancelled).
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["proposed", "scheduled"]),
                name="one_open_interview_per_application",
            )
        ]

    def __str__(self):
        return f"Interview {self.pk} for application {self.application_id}"

    def get_absolute_url(self):
        return reverse("interviews:list", args=[self.application_id])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.SCHEDULED)


class InterviewSlot(models.Model):
    """A time the organization offers: a place to meet, or a video link."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(help_text="UTC")
    duration_minutes = models.PositiveSmallIntegerField()
    place = models.CharField(max_length=PLACE_MAX, blank=True)
    video_url = models.URLField(max_length=URL_MAX, blank=True)
    # Set when a reschedule took it back: the student may not pick it again.
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC ({self.duration_minutes} min)"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class InterviewEvent(models.Model):
    class Kind(models.TextChoices):
        PROPOSED = "proposed", "Times proposed"
        PICKED = "picked", "Time picked"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        HELD = "held", "Held"
        NO_SHOW = "no_show", "No-show"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # None for the platform (an interview called off because the application moved on).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=12, choices=Side.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)
    # How long before the picked slot's start a reschedule or cancellation came (None when no
    # slot was picked): the reciprocity index counts the short ones.
    notice = models.DurationField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "side"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.interview_id})"


_DONE = {
    "pick": "given a time",
    "reschedule": "rescheduled",
    "cancel": "cancelled",
    "hold": "marked as held",
    "no_show": "marked as a no-show",
    "call_off": "called off",
}


def _refusal(state: str, action: str) -> str:
    return (
        f"An interview that is “{Interview.Status(state).label.lower()}” cannot be "
        f"{_DONE.get(action, action)}."
    )


S = Interview.Status
OPEN = frozenset({S.PROPOSED, S.SCHEDULED})
INTERVIEW_STATES = TransitionTable(
    [
        Transition("pick", frozenset({S.PROPOSED}), S.SCHEDULED, "Pick this time"),
        Transition("reschedule", frozenset({S.SCHEDULED}), S.PROPOSED, "Reschedule"),
        Transition("cancel", OPEN, S.CANCELLED, "Cancel the interview"),
        Transition("hold", frozenset({S.SCHEDULED}), S.HELD, "It was held"),
        Transition("no_show", frozenset({S.SCHEDULED}), S.NO_SHOW, "Someone did not show up"),
        # The platform calls off an open interview when the application is answered.
        Transition("call_off", OPEN, S.CANCELLED, "Call off"),
    ],
    refusal=_refusal,
)
