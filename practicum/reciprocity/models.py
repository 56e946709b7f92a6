"""The stored reciprocity index: one row per engagement with its share of the organization's
and the student's index (index.Tallies), so a page sums rows instead of replaying every event.

A row is current while `computed_changes == changes` (writers of the engagement's events,
agreement and state bump `changes` in their transaction, see apps.py) and `now` lies within
`valid_from`..`valid_until` (the moments at which a deadline in the history would change a
tally; null = no bound). Anything else is recomputed from the history by services.refresh.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class EngagementTally(models.Model):
    engagement = models.OneToOneField(
        "engagements.Engagement",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reciprocity_tally",
    )
    # Copied from the engagement (they never change) so an index sums rows of one column.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # (numerator, denominator) of each rate component: <side>_<component>_kept / _due.
    org_checkins_held_kept = models.PositiveIntegerField(default=0)
    org_checkins_held_due = models.PositiveIntegerField(default=0)
    org_questions_answered_kept = models.PositiveIntegerField(default=0)
    org_questions_answered_due = models.PositiveIntegerField(default=0)
    org_submissions_reviewed_kept = models.PositiveIntegerField(default=0)
    org_submissions_reviewed_due = models.PositiveIntegerField(default=0)
    org_feedback_on_time_kept = models.PositiveIntegerField(default=0)
    org_feedback_on_time_due = models.PositiveIntegerField(default=0)
    org_payments_on_time_kept = models.PositiveIntegerField(default=0)
    org_payments_on_time_due = models.PositiveIntegerField(default=0)
    student_deliverables_on_time_kept = models.PositiveIntegerField(default=0)
    student_deliverables_on_time_due = models.PositiveIntegerField(default=0)
    student_checkins_attended_kept = models.PositiveIntegerField(default=0)
    student_checkins_attended_due = models.PositiveIntegerField(default=0)
    student_messages_answered_kept = models.PositiveIntegerField(default=0)
    student_messages_answered_due = models.PositiveIntegerField(default=0)
    student_weekly_updates_kept = models.PositiveIntegerField(default=0)
    student_weekly_updates_due = models.PositiveIntegerField(default=0)
    student_feedback_on_time_kept = models.PositiveIntegerField(default=0)
    student_feedback_on_time_due = models.PositiveIntegerField(default=0)
    counts_as_history = models.BooleanField(default=False)
    org_response_hours = models.PositiveIntegerField(null=True)
    student_response_hours = models.PositiveIntegerField(null=True)
    valid_from = models.DateTimeField(null=True)
    valid_until = models.DateTimeField(null=True)
    # Bumped by every write that may change the history; the row is current when the value it
    # was computed from equals it.
    changes = models.PositiveBigIntegerField(default=1)
    computed_changes = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization"], name="reciprocity_tally_org"),
            models.Index(fields=["student"], name="reciprocity_tally_student"),
            # The periodic pass looks for rows whose span ends.
            models.Index(fields=["valid_until"], name="reciprocity_tally_until"),
        ]

    def __str__(self):
        return f"Reciprocity tally of engagement {self.engagement_id}"


def column(side: str, key: str, part: str) -> str:
    """The field holding `part` ("kept" or "due") of component `key` for `side`."""
    return f"{'org' if side == 'organization' else 'student'}_{key}_{part}"


def current_at(now) -> Q:
    """Rows whose stored tallies hold at `now`."""
    return (
        Q(computed_changes=F("changes"))
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=now))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=now))
    )
