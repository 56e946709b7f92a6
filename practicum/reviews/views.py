"""The feedback page of an engagement: each round's window and state, the viewer's review form
while the round is open, and what the double-blind rule lets the viewer read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from practicum.core import idempotency
from practicum.core.actions import form_action
from practicum.core.errors import ServiceError
from practicum.reviews import selectors, services
from practicum.reviews.forms import ReviewForm
from practicum.reviews.models import Review
from practicum.workspace import access


def _form_for(engagement, row, data=None) -> ReviewForm:
    skills = selectors.endorsable_skills(engagement, row.mine) if row.asks_endorsements else ()
    return ReviewForm(data, side=row.side, round=row.round, skills=skills, review=row.mine)


def _render(request, engagement, *, bound: ReviewForm | None = None, status=200):
    rows = selectors.review_rows_for(engagement, request.user)
    for row in rows:
        if bound is not None and bound.round == row.round:
            row.form = bound
        elif row.can_write:
            row.form = _form_for(engagement, row)
    return render(
        request,
        "reviews/engagement.html",
        {"engagement": engagement, "rows": rows},
        status=status,
    )


@login_required
@require_GET
def engagement(request, pk):
    return _render(request, access.readable(request.user, pk))


@login_required
@require_POST
def submit(request, pk, round):
    """Save the viewer's review of a round. Invalid input shows the page again (422) with what
    was typed; a round not open (or revealed meanwhile) goes back with a message."""
    engagement = access.readable(request.user, pk)
    if round not in Review.Round.values:
        raise Http404("No such feedback round.")
    access.require_party(request.user, engagement)
    row = selectors.row_of(selectors.review_rows_for(engagement, request.user), round)
    try:
        services.require_open(row and row.window, row and row.state)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("reviews:engagement", engagement.pk)
    form = _form_for(engagement, row, request.POST)
    return form_action(
        request,
        form,
        # to_data(): the cleaned data grouped the way the service takes it (scores, endorsements)
        lambda data: services.submit_review(
            engagement,
            round,
            by=request.user,
            idempotency_key=idempotency.key_of(request),
            **form.to_data(),
        ),
        rerender=lambda status, form: _render(request, engagement, bound=form, status=status),
        done=(
            "Your review is saved. It stays hidden from the other side until both of you "
            "have submitted or the round closes; you can edit it until then."
        ),
        then=reverse("reviews:engagement", args=[engagement.pk]),
    )
