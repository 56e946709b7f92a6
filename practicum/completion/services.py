"""Writes for completion and payment. Each service is one transaction, locks the engagement row
first (so two people acting at once take turns and the second sees the first's change), checks
once who may act, writes its rows and records the fact in the engagement's event log.

- The organization's side (the mentor or an owner) completes an active engagement: normally
  once every deliverable is accepted, otherwise partially with a reason the student reads.
- The compensation agreed becomes due; the organization records the payment within 14 days.
- The student confirms receipt or disputes it with a reason; after a dispute the organization
  records a corrected payment (a new row: the latest one counts, the others are the history).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from practicum.completion import selectors
from practicum.completion.models import PAYMENT_DAYS, PAYMENT_STATES, Completion, Payment
from practicum.core.errors import Conflict
from practicum.engagements import lifecycle, notices
from practicum.engagements.events import record
from practicum.engagements.models import Engagement, EngagementEvent, Side
from practicum.notifications.services import notify
from practicum.projects import money
from practicum.workspace import access

Kind = EngagementEvent.Kind
REASON_MAX = 2_000
REFERENCE_MAX = 200


def _locked(engagement: Engagement) -> Engagement:
    # Only the engagement row: PostgreSQL cannot lock the outer-joined (nullable) mentor.
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project__organization", "student", "mentor")
        .get(pk=engagement.pk)
    )


def _text(value, field: str, *, required: bool, max_length: int, multiline=True) -> str:
    value = value if isinstance(value, str) else ""
    if multiline:
        value = value.replace("\r\n", "\n")
    value = value.strip()
    if required and not value:
        raise ValidationError({field: [ValidationError("Give a reason.", code="required")]})
    if len(value) > max_length:
        raise ValidationError(
            {field: [ValidationError(f"At most {max_length:,} characters.", code="max_length")]}
        )
    return value


def _url(engagement: Engagement) -> str:
    return reverse("completion:detail", args=[engagement.pk])


@transaction.atomic
def complete(
    engagement: Engagement,
    *,
    by,
    partial: bool = False,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Completion:
    """The organization's side completes an active engagement. Without `partial`, every
    deliverable of the agreement must be accepted (409 deliverables_open); with it, a reason is
    required and the student sees it. Not before the engagement's start date (409 not_started).
    The compensation agreed becomes due within 14 days (none when the agreement promised
    none); the lifecycle's handlers call off the check-ins still to come."""
    lifecycle.require(lifecycle.ENGAGEMENT, engagement, "complete", by)
    engagement = _locked(engagement)
    now = now or timezone.now()
    lifecycle.check(lifecycle.ENGAGEMENT, engagement, "complete", at=now)
    partial = bool(partial)
    reason = _text(reason, "reason", required=partial, max_length=REASON_MAX)
    if not partial:
        # Imported here: the deliverables section is its own app, written alongside this one.
        from practicum.workspace.deliverables.selectors import all_accepted_at

        if all_accepted_at(engagement) is None:
            raise Conflict(
                "deliverables_open",
                "Not every deliverable is accepted yet. Accept them first, or complete the "
                "engagement partially and say why.",
            )
    terms = selectors.terms_in_force(engagement)
    amount = terms.get("compensation_amount") or None
    due_on = None
    if amount:
        completed_on = timezone.localdate(now, timezone=engagement.project.zone)
        due_on = completed_on + datetime.timedelta(days=PAYMENT_DAYS)
    completion = Completion.objects.create(
        engagement=engagement,
        completed_by=by,
        completed_at=now,
        partial=partial,
        reason=reason,
        amount=amount,
        currency=terms.get("currency", "") if amount else "",
        payment_due_on=due_on,
    )
    lifecycle.move(
        lifecycle.ENGAGEMENT,
        engagement,
        "complete",
        by=by,
        at=now,
        side=Side.ORGANIZATION,
        partial=partial,
        reason=reason,
        payment_due_on=due_on.isoformat() if due_on else None,
    )
    notify(
        engagement.student,
        "engagement_completed",
        engagement,
        {"partial": partial, "reason": reason},
        "",
        url=_url(engagement),
        title=engagement.project.title,
    )
    return completion


def _completion_with_payment_due(engagement: Engagement) -> Completion:
    completion = Completion.objects.filter(engagement=engagement).first()
    if engagement.state != Engagement.State.COMPLETED or completion is None:
        raise Conflict("not_completed", "Payments are recorded once the engagement is completed.")
    if not completion.amount:
        raise Conflict("no_payment_due", "The agreement promised no compensation.")
    return completion


def _latest_payment(engagement: Engagement) -> Payment | None:
    return Payment.objects.filter(engagement=engagement).order_by("recorded_at", "pk").last()


