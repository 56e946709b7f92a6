"""The check-ins pages of the workspace, the calendar downloads and the personal feed.

Reading is for whoever may read the engagement (access.readable); the forms are offered only to
the parties of an active engagement, and the services check again. Invalid input shows the page
again (422) with what was typed; a refusal is a 403; a conflict goes back to the check-in with
the reason, except outdated notes, which come back with the typed text (409) so nothing is lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST, require_safe

from practicum.core import idempotency
from practicum.core.actions import form_action
from practicum.core.loading import visible_or_404
from practicum.engagements.models import Engagement
from practicum.interviews import selectors as interview_selectors
from practicum.workspace import access
from practicum.workspace.checkins import calendar, selectors, services
from practicum.workspace.checkins.forms import (
    AgendaItemForm,
    AgendaPointEditForm,
    NotesForm,
    OutcomeForm,
    PlaceForm,
    RescheduleForm,
)
from practicum.workspace.checkins.models import CheckIn


def _context(request, engagement: Engagement) -> dict:
    viewer_zone = timezone.get_current_timezone_name()
    return {
        "engagement": engagement,
        "now": timezone.now(),
        "viewer_zone": viewer_zone,
        "can_write": access.can_act(request.user, engagement)
        and engagement.state == Engagement.State.ACTIVE,
        # The organization's wall-clock time is shown next to the viewer's when they differ.
        "org_zone": engagement.project.timezone,
        "show_org_time": engagement.project.timezone != viewer_zone,
    }


def _render_list(request, engagement, *, status=200, default_form=None):
    context = _context(request, engagement)
    context["schedule"] = selectors.split(selectors.checkins_of(engagement))
    context["default_place"] = selectors.default_place(engagement)
    if context["can_write"]:
        place = context["default_place"]
        context["default_form"] = default_form or PlaceForm(
            prefix="default",
            initial={"location": place.location, "meeting_url": place.meeting_url} if place else {},
        )
    return render(request, "checkins/list.html", context, status=status)


@login_required
@require_GET
def checkin_list(request, pk):
    return _render_list(request, access.readable(request.user, pk))


@login_required
@require_POST
def set_default_place(request, pk):
    engagement = access.readable(request.user, pk)
    if not access.can_act(request.user, engagement):
        raise PermissionDenied("You may read this engagement, not change it.")
    return form_action(
        request,
        PlaceForm(request.POST, prefix="default"),
        lambda data: services.set_default_place(
            engagement, by=request.user, location=data["location"], meeting_url=data["meeting_url"]
        ),
        rerender=lambda status, form: _render_list(
            request, engagement, status=status, default_form=form
        ),
        done="Check-ins take place there unless one says otherwise.",
        then=reverse("checkins:list", args=[engagement.pk]),
    )


def _checkin(engagement, checkin_id) -> CheckIn:
    return visible_or_404(selectors.checkin_of(engagement, checkin_id), what="check-in")


def _render_detail(request, engagement, checkin, *, status=200, **forms):
    """The check-in page; a bound form passed in (with its errors) replaces the blank one."""
    context = _context(request, engagement)
    now = context["now"]
    if context["can_write"] and checkin.status != CheckIn.Status.CANCELLED:
        context["notes_form"] = forms.get("notes_form") or NotesForm(
            initial={"notes": checkin.notes, "revision": checkin.notes_revision}
        )
        # The author's own points they may still change get a form (the agenda is prefetched,
        # so the forms ride on its rows).
        changeable = selectors.changeable_points(checkin, request.user)
        bound = forms.get("point_form")
        for point in checkin.agenda.all():
            if point.pk not in changeable:
                continue
            if bound is not None and bound.point_id == point.pk:
                point.edit_form = bound
            else:
                point.edit_form = AgendaPointEditForm(
                    prefix=f"point-{point.pk}", initial={"text": point.text}
                )
        if not checkin.has_outcome:
            context["place_form"] = forms.get("place_form") or PlaceForm(
                initial={"location": checkin.location, "meeting_url": checkin.meeting_url}
            )
            context["agenda_form"] = forms.get("agenda_form") or AgendaItemForm()
            context["reschedule_form"] = forms.get("reschedule_form") or RescheduleForm()
            if checkin.scheduled_at <= now:
                context["outcome_form"] = forms.get("outcome_form") or OutcomeForm()
    context["checkin"] = checkin
    return render(request, "checkins/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk, checkin_id):
    engagement = access.readable(request.user, pk)
    return _render_detail(request, engagement, _checkin(engagement, checkin_id))


def _checkin_action(request, pk, checkin_id, *, form_name, form_class, act, done):
    """Every check-in form, for the parties only: form_action answers, going back to the
    check-in."""
    engagement = access.readable(request.user, pk)
    checkin = _checkin(engagement, checkin_id)
    if not access.can_act(request.user, engagement):
        raise PermissionDenied("You may read this engagement, not change it.")

    def notes_changed(exc):
        """Outdated notes (the other side saved meanwhile) come back with what was typed, with
        a 409, instead of going back: the typed text would be lost."""
        if exc.code != "notes_changed":
            return None
        fresh = _checkin(engagement, checkin_id)
        # Keep what was typed; the revision becomes the one now shown, so saving again
        # (after reading the other side's version) goes through.
        data = request.POST.copy()
        data["notes-revision"] = fresh.notes_revision
        return _render_detail(request, engagement, fresh, status=409, notes_form=NotesForm(data))

    return form_action(
        request,
        form_class(request.POST),
        lambda data: act(checkin, data),
        rerender=lambda status, form: _render_detail(
            request, engagement, checkin, status=status, **{form_name: form}
        ),
        done=done,
        then=checkin,
        on_conflict=notes_changed,
    )


@login_required
@require_POST
def add_agenda_item(request, pk, checkin_id):
    return _checkin_action(
        request,
        pk,
        checkin_id,
        form_name="agenda_form",
        form_class=AgendaItemForm,
        act=lambda checkin, data: services.add_agenda_item(
            checkin, by=request.user, text=data["text"], idempotency_key=idempotency.key_of(request)
        ),
        done="The point is on the agenda.",
    )


@login_required
@require_POST
def update_notes(request, pk, checkin_id):
    return _checkin_action(
        request,
        pk,
        checkin_id,
        form_name="notes_form",
        form_class=NotesForm,
        act=lambda checkin, data: services.update_notes(
            checkin, by=request.user, notes=data["notes"], revision=data["revision"]
        ),
        done="The notes are saved.",
    )


@login_required
@require_POST
def record_outcome(request, pk, checkin_id):
    return _checkin_action(
        request,
        pk,
        checkin_id,
        form_name="outcome_form",
        form_class=OutcomeForm,
        act=lambda checkin, data: services.record_outcome(
            checkin, by=request.user, outcome=data["outcome"], missed_by=data["missed_by"]
        ),
        done="The outcome is recorded.",
    )


@login_required
@require_POST
def reschedule(request, pk, checkin_id):
    return _checkin_action(
        request,
        pk,
        checkin_id,
        form_name="reschedule_form",
        form_class=RescheduleForm,
        act=lambda checkin, data: services.reschedule(
            checkin, by=request.user, to=data["scheduled_at"], reason=data["reason"]
        ),
        done="The check-in is moved; the other side is told.",
    )


@login_required
@require_POST
def set_place(request, pk, checkin_id):
    return _checkin_action(
        request,
        pk,
        checkin_id,
        form_name="place_form",
        form_class=PlaceForm,
        act=lambda checkin, data: services.set_place(
            checkin, by=request.user, location=data["location"], meeting_url=data["meeting_url"]
        ),
        done="The place is saved; calendars show it.",
    )


# --- Calendars ----------------------------------------------------------------------------------


def _ics(request, name: str, checkins, due_dates, *, interviews=(), filename: str | None = None):
    body = calendar.build(
        name,
        checkins,
        due_dates,
        interviews=interviews,
        interview_url=lambda i: request.build_absolute_uri(i.get_absolute_url()),
        checkin_url=lambda c: request.build_absolute_uri(c.get_absolute_url()),
        due_url=lambda d: request.build_absolute_uri(
            reverse("deliverables:list", args=[d.engagement.pk])
        ),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def engagement_ics(request, pk):
    """The engagement's check-ins and due dates as one .ics file to import."""
    engagement = access.readable(request.user, pk)
    checkins, due_dates = selectors.calendar_of_engagement(engagement)
    return _ics(
        request,
        f"Practicum: {engagement.project.title}",
        checkins,
        due_dates,
        filename=f"engagement-{engagement.pk}.ics",
    )


