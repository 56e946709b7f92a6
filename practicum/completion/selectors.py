"""Reads for completion and payment: what is due, whether it is overdue, the checklist on the
completion page. Each function does a fixed number of queries whatever the history's length.

"Today" is a date in the organization's time zone (the project's), the zone the due date was
set in, so a payment becomes overdue at the organization's midnight wherever the viewer is.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from practicum.completion.models import Completion, Payment
from practicum.engagements import lifecycle
from practicum.engagements.models import AgreementVersion, Engagement
from practicum.projects import money


class PaymentState:
    NOT_DUE = "not_due"  # not completed yet, or no compensation was agreed
    DUE = "due"  # completed, nothing recorded, still within the 14 days
    OVERDUE = "overdue"  # completed more than 14 days ago and nothing recorded
    RECORDED = "recorded"  # the organization recorded a payment; the student has not answered
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"  # the organization may record a corrected payment

    LABELS = {
        NOT_DUE: "No payment due",
        DUE: "Payment due",
        OVERDUE: "Payment overdue",
        RECORDED: "Payment recorded, waiting for the student's confirmation",
        CONFIRMED: "Payment received (confirmed by the student)",
        DISPUTED: "Payment disputed by the student",
    }


@dataclass(frozen=True)
class PaymentStatus:
    due: bool  # compensation became due at completion (whatever has been paid since)
    amount: int | None  # minor units; before completion, what the agreement in force promises
    currency: str
    due_on: datetime.date | None
    payment: Payment | None  # the latest payment recorded (the one that counts)
    state: str

    @property
    def label(self) -> str:
        return PaymentState.LABELS[self.state]

    @property
    def amount_display(self) -> str:
        return money.format_money(self.amount, self.currency) if self.amount else ""

    @property
    def overdue(self) -> bool:
        return self.state == PaymentState.OVERDUE


def completion_of(engagement: Engagement) -> Completion | None:
    return Completion.objects.select_related("completed_by").filter(engagement=engagement).first()


def payments_of(engagement: Engagement) -> list[Payment]:
    """Every payment recorded, oldest first; the last one counts."""
    return list(
        Payment.objects.filter(engagement=engagement)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )


def terms_in_force(engagement: Engagement) -> dict:
    """The terms of the current agreement version ({} before any is in force)."""
    terms = (
        AgreementVersion.objects.filter(
            engagement=engagement, status=AgreementVersion.Status.CURRENT
        )
        .values_list("terms", flat=True)
        .first()
    )
    return terms or {}


def _state(completion, latest, today) -> str:
    if completion is None or not completion.amount:
        return PaymentState.NOT_DUE
    if latest is not None:
        return latest.status  # the Payment.Status values are the state names
    if completion.payment_due_on is not None and today > completion.payment_due_on:
        return PaymentState.OVERDUE
    return PaymentState.DUE


_UNLOADED = object()


def payment_status(
    engagement: Engagement,
    *,
    today: datetime.date | None = None,
    completion=_UNLOADED,
    payments: list[Payment] | None = None,
    terms: dict | None = None,
) -> PaymentStatus:
    """Where the engagement's payment stands. A page that already loaded the completion (or
    found none: None), the payments or the terms passes them in to save the queries."""
    if completion is _UNLOADED:
        completion = completion_of(engagement)
    if payments is None:
        payments = payments_of(engagement)
    latest = payments[-1] if payments else None
    today = today or lifecycle.today_of(engagement)
    if completion is not None:
        amount, currency = completion.amount, completion.currency
    else:
        terms = terms_in_force(engagement) if terms is None else terms
        amount, currency = terms.get("compensation_amount") or None, terms.get("currency", "")
    return PaymentStatus(
        due=completion is not None and bool(completion.amount),
        amount=amount,
        currency=currency,
        due_on=completion.payment_due_on if completion is not None else None,
        payment=latest,
        state=_state(completion, latest, today),
    )


def overdue_completions(*, on_or_before: datetime.date):
    """Completions with compensation due on or before the date and no payment recorded: the
    candidates for "overdue" (each still to be checked against its organization's today)."""
    return Completion.objects.filter(amount__gt=0, payment_due_on__lte=on_or_before).exclude(
        Exists(Payment.objects.filter(engagement_id=OuterRef("engagement_id")))
    )


def overdue_payments_of_organization(organization, *, today: datetime.date | None = None) -> int:
    """How many of the organization's completed engagements have a payment overdue: due more
    than 14 days after completion and still not recorded. One query."""
    candidates = overdue_completions(
        # A day's slack for the time zones; each candidate is checked exactly below.
        on_or_before=today or (timezone.now().date() + datetime.timedelta(days=1))
    ).filter(engagement__project__organization=organization)
    count = 0
    for completion in candidates.select_related("engagement__project"):
        day = today or lifecycle.today_of(completion.engagement)
        if day > completion.payment_due_on:
            count += 1
    return count


@dataclass(frozen=True)
class Checklist:
    """The deliverables of the agreement in force against those accepted."""

    total: int
    accepted: int
    all_accepted_at: datetime.datetime | None

    @property
    def all_accepted(self) -> bool:
        return self.all_accepted_at is not None


def checklist(engagement: Engagement) -> Checklist:
    """Four queries, whatever the number of deliverables and submissions."""
    # Imported here: the deliverables section is its own app, built alongside this one.
    from practicum.workspace.deliverables.selectors import (
        State,
        all_accepted_at,
        deliverable_rows,
    )

    rows = deliverable_rows(engagement)
    return Checklist(
        total=len(rows),
        accepted=sum(1 for row in rows if row.state == State.ACCEPTED),
        all_accepted_at=all_accepted_at(engagement),
    )
