"""Completion and payment over JSON: the same services and selectors as the completion page."""

import datetime

from ninja import Field, Router, Schema, Status

from practicum.completion import selectors, services
from practicum.completion.models import Completion, Payment
from practicum.core.api import ErrorOut
from practicum.core.schemas import Date, Id, InputSchema, MultiLine, SingleLine
from practicum.engagements.models import Engagement
from practicum.projects.money import MAX_MINOR_UNITS
from practicum.workspace import access

router = Router(tags=["completion"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CompletionPersonRef(Schema):
    id: int
    name: str


class PaymentOut(Schema):
    id: int
    amount: int = Field(description="Minor units (60000 EUR is 600.00 EUR)")
    currency: str
    amount_display: str
    paid_on: datetime.date
    reference: str
    recorded_by: CompletionPersonRef | None
    recorded_at: datetime.datetime
    status: str = Field(description="recorded, confirmed or disputed")
    answered_at: datetime.datetime | None
    dispute_reason: str
    differs: bool = Field(description="The amount is not the amount agreed")
    difference_reason: str = Field(description="Why the amount differs; empty when it does not")


class PaymentStatusOut(Schema):
    state: str = Field(description="not_due, due, overdue, recorded, confirmed or disputed")
    label: str
    due: bool = Field(description="Compensation became due at completion")
    amount: int | None = Field(
        description="Minor units: what is due, or before completion what the agreement promises"
    )
    currency: str
    due_on: datetime.date | None = Field(
        description="The payment is overdue when not recorded by this day (organization's zone)"
    )
    payment: PaymentOut | None = Field(description="The latest payment recorded: it counts")
    history: list[PaymentOut] = Field(description="Every payment recorded, oldest first")


class CompletionOut(Schema):
    engagement_id: int
    state: str = Field(description="The engagement's: agreement_pending, active, completed…")
    completed: bool
    completed_at: datetime.datetime | None
    completed_by: CompletionPersonRef | None
    partial: bool
    reason: str = Field(description="Why it was completed partially (or a closing note)")
    deliverables_total: int | None = Field(description="In the agreement in force")
    deliverables_accepted: int | None
    payment: PaymentStatusOut


class CompletionIn(InputSchema):
    partial: bool = Field(False, description="Complete without every deliverable accepted")
    reason: MultiLine = Field("", description="Required when partial; the student reads it")


class PaymentRecordIn(InputSchema):
    amount: int = Field(ge=1, le=MAX_MINOR_UNITS, description="Minor units, in the currency agreed")
    paid_on: Date
    reference: SingleLine = ""
    difference_reason: MultiLine = Field(
        "", description="Required when the amount is not the amount agreed; the student reads it"
    )


class PaymentDisputeIn(InputSchema):
    reason: MultiLine = Field(description="Required; the organization reads it")


def _payment_status(engagement: Engagement, completion: Completion | None) -> dict:
    payments = selectors.payments_of(engagement)
    status = selectors.payment_status(engagement, completion=completion, payments=payments)
    return {
        "state": status.state,
        "label": status.label,
        "due": status.due,
        "amount": status.amount,
        "currency": status.currency,
        "due_on": status.due_on,
        "payment": status.payment,
        "history": payments,
    }


def _completion(engagement: Engagement) -> dict:
    completion = selectors.completion_of(engagement)
    checklist = None
    if engagement.state in (Engagement.State.ACTIVE, Engagement.State.COMPLETED):
        checklist = selectors.checklist(engagement)
    return {
        "engagement_id": engagement.pk,
        "state": engagement.state,
        "completed": completion is not None,
        "completed_at": completion.completed_at if completion else None,
        "completed_by": completion.completed_by if completion else None,
        "partial": completion.partial if completion else False,
        "reason": completion.reason if completion else "",
        "deliverables_total": checklist.total if checklist else None,
        "deliverables_accepted": checklist.accepted if checklist else None,
        "payment": _payment_status(engagement, completion),
    }


@router.get(
    "/engagements/{int:engagement_id}/completion",
    response={200: CompletionOut, 401: ErrorOut, 404: ErrorOut},
    summary="How the engagement ended (or stands), the deliverables checklist and the payment",
)
def get_completion(request, engagement_id: Id):
    return _completion(access.readable(request.user, engagement_id))


@router.post(
    "/engagements/{int:engagement_id}/completion",
    response={200: CompletionOut, **ERRORS},
    summary="Complete the engagement (the organization's side)",
    description=(
        "Every deliverable must be accepted (409 deliverables_open) unless partial is true, "
        "which needs a reason. 409 engagement_not_active unless active."
    ),
)
def complete(request, engagement_id: Id, payload: CompletionIn):
    engagement = access.readable(request.user, engagement_id)
    services.complete(engagement, by=request.user, **payload.model_dump())
    return _completion(access.readable(request.user, engagement_id))


@router.get(
    "/engagements/{int:engagement_id}/payment",
    response={200: PaymentStatusOut, 401: ErrorOut, 404: ErrorOut},
    summary="Where the payment stands, with every payment recorded",
)
def get_payment(request, engagement_id: Id):
    engagement = access.readable(request.user, engagement_id)
    return _payment_status(engagement, selectors.completion_of(engagement))


@router.post(
    "/engagements/{int:engagement_id}/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Record the payment (the organization's side)",
    description=(
        "Once completed with compensation (409 not_completed, no_payment_due); one standing "
        "payment at a time (409 payment_recorded), a corrected one after a dispute."
    ),
)
def record_payment(request, engagement_id: Id, payload: PaymentRecordIn):
    engagement = access.readable(request.user, engagement_id)
    payment: Payment = services.record_payment(engagement, by=request.user, **payload.model_dump())
    return Status(201, payment)


@router.post(
    "/engagements/{int:engagement_id}/payment/confirm",
    response={200: PaymentStatusOut, **ERRORS},
    summary="Confirm receipt of the payment recorded last (the student)",
)
def confirm_payment(request, engagement_id: Id):
    engagement = access.readable(request.user, engagement_id)
    services.confirm_payment(engagement, by=request.user)
    return _payment_status(engagement, selectors.completion_of(engagement))


@router.post(
    "/engagements/{int:engagement_id}/payment/dispute",
    response={200: PaymentStatusOut, **ERRORS},
    summary="Dispute the payment recorded last, with a reason (the student)",
)
def dispute_payment(request, engagement_id: Id, payload: PaymentDisputeIn):
    engagement = access.readable(request.user, engagement_id)
    services.dispute_payment(engagement, by=request.user, reason=payload.reason)
    return _payment_status(engagement, selectors.completion_of(engagement))
