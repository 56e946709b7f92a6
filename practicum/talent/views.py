"""The talent pipeline's pages: an organization's private list (its members only; 404 for
everyone else) and the student's own page, where they see who listed them and withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from practicum.completion.views import render_page as render_completion_page
from practicum.core.actions import form_action
from practicum.core.forms import apply_errors
from practicum.talent import selectors, services
from practicum.talent.forms import TalentEntryForm
from practicum.workspace import access


def _render_list(request, organization, *, bound=None, status=200):
    """The list with an edit form per entry; `bound` (with errors) keeps what was typed."""

    def form_for(entry):
        if bound is not None and bound.prefix == f"entry-{entry.pk}":
            return bound
        return TalentEntryForm.for_entry(entry)

    tag = request.GET.get("tag", "").strip()
    every = selectors.entries_of(organization)
    rows = [(entry, form_for(entry)) for entry in selectors.with_tag(every, tag)]
    return render(
        request,
        "talent/organization.html",
        {"organization": organization, "rows": rows, "tags": selectors.tags_of(every), "tag": tag},
        status=status,
    )


@login_required
@require_GET
def organization_list(request, slug):
    return _render_list(request, selectors.organization_for_list(request.user, slug))


@login_required
@require_POST
def update(request, slug, pk):
    organization = selectors.organization_for_list(request.user, slug)
    entry = selectors.entry_of(organization, pk)
    form = TalentEntryForm.for_entry(entry, request.POST)
    if form.is_valid():
        try:
            services.update_entry(entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved your notes on {entry.student.name}.")
            return redirect("talent:organization", organization.slug)
    return _render_list(request, organization, bound=form, status=422)


@login_required
@require_POST
def remove(request, slug, pk):
    organization = selectors.organization_for_list(request.user, slug)
    entry = selectors.entry_of(organization, pk)
    services.remove_entry(entry, by=request.user)
    messages.success(request, f"{entry.student.name} is off your talent list.")
    return redirect("talent:organization", organization.slug)


@login_required
@require_POST
def add(request, pk):
    """From the completion page of a completed engagement (the organization's side)."""
    engagement = access.readable(request.user, pk)
    return form_action(
        request,
        TalentEntryForm(request.POST, prefix="talent"),
        lambda data: services.add_to_list(engagement, by=request.user, **data),
        rerender=lambda status, form: render_completion_page(
            request, engagement, status=status, talent_form=form
        ),
        done=f"{engagement.student.name} is on your talent list.",
        then=reverse("completion:detail", args=[engagement.pk]),
    )


def _student(request):
    # Only students have talent lists to see; to anyone else the page does not exist.
    if not request.user.is_student:
        raise Http404("No such page.")
    return request.user


@login_required
@require_GET
def mine(request):
    student = _student(request)
    profile = getattr(student, "student_profile", None)
    return render(
        request,
        "talent/mine.html",
        {
            "listings": list(selectors.listings_of_student(student)),
            "open_to_future_roles": profile is not None and profile.open_to_future_roles,
        },
    )


@login_required
@require_POST
def consent(request):
    """ "Open to future roles", turned on from the completion page; back there afterwards."""
    student = _student(request)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("talent:mine")
    try:
        services.give_consent(student, by=request.user)
    except ValidationError:
        messages.error(
            request, "Your profile needs fixing before it can be saved: edit it, then try again."
        )
        return redirect(back)
    messages.success(
        request,
        "You are open to future roles: organizations you completed an engagement with may add "
        "you to their talent list. You can withdraw this at any time.",
    )
    return redirect(back)


@login_required
@require_POST
def withdraw(request):
    student = _student(request)
    try:
        removed = services.withdraw_consent(student, by=request.user)
    except ValidationError:
        # Turning the flag off saves the profile, which a field gone stale (a graduation year
        # now out of range) can refuse; nothing was changed.
        messages.error(
            request, "Your profile needs fixing before it can be saved: edit it, then try again."
        )
        return redirect("talent:mine")
    messages.success(
        request,
        "You withdrew your consent: you are no longer open to future roles"
        + (f" and left {removed} talent list{'s' if removed != 1 else ''}." if removed else "."),
    )
    return redirect("talent:mine")
