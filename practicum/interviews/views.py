"""The interviews page of an application: the organization proposes times, the student picks
one, either side reschedules or cancels, the organization records the outcome.

Only the application's parties see it (the student and the organization's members; anybody
else, a platform admin too, gets a 404). Invalid input shows the page again (422) with what was
typed; a refusal is a 403; a conflict goes back to the page with the reason.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from practicum.core import idempotency
from practicum.core.actions import form_action
from practicum.core.loading import visible_or_404
from practicum.engagements.models import Application
from practicum.interviews import selectors, services
from practicum.interviews.forms import (
    CancelForm,
    OutcomeForm,
    PickForm,
    RescheduleForm,
    slot_formset,
)
from practicum.interviews.models import Interview, Side

Status = Interview.Status


def _application(request, pk):
    return visible_or_404(
        selectors.application_of(pk),
        request.user,
        "engagements.view_application",
        what="application",
    )


def _render(request, application, *, status=200, **bound):
    """The page; a bound form passed in (with its errors) replaces the blank one."""
    now = timezone.now()
    side = services.side_of(request.user, application)
    interviews = selectors.interviews_of(application)
    current = next((i for i in interviews if i.is_open), None)
    context = {
        "application": application,
        "side": side,
        "interviews": interviews,
        "current": current,
        "now": now,
    }
    if current is None:
        if side == Side.ORGANIZATION and application.status == Application.Status.SHORTLISTED:
            context["propose_form"] = bound.get("propose_form") or slot_formset()
    else:
        current.offered = selectors.offered_slots(current, now)
        context["cancel_form"] = bound.get("cancel_form") or CancelForm()
        if current.status == Status.PROPOSED:
            if side == Side.STUDENT and current.offered:
                context["pick_form"] = bound.get("pick_form") or PickForm(slots=current.offered)
            if side == Side.ORGANIZATION:
                context["add_form"] = bound.get("add_form") or slot_formset()
        else:
            context["reschedule_form"] = bound.get("reschedule_form") or RescheduleForm()
            if side == Side.ORGANIZATION and current.slot.starts_at <= now:
                context["outcome_form"] = bound.get("outcome_form") or OutcomeForm()
    return render(request, "interviews/list.html", context, status=status)


@login_required
@require_GET
def interview_list(request, pk):
    return _render(request, _application(request, pk))


def _back(application) -> str:
    return reverse("interviews:list", args=[application.pk])


@login_required
@require_POST
def propose(request, pk):
    application = _application(request, pk)
    formset = slot_formset(request.POST)
    return form_action(
        request,
        formset,
        lambda _data: services.propose(
            application,
            by=request.user,
            slots=formset.slots(),
            idempotency_key=idempotency.key_of(request),
        ),
        rerender=lambda status, form: _render(
            request, application, status=status, propose_form=form
        ),
        done="The invitation is sent; the student picks one of the times.",
        then=_back(application),
    )


def _action(request, pk, interview_id, *, form, form_name, act, done):
    """Every form on one interview: form_action answers, going back to the page. `form` makes
    the bound form for the interview."""
    application = _application(request, pk)
    interview = visible_or_404(selectors.interview_of(application, interview_id), what="interview")
    return form_action(
        request,
        form(interview),
        lambda data: act(interview, data),
        rerender=lambda status, bound: _render(
            request, application, status=status, **{form_name: bound}
        ),
        done=done,
        then=_back(application),
    )


@login_required
@require_POST
def pick(request, pk, interview_id):
    return _action(
        request,
        pk,
        interview_id,
        form=lambda interview: PickForm(
            request.POST, slots=selectors.offered_slots(interview, timezone.now())
        ),
        form_name="pick_form",
        act=lambda interview, data: services.pick(interview, by=request.user, slot_id=data["slot"]),
        done="The interview is scheduled; it is in both calendars.",
    )


@login_required
@require_POST
def add_slots(request, pk, interview_id):
    formset = slot_formset(request.POST)
    return _action(
        request,
        pk,
        interview_id,
        form=lambda _interview: formset,
        form_name="add_form",
        act=lambda interview, _data: services.add_slots(
            interview, by=request.user, slots=formset.slots()
        ),
        done="The new times are offered; the student is told.",
    )


@login_required
@require_POST
def reschedule(request, pk, interview_id):
    return _action(
        request,
        pk,
        interview_id,
        form=lambda _interview: RescheduleForm(request.POST),
        form_name="reschedule_form",
        act=lambda interview, data: services.reschedule(
            interview, by=request.user, reason=data["reason"]
        ),
        done="The time is released; the other side is told.",
    )


@login_required
@require_POST
def cancel(request, pk, interview_id):
    return _action(
        request,
        pk,
        interview_id,
        form=lambda _interview: CancelForm(request.POST),
        form_name="cancel_form",
        act=lambda interview, data: services.cancel(
            interview, by=request.user, reason=data["reason"]
        ),
        done="The interview is cancelled; the other side is told.",
    )


@login_required
@require_POST
def record_outcome(request, pk, interview_id):
    return _action(
        request,
        pk,
        interview_id,
        form=lambda _interview: OutcomeForm(request.POST),
        form_name="outcome_form",
        act=lambda interview, data: services.record_outcome(
            interview, by=request.user, outcome=data["outcome"], no_show_by=data["no_show_by"]
        ),
        done="The outcome is recorded.",
    )