def _clean_payment(engagement, *, agreed_display: str, agreed: int, amount, paid_on, reference,
                   difference_reason):  # fmt: skip
    errors: dict[str, list[ValidationError]] = {}
    if isinstance(amount, bool) or not isinstance(amount, int):
        errors["amount"] = [ValidationError("Enter a whole number of minor units.")]
    elif not 0 < amount <= money.MAX_MINOR_UNITS:
        errors["amount"] = [
            ValidationError("Enter an amount greater than zero.", code="out_of_range")
        ]
    if isinstance(paid_on, str):
        try:
            paid_on = datetime.date.fromisoformat(paid_on)
        except ValueError:
            paid_on = None
    if not isinstance(paid_on, datetime.date):
        errors["paid_on"] = [ValidationError("Enter the date paid as YYYY-MM-DD.")]
    else:
        zone = engagement.project.zone
        today = timezone.localdate(timezone=zone)
        began = timezone.localdate(engagement.created_at, timezone=zone)
        if paid_on > today:
            errors["paid_on"] = [
                ValidationError("Record a payment once it is made, not ahead.", code="future")
            ]
        elif paid_on < began:
            errors["paid_on"] = [
                ValidationError(
                    f"The engagement began on {began.isoformat()}; the payment cannot be earlier.",
                    code="too_early",
                )
            ]
    try:
        reference = _text(
            reference, "reference", required=False, max_length=REFERENCE_MAX, multiline=False
        )
    except ValidationError as exc:
        errors.update(exc.error_dict)
    differs = "amount" not in errors and amount != agreed
    try:
        difference_reason = _text(
            difference_reason if differs else "",
            "difference_reason",
            required=False,
            max_length=REASON_MAX,
        )
    except ValidationError as exc:
        errors.update(exc.error_dict)
    else:
        if differs and not difference_reason:
            errors["difference_reason"] = [
                ValidationError(
                    f"The amount differs from the {agreed_display} agreed: say why.",
                    code="required",
                )
            ]
    if errors:
        raise ValidationError(errors)
    return {
        "amount": amount,
        "paid_on": paid_on,
        "reference": reference,
        "difference_reason": difference_reason,
    }


@transaction.atomic
def record_payment(
    engagement: Engagement,
    *,
    by,
    amount: int,
    paid_on,
    reference: str = "",
    difference_reason: str = "",
) -> Payment:
    """The organization's side records the payment of the compensation: the amount in the
    currency agreed (minor units), the date paid (not in the future) and an optional reference.
    An amount other than the one agreed needs a `difference_reason`, which both sides read.
    One payment stands at a time (409 payment_recorded): another is recorded only after the
    student disputed the last one. The student is told."""
    access.require_side(by, engagement, Side.ORGANIZATION)
    engagement = _locked(engagement)
    completion = _completion_with_payment_due(engagement)
    latest = _latest_payment(engagement)
    if latest is not None and latest.status != Payment.Status.DISPUTED:
        raise Conflict(
            "payment_recorded",
            "A payment is already recorded"
            + (
                " and confirmed."
                if latest.status == Payment.Status.CONFIRMED
                else "; the student confirms or disputes it first."
            ),
        )
    cleaned = _clean_payment(
        engagement,
        agreed=completion.amount,
        agreed_display=money.format_money(completion.amount, completion.currency),
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        difference_reason=difference_reason,
    )
    payment = Payment.objects.create(
        engagement=engagement, currency=completion.currency, recorded_by=by, **cleaned
    )
    record(
        engagement,
        Kind.PAYMENT_RECORDED,
        by,
        side=Side.ORGANIZATION,
        payment=payment.pk,
        amount=payment.amount,
        currency=payment.currency,
        paid_on=payment.paid_on.isoformat(),
        reference=payment.reference,
        difference_reason=payment.difference_reason,
    )
    notify(
        engagement.student,
        "payment_recorded",
        engagement,
        {
            "amount": money.format_money(payment.amount, payment.currency),
            "paid_on": payment.paid_on.isoformat(),
        },
        f"payment:{payment.pk}",
        url=_url(engagement),
        title=engagement.project.title,
    )
    return payment


def _payment_to_answer(engagement: Engagement) -> Payment:
    latest = _latest_payment(engagement)
    if latest is None:
        raise Conflict("no_payment", "No payment has been recorded yet.")
    if latest.status != Payment.Status.RECORDED:
        raise Conflict("already_answered", f"You already answered this payment ({latest.status}).")
    return latest


@transaction.atomic
def confirm_payment(engagement: Engagement, *, by) -> Payment:
    """The student confirms they received the payment recorded last; final."""
    access.require_side(by, engagement, Side.STUDENT)
    engagement = _locked(engagement)
    payment = _payment_to_answer(engagement)
    PAYMENT_STATES.move(payment, "confirm", answered_at=timezone.now())
    record(engagement, Kind.PAYMENT_CONFIRMED, by, side=Side.STUDENT, payment=payment.pk)
    return payment


@transaction.atomic
def dispute_payment(engagement: Engagement, *, by, reason: str) -> Payment:
    """The student disputes the payment recorded last (not received, wrong amount…), with a
    reason the organization reads; the organization may then record a corrected payment."""
    access.require_side(by, engagement, Side.STUDENT)
    engagement = _locked(engagement)
    payment = _payment_to_answer(engagement)
    reason = _text(reason, "reason", required=True, max_length=REASON_MAX)
    PAYMENT_STATES.move(payment, "dispute", answered_at=timezone.now(), dispute_reason=reason)
    record(
        engagement,
        Kind.PAYMENT_DISPUTED,
        by,
        side=Side.STUDENT,
        payment=payment.pk,
        reason=reason,
    )
    for person in notices.engagement_organization_side(engagement):
        notify(
            person,
            "payment_disputed",
            engagement,
            {"reason": reason},
            f"payment:{payment.pk}",
            url=_url(engagement),
            title=engagement.project.title,
        )
    return payment
