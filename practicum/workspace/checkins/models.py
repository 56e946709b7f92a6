"""Check-ins of an engagement (generated from the agreement's cadence) with their agenda, shared
notes and outcome, and each person's calendar feed.

Times are stored in UTC. `originally_at` is the slot the cadence produced and never changes, so
regenerating the schedule recognises a slot it already made even after the check-in moved, and
the events can say how far a check-in drifted from its slot. The reschedule history is the
engagement's checkin_rescheduled events, not a table of its own.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from practicum.core.state_machine import Transition, TransitionTable
from practicum.engagements.models import Side

AGENDA_ITEM_MAX = 500
NOTES_MAX = 20_000
REASON_MAX = 500
LOCATION_MAX = 200
MEETING_URL_MAX = 500
# How long a check-in is in calendars; the agreement fixes when, not for how long.
CHECKIN_LENGTH = datetime.timedelta(minutes=30)


class CheckIn(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    class MissedBy(models.TextChoices):
        STUDENT = "student", "The student"
        ORGANIZATION = "organization", "The organization"
        BOTH = "both", "Both sides"

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="checkins"
    )
    scheduled_at = models.DateTimeField(help_text="When it takes place (UTC)")
    originally_at = models.DateTimeField(help_text="The slot the cadence gave it (UTC)")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Bumped on every change a calendar app must pick up (a reschedule, a cancellation): the
    # iCalendar SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    reschedule_count = models.PositiveIntegerField(default=0)

    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    # Incremented on each save of the notes, so an edit made from an outdated copy is refused
    # instead of silently overwriting the other side's words.
    notes_revision = models.PositiveIntegerField(default=0)
    notes_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes_edited_at = models.DateTimeField(null=True, blank=True)

    # Where it takes place; both empty: the engagement's default (CheckInPlace).
    location = models.CharField(max_length=LOCATION_MAX, blank=True)
    meeting_url = models.URLField(max_length=MEETING_URL_MAX, blank=True)

    missed_by = models.CharField(max_length=12, choices=MissedBy.choices, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheduled_at", "pk"]
        constraints = [
            # One check-in per slot: regenerating the schedule can never double a slot.
            models.UniqueConstraint(
                fields=["engagement", "originally_at"], name="one_checkin_per_slot"
            )
        ]
        indexes = [
            models.Index(fields=["engagement", "scheduled_at"]),
            models.Index(fields=["status", "scheduled_at"]),
        ]

    def __str__(self):
        return f"Check-in {self.pk} of engagement {self.engagement_id} at {self.scheduled_at}"

    def get_absolute_url(self):
        return reverse("checkins:detail", args=[self.engagement_id, self.pk])

    @property
    def has_outcome(self) -> bool:
        return self.status in (self.Status.HELD, self.Status.MISSED)

    @property
    def was_rescheduled(self) -> bool:
        return self.reschedule_count > 0

    @property
    def ends_at(self):
        return self.scheduled_at + CHECKIN_LENGTH


class AgendaItem(models.Model):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="agenda")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=12, choices=Side.choices)
    text = models.CharField(max_length=AGENDA_ITEM_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when its author changed it; what it said before is on the timeline.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text


class CheckInPlace(models.Model):
    """Where an engagement's check-ins take place unless a check-in says otherwise: a location,
    a meeting link, or both. Kept here (not on Engagement) because only check-ins use it."""

    engagement = models.OneToOneField(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="checkin_place"
    )
    location = models.CharField(max_length=LOCATION_MAX, blank=True)
    meeting_url = models.URLField(max_length=MEETING_URL_MAX, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Check-in place of engagement {self.engagement_id}"


@dataclass(frozen=True)
class Place:
    location: str = ""
    meeting_url: str = ""
    is_default: bool = False

    def __bool__(self) -> bool:
        return bool(self.location or self.meeting_url)


def place_of(checkin: CheckIn, default: CheckInPlace | None) -> Place:
    """Where a check-in takes place: its own location and link when it has one, else the
    engagement's default."""
    if checkin.location or checkin.meeting_url:
        return Place(checkin.location, checkin.meeting_url)
    if default is not None and (default.location or default.meeting_url):
        return Place(default.location, default.meeting_url, is_default=True)
    return Place()


class CalendarFeed(models.Model):
    """A person's calendar feed. No secret is stored: the feed's URL carries a signed
    (user id, generation); regenerating bumps the generation, so every older URL stops working.
    A person without a row is at generation 0."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    generation = models.PositiveIntegerField(default=0)
    regenerated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.user} (generation {self.generation})"


def _refusal(state: str, action: str) -> str:
    return f"A check-in that is “{CheckIn.Status(state).label.lower()}” cannot be {action}."


# A check-in is held or missed once its time has come, or called off when the engagement ends
# first.
CHECKIN_STATES = TransitionTable(
    [
        Transition("hold", frozenset({CheckIn.Status.SCHEDULED}), CheckIn.Status.HELD, "Held"),
        Transition("miss", frozenset({CheckIn.Status.SCHEDULED}), CheckIn.Status.MISSED,
                   "Missed"),
        Transition("call_off", frozenset({CheckIn.Status.SCHEDULED}), CheckIn.Status.CANCELLED,
                   "Call off"),
    ],
    refusal=_refusal,
)  # fmt: skip
