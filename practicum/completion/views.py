"""The completion page of an engagement: how it ended, what is owed, and each side's moves on
it. Readers are those of the workspace (access.readable): the parties."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from practicum.completion import selectors, services
from practicum.completion.forms import CompleteForm, DisputeForm, PartialCompleteForm, PaymentForm
from practicum.completion.selectors import PaymentState
from practicum.core.actions import form_action
from practicum.engagements import lifecycle
from practicum.engagements.events import side_of
from practicum.engagements.models import Engagement, Side
from practicum.projects import money
from practicum.workspace import access

State = Engagement.State
# The payment can be (re)recorded in these states: nothing recorded yet, or the last disputed.
RECORDABLE = (PaymentState.DUE, PaymentState.OVERDUE, PaymentState.DISPUTED)


def render_page(request, engagement, *, status=200, **forms):
    """The completion page. Forms appear only for the side whose move it is, in the state that
    allows it; a bound form passed in (with errors) replaces the blank one, so what was typed
    is kept."""
    can_act = access.can_act(request.user, engagement)
    side = side_of(request.user, engagement) if can_act else ""
    completion = selectors.completion_of(engagement)
    payments = selectors.payments_of(engagement)
    terms = selectors.terms_in_force(engagement)
    payment = selectors.payment_status(
        engagement, completion=completion, payments=payments, terms=terms
    )
    profile = getattr(engagement.student, "student_profile", None)
    context = {
        "engagement": engagement,
        "completion": completion,
        "payment": payment,
        "payments": list(reversed(payments)),  # newest first
        "side": side,
        "checklist": (
            selectors.checklist(engagement)
            if engagement.state in (State.ACTIVE, State.COMPLETED)
            else None
        ),
        "open_to_future_roles": profile is not None and profile.open_to_future_roles,
        # Forms of sections other apps add to the page (the talent list's), bound with errors.
        **forms,
    }
    if side == Side.ORGANIZATION:
        if engagement.state == State.ACTIVE:
            context["complete_form"] = forms.get("complete_form") or CompleteForm()
            context["partial_form"] = forms.get("partial_form") or PartialCompleteForm()
        if payment.state in RECORDABLE:
            context["payment_form"] = forms.get("payment_form") or PaymentForm(
                currency=payment.currency,
                initial={
                    "amount": money.to_major(payment.amount, payment.currency),
                    "paid_on": lifecycle.today_of(engagement),
                },
            )
    elif side == Side.STUDENT and payment.state == PaymentState.RECORDED:
        context["dispute_form"] = forms.get("dispute_form") or DisputeForm()
    return render(request, "completion/completion.html", context, status=status)


@login_required
@require_GET
def detail(request, pk):
    return render_page(request, access.readable(request.user, pk))


def _act(request, pk, *, side, form_name=None, make_form=None, act, done):
    """Every button on the page, for `side` only; form_action answers: the page again with the
    errors next to the fields (422), or back to it with a message (refusals by the state of
    things, 409, become a message; refusals of the person, 403, an error page)."""
    engagement = access.readable(request.user, pk)
    form = make_form(engagement) if make_form else None
    # Before the form is checked: the wrong side gets a 403, not the form's complaints.
    access.require_side(request.user, engagement, side)
    return form_action(
        request,
        form,
        lambda data: act(engagement, data),
        rerender=lambda status, form: render_page(
            request, engagement, status=status, **{form_name: form}
        ),
        done=done,
        then=reverse("completion:detail", args=[engagement.pk]),
    )


@login_required
@require_POST
def complete(request, pk):
    return _act(
        request,
        pk,
        side=Side.ORGANIZATION,
        form_name="complete_form",
        make_form=lambda engagement: CompleteForm(request.POST),
        act=lambda engagement, data: services.complete(
            engagement, by=request.user, reason=data["reason"]
        ),
        done="The engagement is completed.",
    )


@login_required
@require_POST
def complete_partially(request, pk):
    return _act(
        request,
        pk,
        side=Side.ORGANIZATION,
        form_name="partial_form",
        make_form=lambda engagement: PartialCompleteForm(request.POST),
        act=lambda engagement, data: services.complete(
            engagement, by=request.user, partial=True, reason=data["reason"]
        ),
        done="The engagement is completed partially; the student can read your reason.",
    )


def _payment_form(request, engagement) -> PaymentForm:
    currency = selectors.payment_status(engagement).currency
    return PaymentForm(request.POST, currency=currency)


@login_required
@require_POST
def record_payment(request, pk):
    return _act(
        request,
        pk,
        side=Side.ORGANIZATION,
        form_name="payment_form",
        make_form=lambda engagement: _payment_form(request, engagement),
        act=lambda engagement, data: services.record_payment(engagement, by=request.user, **data),
        done="The payment is recorded; the student is asked to confirm it.",
    )


@login_required
@require_POST
def confirm_payment(request, pk):
    return _act(
        request,
        pk,
        side=Side.STUDENT,
        act=lambda engagement, data: services.confirm_payment(engagement, by=request.user),
        done="Thank you: you confirmed the payment.",
    )


@login_required
@require_POST
def dispute_payment(request, pk):
    return _act(
        request,
        pk,
        side=Side.STUDENT,
        form_name="dispute_form",
        make_form=lambda engagement: DisputeForm(request.POST),
        act=lambda engagement, data: services.dispute_payment(
            engagement, by=request.user, reason=data["reason"]
        ),
        done="You disputed the payment; the organization can record a corrected one.",
    )
