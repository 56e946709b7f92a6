"""Writes for check-ins: the schedule the agreement's cadence calls for, agenda items, shared
notes, outcomes, reschedules, and the calendar feed's secret URL.

Each service is one transaction that locks the engagement row first, so two people acting on the
same engagement take turns and the second sees the first one's change (an outcome is recorded
once, a reschedule moves the time the other side just saw). The people who may act are the
engagement's parties (the student, the mentor, the organization's owners) while it is active.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from practicum.core.errors import Conflict, Refused
from practicum.core.idempotency import idempotent
from practicum.core.timezones import zone_named
from practicum.engagements import lifecycle
from practicum.engagements.events import record
from practicum.engagements.models import Engagement, EngagementEvent, Side
from practicum.engagements.notices import engagement_organization_side
from practicum.notifications.services import notify
from practicum.projects.models import Project
from practicum.workspace import access
from practicum.workspace.checkins.models import (
    AGENDA_ITEM_MAX,
    CHECKIN_STATES,
    LOCATION_MAX,
    MEETING_URL_MAX,
    NOTES_MAX,
    REASON_MAX,
    AgendaItem,
    CalendarFeed,
    CheckIn,
    CheckInPlace,
)

Status = CheckIn.Status
Kind = EngagementEvent.Kind
Cadence = Project.Cadence
# A check-in moves at most this far ahead: further than that is a new arrangement, not a move.
# Twice a week: the agreed day and the day half a week later (Monday and Thursday, ...).
TWICE_WEEKLY_GAP = 3


def iso(moment: datetime.datetime) -> str:
    """An ISO-8601 UTC time, as event details and notification occurrences carry them."""
    return moment.astimezone(datetime.UTC).isoformat()


def _dates(terms: dict) -> list[datetime.date]:
    """The local dates of the check-ins the cadence asks for, from start to end (both included)."""
    try:
        starts_on = datetime.date.fromisoformat(terms["starts_on"])
        ends_on = datetime.date.fromisoformat(terms["ends_on"])
        weekday = int(terms["checkin_weekday"])
    except (KeyError, TypeError, ValueError):
        return []
    cadence = terms.get("checkin_cadence")
    first = starts_on + datetime.timedelta(days=(weekday - starts_on.weekday()) % 7)
    if cadence == Cadence.TWICE_WEEKLY:
        # Every week from the week the engagement starts in, both days, those within the dates.
        week = starts_on - datetime.timedelta(days=(starts_on.weekday() - weekday) % 7)
        days = []
        while week <= ends_on:
            days += [week, week + datetime.timedelta(days=TWICE_WEEKLY_GAP)]
            week += datetime.timedelta(weeks=1)
        return [day for day in days if starts_on <= day <= ends_on]
    step = {Cadence.WEEKLY: 1, Cadence.BIWEEKLY: 2}.get(cadence)
    if step is None:
        return []
    days = []
    while first <= ends_on:
        days.append(first)
        first += datetime.timedelta(weeks=step)
    return days


def slots(terms: dict, tzname: str) -> list[datetime.datetime]:
    """The UTC times of the check-ins the terms call for: each date at the agreed wall-clock
    time in the organization's time zone, so the local time stays put across a daylight-saving
    change and the UTC time moves. A time that does not exist on a spring-forward day is read
    with the offset before the change (02:30 becomes 03:30 local); a time that occurs twice on a
    fall-back day is the first of the two."""
    try:
        at = datetime.time.fromisoformat(terms.get("checkin_time") or "")
    except (TypeError, ValueError):
        return []
    zone = zone_named(tzname)
    return [
        datetime.datetime.combine(day, at, tzinfo=zone).astimezone(datetime.UTC)
        for day in _dates(terms)
    ]


def _locked(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project", "student", "mentor")
        .get(pk=engagement.pk)
    )


def schedule(engagement, terms, *, now: datetime.datetime | None = None) -> None:
    """(Re)generate the check-ins the terms in force call for. Called by the agreement's
    services (inside their transaction, the engagement locked) when version 1 comes into force
    and when an amendment is accepted.

    What people have touched or what already happened stays: check-ins held, missed, cancelled,
    rescheduled, in the past, or with an agenda or notes. The other future check-ins are
    replaced by the cadence's slots; a slot that already has a check-in keeps it (same id, so
    calendars see the same event), which makes calling this twice change nothing."""
    now = now or timezone.now()
    wanted = [slot for slot in slots(terms, engagement.project.timezone) if slot > now]
    existing = list(CheckIn.objects.filter(engagement=engagement))
    with_agenda = set(
        AgendaItem.objects.filter(checkin__engagement=engagement).values_list(
            "checkin_id", flat=True
        )
    )
    wanted_set = set(wanted)
    replaceable = [
        c
        for c in existing
        if c.status == Status.SCHEDULED
        and c.scheduled_at > now
        and not c.was_rescheduled
        and not c.notes
        and c.pk not in with_agenda
    ]
    stale = [c.pk for c in replaceable if c.originally_at not in wanted_set]
    if stale:
        CheckIn.objects.filter(pk__in=stale).delete()
    taken = {c.originally_at for c in existing if c.pk not in stale}
    CheckIn.objects.bulk_create(
        CheckIn(engagement=engagement, scheduled_at=slot, originally_at=slot)
        for slot in wanted
        if slot not in taken
    )


def cancel_upcoming(engagement, *, now: datetime.datetime | None = None) -> None:
    """The engagement was cancelled or completed: its check-ins still to come are called off.
    They stay (cancelled, with whatever agenda and notes they had), and their iCalendar
    sequence goes up so subscribed calendars show them as cancelled."""
    now = now or timezone.now()
    upcoming = CheckIn.objects.filter(engagement=engagement, scheduled_at__gt=now)
    CHECKIN_STATES.move_all(upcoming, "call_off", sequence=F("sequence") + 1)


# --- What the parties do with a check-in --------------------------------------------------------


def _acting(checkin: CheckIn, by) -> tuple[Engagement, CheckIn, str]:
    """Lock the engagement, check who acts and that the workspace is open, and read the
    check-in again under the lock: (engagement, check-in, the actor's side)."""
    side = access.require_party(by, checkin.engagement)
    engagement = _locked(checkin.engagement)
    access.require_state(engagement)
    checkin = CheckIn.objects.get(pk=checkin.pk)
    checkin.engagement = engagement
    return engagement, checkin, side


def _text(value, name: str, *, limit: int, required: bool) -> str:
    value = value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if required and not value:
        raise ValidationError({name: [ValidationError("This cannot be empty.", code="required")]})
    if len(value) > limit:
        raise ValidationError(
            {name: [ValidationError(f"At most {limit:,} characters.", code="max_length")]}
        )
    return value


def _check_not_cancelled(checkin: CheckIn) -> None:
    if checkin.status == Status.CANCELLED:
        raise Conflict("checkin_cancelled", "This check-in was called off.")


@idempotent("checkins.add_agenda_item")
@transaction.atomic
def add_agenda_item(checkin: CheckIn, *, by, text: str) -> AgendaItem:
    """Either side adds a point to talk about, until the check-in has an outcome."""
    _engagement, checkin, side = _acting(checkin, by)
    text = _text(text, "text", limit=AGENDA_ITEM_MAX, required=True)
    _check_not_cancelled(checkin)
    if checkin.has_outcome:
        raise Conflict(
            "checkin_closed",
            f"This check-in was {checkin.get_status_display().lower()}; "
            "add the point to the next one.",
        )
    return AgendaItem.objects.create(checkin=checkin, author=by, side=side, text=text)


def _own_unanswered_point(item: AgendaItem, by) -> tuple[AgendaItem, str]:
    """The agenda point, read again under the engagement's lock, if `by` wrote it and the
    other side has not responded yet: the check-in has no outcome (it was not held or missed)
    and the other side has added no point after it."""
    _engagement, checkin, side = _acting(item.checkin, by)
    item = AgendaItem.objects.get(pk=item.pk)
    item.checkin = checkin
    if item.author_id != by.pk:
        raise Refused("not_author", "Only the author of an agenda point can change it.")
    _check_not_cancelled(checkin)
    if checkin.has_outcome:
        raise Conflict(
            "checkin_closed",
            f"This check-in was {checkin.get_status_display().lower()}; its agenda stays as it "
            "was.",
        )
    if AgendaItem.objects.filter(checkin=checkin, pk__gt=item.pk).exclude(side=side).exists():
        raise Conflict(
            "already_answered",
            "The other side has added to the agenda since, so this point stays as it is: add "
            "a new one instead.",
        )
    return item, side


@transaction.atomic
def edit_agenda_item(item: AgendaItem, *, by, text: str) -> AgendaItem:
    """The author changes their agenda point until the other side has responded; the
    timeline keeps what it said before (agenda_item_edited)."""
    item, side = _own_unanswered_point(item, by)
    text = _text(text, "text", limit=AGENDA_ITEM_MAX, required=True)
    before = item.text
    item.text, item.edited_at = text, timezone.now()
    item.save(update_fields=["text", "edited_at"])
    record(
        item.checkin.engagement,
        Kind.AGENDA_ITEM_EDITED,
        by,
        side=side,
        checkin=item.checkin_id,
        item=item.pk,
        before=before,
        scheduled_at=iso(item.checkin.scheduled_at),
    )
    return item


@transaction.atomic
def delete_agenda_item(item: AgendaItem, *, by) -> None:
    """The author deletes their agenda point until the other side has responded; the
    timeline keeps what it said (agenda_item_deleted)."""
    item, side = _own_unanswered_point(item, by)
    record(
        item.checkin.engagement,
        Kind.AGENDA_ITEM_DELETED,
        by,
        side=side,
        checkin=item.checkin_id,
        item=item.pk,
        before=item.text,
        scheduled_at=iso(item.checkin.scheduled_at),
    )
    item.delete()


@transaction.atomic
def update_notes(
    checkin: CheckIn, *, by, notes: str, revision: int | None = None, now=None
) -> CheckIn:
    """Either side edits the shared notes (Markdown); who edited last and when is kept. With
    `revision` (the notes revision the editor started from), an edit made while the other side
    saved theirs is refused (409 notes_changed) rather than overwriting their words."""
    _engagement, checkin, _side = _acting(checkin, by)
    notes = _text(notes, "notes", limit=NOTES_MAX, required=False)
    _check_not_cancelled(checkin)
    if revision is not None and revision != checkin.notes_revision:
        raise Conflict(
            "notes_changed",
            "The notes were changed by someone else since you opened them; "
            "read their version and add your changes again.",
        )
    checkin.notes = notes
    checkin.notes_revision += 1
    checkin.notes_edited_by = by
    checkin.notes_edited_at = now or timezone.now()
    checkin.save(update_fields=["notes", "notes_revision", "notes_edited_by", "notes_edited_at"])
    return checkin


OUTCOMES = ("held", "missed")


@transaction.atomic
def record_outcome(checkin: CheckIn, *, by, outcome: str, missed_by: str = "", now=None) -> CheckIn:
    """Either side records that the check-in was held, or missed and by whom, once its time
    has come (409 too_early before), once (409 outcome_recorded)."""
    engagement, checkin, _side = _acting(checkin, by)
    now = now or timezone.now()
    missed_by = missed_by or ""
    errors = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = [ValidationError("Choose held or missed.", code="invalid")]
    elif outcome == "missed" and missed_by not in CheckIn.MissedBy.values:
        errors["missed_by"] = [
            ValidationError("Say who missed it: student, organization or both.", code="required")
        ]
    elif outcome == "held" and missed_by:
        errors["missed_by"] = [
            ValidationError("A check-in that was held was not missed.", code="invalid")
        ]
    if errors:
        raise ValidationError(errors)
    _check_not_cancelled(checkin)
    if checkin.has_outcome:
        raise Conflict(
            "outcome_recorded",
            f"The outcome is recorded already: {checkin.get_status_display().lower()}.",
        )
    if checkin.scheduled_at > now:
        raise Conflict(
            "too_early",
            "This check-in has not happened yet; record its outcome once its time has come.",
        )
    CHECKIN_STATES.move(
        checkin,
        "hold" if outcome == "held" else "miss",
        missed_by=missed_by if outcome == "missed" else "",
        outcome_recorded_by=by,
        outcome_recorded_at=now,
    )
    details = {
        "checkin": checkin.pk,
        "scheduled_at": iso(checkin.scheduled_at),
        "originally_at": iso(checkin.originally_at),
    }
    if outcome == "held":
        record(engagement, Kind.CHECKIN_HELD, by, at=now, **details)
    else:
        record(engagement, Kind.CHECKIN_MISSED, by, at=now, **details, missed_by=missed_by)
    return checkin


@transaction.atomic
def _check_within_the_engagement(engagement: Engagement, moment: datetime.datetime) -> None:
    """A check-in happens between the first and the last day of the agreement in force, days
    counted in the project's time zone."""
    day = timezone.localtime(moment, engagement.project.zone).date()
    first, last = lifecycle.starts_on(engagement), lifecycle.ends_on(engagement)
    if (first and day < first) or (last and day > last):
        raise ValidationError(
            {
                "scheduled_at": [
                    ValidationError(
                        "Choose a day within the engagement: %(first)s to %(last)s.",
                        code="outside_engagement",
                        params={"first": f"{first:%-d %b %Y}", "last": f"{last:%-d %b %Y}"},
                    )
                ]
            }
        )


def reschedule(checkin: CheckIn, *, by, to: datetime.datetime, reason: str, now=None) -> CheckIn:
    """Either side moves a check-in that has no outcome yet to a new time in the future, within
    the engagement's dates (outside_engagement), saying why. The move is a checkin_rescheduled
    event (the check-in's history; `from` and the event's time tell the notice given) and the
    other side is told."""
    engagement, checkin, side = _acting(checkin, by)
    now = now or timezone.now()
    reason = _text(reason, "reason", limit=REASON_MAX, required=True)
    if not isinstance(to, datetime.datetime) or timezone.is_naive(to):
        raise ValidationError(
            {"scheduled_at": [ValidationError("Give a date and time with its time zone.")]}
        )
    if to <= now:
        raise ValidationError(
            {"scheduled_at": [ValidationError("Choose a time in the future.", code="past")]}
        )
    to = to.astimezone(datetime.UTC).replace(microsecond=0)
    _check_within_the_engagement(engagement, to)
    _check_not_cancelled(checkin)
    if checkin.has_outcome:
        raise Conflict(
            "outcome_recorded",
            f"This check-in was {checkin.get_status_display().lower()}; it cannot move.",
        )
    if to == checkin.scheduled_at:
        raise ValidationError(
            {"scheduled_at": [ValidationError("That is its time already.", code="unchanged")]}
        )
    before = checkin.scheduled_at
    checkin.scheduled_at = to
    checkin.reschedule_count += 1
    checkin.sequence += 1
    checkin.save(update_fields=["scheduled_at", "reschedule_count", "sequence"])
    record(
        engagement,
        Kind.CHECKIN_RESCHEDULED,
        by,
        at=now,
        checkin=checkin.pk,
        **{"from": iso(before), "to": iso(to)},
        reason=reason,
    )
    other = (
        engagement_organization_side(engagement) if side == Side.STUDENT else [engagement.student]
    )
    url = reverse("checkins:detail", args=[engagement.pk, checkin.pk])
    for person in other:
        notify(
            person,
            "checkin_rescheduled",
            checkin,
            {"from": before, "to": to, "reason": reason, "by": by.name},
            f"r{checkin.reschedule_count}",
            url=url,
            title=engagement.project.title,
        )
    return checkin


# --- Where check-ins take place -----------------------------------------------------------------

_is_web_url = URLValidator(schemes=["http", "https"])


def _place(location, meeting_url) -> tuple[str, str]:
    """A location (single line) and a meeting link (http or https), each optional, bounded."""
    location = _text(location, "location", limit=LOCATION_MAX, required=False)
    if "\n" in location:
        raise ValidationError({"location": [ValidationError("One line only.", code="invalid")]})
    meeting_url = _text(meeting_url, "meeting_url", limit=MEETING_URL_MAX, required=False)
    if meeting_url:
        try:
            _is_web_url(meeting_url)
        except ValidationError:
            raise ValidationError(
                {
                    "meeting_url": [
                        ValidationError(
                            "Give a web address starting with https:// or http://.",
                            code="invalid_url",
                        )
                    ]
                }
            ) from None
    return location, meeting_url


@transaction.atomic
def set_place(checkin: CheckIn, *, by, location: str = "", meeting_url: str = "") -> CheckIn:
    """Either side says where this check-in takes place (a location, a meeting link or both);
    both empty: the engagement's default. Until it has an outcome. Calendars pick it up (the
    SEQUENCE goes up)."""
    _engagement, checkin, _side = _acting(checkin, by)
    location, meeting_url = _place(location, meeting_url)
    _check_not_cancelled(checkin)
    if checkin.has_outcome:
        raise Conflict(
            "outcome_recorded",
            f"This check-in was {checkin.get_status_display().lower()}; its place stays.",
        )
    checkin.location, checkin.meeting_url = location, meeting_url
    checkin.sequence += 1
    checkin.save(update_fields=["location", "meeting_url", "sequence"])
    return checkin


@transaction.atomic
def set_default_place(
    engagement: Engagement, *, by, location: str = "", meeting_url: str = ""
) -> CheckInPlace:
    """Either side sets where the engagement's check-ins take place unless one says otherwise.
    The check-ins still to come that use it are bumped so calendars pick the change up."""
    access.require_party(by, engagement)
    engagement = _locked(engagement)
    access.require_state(engagement)
    location, meeting_url = _place(location, meeting_url)
    place, _ = CheckInPlace.objects.update_or_create(
        engagement=engagement,
        defaults={
            "location": location,
            "meeting_url": meeting_url,
            "updated_by": by,
            "updated_at": timezone.now(),
        },
    )
    CheckIn.objects.filter(
        engagement=engagement, status=Status.SCHEDULED, location="", meeting_url=""
    ).update(sequence=F("sequence") + 1)
    return place


# --- The calendar feed ---------------------------------------------------------------------------


@transaction.atomic
def regenerate_feed(user) -> CalendarFeed:
    """A new secret URL for the person's calendar feed; the previous one stops working."""
    feed, _ = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    feed.generation += 1
    feed.regenerated_at = timezone.now()
    feed.save(update_fields=["generation", "regenerated_at"])
    return feed