@require_safe
def feed(request, token):
    """The personal feed calendar apps subscribe to: no login, the URL is the secret. An old
    (regenerated) or forged token is a 404, as if the URL never existed."""
    user = visible_or_404(selectors.user_for_feed(token), what="calendar")
    checkins, due_dates = selectors.calendar_of_user(user)
    # Interviews sit below the workspace: their provider hands over the picked times.
    interviews = interview_selectors.calendar_interviews(user)
    response = _ics(request, "Practicum", checkins, due_dates, interviews=interviews)
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def calendar_page(request):
    feed = selectors.feed_of(request.user)
    return render(
        request,
        "checkins/calendar.html",
        {"feed": feed, "feed_url": request.build_absolute_uri(feed.path)},
    )


@login_required
@require_POST
def regenerate_feed(request):
    services.regenerate_feed(request.user)
    messages.success(
        request,
        "Your calendar has a new address; the old one no longer works. "
        "Subscribe to the new one in your calendar app.",
    )
    return redirect("checkins:calendar")


def _point(checkin, point_id):
    return visible_or_404(
        next((p for p in checkin.agenda.all() if p.pk == point_id), None), what="agenda point"
    )


@login_required
@require_POST
def edit_agenda_item(request, pk, checkin_id, point_id):
    engagement = access.readable(request.user, pk)
    checkin = _checkin(engagement, checkin_id)
    point = _point(checkin, point_id)
    form = AgendaPointEditForm(request.POST, prefix=f"point-{point.pk}")
    form.point_id = point.pk
    return form_action(
        request,
        form,
        lambda data: services.edit_agenda_item(point, by=request.user, text=data["text"]),
        rerender=lambda status, form: _render_detail(
            request, engagement, checkin, status=status, point_form=form
        ),
        done="The point is changed; the timeline keeps what it said before.",
        then=checkin,
    )


@login_required
@require_POST
def remove_agenda_item(request, pk, checkin_id, point_id):
    engagement = access.readable(request.user, pk)
    checkin = _checkin(engagement, checkin_id)
    point = _point(checkin, point_id)
    return form_action(
        request,
        None,
        lambda data: services.delete_agenda_item(point, by=request.user),
        rerender=None,
        done="The point is off the agenda; the timeline keeps what it said.",
        then=checkin,
    )
