"""How an engagement ended and what was paid for it.

A `Completion` is written once, when the organization closes an active engagement: whether all
deliverables were accepted or it was completed partially (with the reason the student sees),
and the compensation that became due then, copied from the agreement in force so a later read
never depends on which version is current.

Payments are rows, never edited but for the student's answer: the organization records one,
the student confirms or disputes it, and after a dispute the organization records a corrected
one (a new row). The latest row is the one that counts; the earlier ones are the history. The
same facts go to the engagement's event log (completed, payment_recorded, payment_confirmed,
payment_disputed), which the reciprocity index reads.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practicum.core.state_machine import Transition, TransitionTable
from practicum.projects import money

# A payment not recorded this long after completion is overdue (shown to both sides, reminded,
# and counted by the reciprocity index).
PAYMENT_DAYS = 14


class Completion(models.Model):
    engagement = models.OneToOneField(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="completion"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    partial = models.BooleanField(
        default=False, help_text="Completed without every deliverable accepted"
    )
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(2_000)])
    # The compensation agreed (minor units), or null when the agreement promised none.
    amount = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    payment_due_on = models.DateField(
        null=True, blank=True, help_text="In the organization's time zone; null: nothing due"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(partial=False) | ~Q(reason=""), name="partial_completion_has_reason"
            ),
        ]

    def __str__(self):
        return f"Completion of engagement {self.engagement_id}"


class Payment(models.Model):
    class Status(models.TextChoices):
        RECORDED = "recorded", "Recorded, waiting for the student"
        CONFIRMED = "confirmed", "Receipt confirmed by the student"
        DISPUTED = "disputed", "Disputed by the student"

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="payments"
    )
    amount = models.PositiveIntegerField(help_text="Minor units")
    currency = models.CharField(max_length=3)
    paid_on = models.DateField()
    reference = models.CharField(max_length=200, blank=True)
    # Why the amount paid is not the amount agreed; required then, empty otherwise. Both
    # sides read it on the completion page and in the API.
    difference_reason = models.TextField(blank=True, validators=[MaxLengthValidator(2_000)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    answered_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.TextField(blank=True, validators=[MaxLengthValidator(2_000)])

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["engagement", "recorded_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"Payment {self.pk} for engagement {self.engagement_id}"

    @property
    def amount_display(self) -> str:
        return money.format_money(self.amount, self.currency)

    @property
    def differs(self) -> bool:
        """The amount is not the amount agreed: recording it needed a reason."""
        return bool(self.difference_reason)


def _refusal(state: str, action: str) -> str:
    return f"A payment that is “{Payment.Status(state).label.lower()}” cannot be {action}."


# The student answers the payment recorded last: confirms receiving it or disputes it.
PAYMENT_STATES = TransitionTable(
    [
        Transition("confirm", frozenset({Payment.Status.RECORDED}), Payment.Status.CONFIRMED,
                   "Confirm receipt"),
        Transition("dispute", frozenset({Payment.Status.RECORDED}), Payment.Status.DISPUTED,
                   "Dispute"),
    ],
    refusal=_refusal,
)  # fmt: skip
