"""Reads for check-ins and calendars: a fixed number of queries whatever the number of
check-ins, agenda items, reschedules or engagements."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from practicum.accounts.models import Membership
from practicum.engagements import selectors as engagement_selectors
from practicum.engagements.models import AgreementVersion, Engagement, EngagementEvent
from practicum.workspace.checkins import calendar
from practicum.workspace.checkins.models import (
    AgendaItem,
    CalendarFeed,
    CheckIn,
    CheckInPlace,
    place_of,
)

Status = CheckIn.Status

_AGENDA = Prefetch("agenda", AgendaItem.objects.select_related("author"))


def _checkins() -> QuerySet[CheckIn]:
    people = ("notes_edited_by", "outcome_recorded_by")
    return CheckIn.objects.select_related(*people).prefetch_related(_AGENDA)


def _reschedules(engagement: Engagement, checkin_id: int | None = None) -> dict[int, list]:
    """The checkin_rescheduled events (the reschedule history), oldest first, by check-in."""
    events = EngagementEvent.objects.filter(
        engagement=engagement, kind=EngagementEvent.Kind.CHECKIN_RESCHEDULED
    ).select_related("actor")
    if checkin_id is not None:
        events = events.filter(details__checkin=checkin_id)
    history = defaultdict(list)
    for event in events.order_by("at", "pk"):
        # The details keep ISO strings; pages show the times in the viewer's zone.
        event.moved_from = _parse(event.details.get("from"))
        event.moved_to = _parse(event.details.get("to"))
        history[event.details.get("checkin")].append(event)
    return history


def _parse(value) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def default_place(engagement: Engagement) -> CheckInPlace | None:
    """Where the engagement's check-ins take place unless one says otherwise: one query."""
    return CheckInPlace.objects.filter(engagement=engagement).first()


def checkins_of(engagement: Engagement) -> list[CheckIn]:
    """Every check-in of the engagement in time order, with its agenda (and authors), its
    reschedule history as `.reschedules` and where it takes place as `.place`: four queries."""
    checkins = list(_checkins().filter(engagement=engagement).order_by("scheduled_at", "pk"))
    history = _reschedules(engagement)
    default = default_place(engagement)
    for checkin in checkins:
        checkin.engagement = engagement
        checkin.reschedules = history.get(checkin.pk, [])
        checkin.place = place_of(checkin, default)
    return checkins


def checkin_of(engagement: Engagement, pk: int) -> CheckIn | None:
    """One check-in of the engagement, loaded like checkins_of; None when it is not this
    engagement's."""
    checkin = _checkins().filter(engagement=engagement, pk=pk).first()
    if checkin is not None:
        checkin.engagement = engagement
        checkin.reschedules = _reschedules(engagement, checkin.pk).get(checkin.pk, [])
        checkin.place = place_of(checkin, default_place(engagement))
    return checkin


@dataclass
class Schedule:
    upcoming: list[CheckIn]  # soonest first
    past: list[CheckIn]  # latest first

    @property
    def awaiting_outcome(self) -> list[CheckIn]:
        return [c for c in self.past if c.status == Status.SCHEDULED]


def split(checkins: list[CheckIn], now: datetime.datetime | None = None) -> Schedule:
    now = now or timezone.now()
    return Schedule(
        upcoming=[c for c in checkins if c.scheduled_at > now],
        past=[c for c in reversed(checkins) if c.scheduled_at <= now],
    )


def due_between(start: datetime.datetime, end: datetime.datetime) -> QuerySet[CheckIn]:
    """Scheduled check-ins of active engagements taking place in (start, end], with the
    engagement's people loaded (the owners as engagement.project.organization.owners)."""
    owners = Membership.objects.filter(role=Membership.Role.OWNER).select_related("user")
    return (
        CheckIn.objects.filter(
            status=Status.SCHEDULED,
            scheduled_at__gt=start,
            scheduled_at__lte=end,
            engagement__state=Engagement.State.ACTIVE,
        )
        .select_related(
            "engagement__project__organization", "engagement__student", "engagement__mentor"
        )
        .prefetch_related(
            Prefetch("engagement__project__organization__memberships", owners, to_attr="owners")
        )
        .order_by("scheduled_at", "pk")
    )


def people_of(engagement: Engagement) -> list:
    """The student, the mentor and the organization's owners of an engagement loaded by
    due_between, each once."""
    people = {engagement.student, *(m.user for m in engagement.project.organization.owners)}
    if engagement.mentor is not None:
        people.add(engagement.mentor)
    return sorted(people, key=lambda person: person.pk)


# --- Calendars ----------------------------------------------------------------------------------


def feed_generation(user) -> int:
    """The generation of the person's feed URL (0 until they first regenerate it)."""
    return CalendarFeed.objects.filter(user=user).values_list("generation", flat=True).first() or 0


def user_for_feed(token: str):
    """The active person a feed token belongs to, if it is their current one; else None."""
    from practicum.accounts.models import User

    read = calendar.read_feed_token(token)
    if read is None:
        return None
    user_id, generation = read
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or feed_generation(user) != generation:
        return None
    return user


def _current_deliverables(engagements: list[Engagement]) -> list[calendar.DueDate]:
    """The deliverables with a due date in the terms in force of these engagements."""
    ids = [e.pk for e in engagements if e.state != Engagement.State.CANCELLED]
    by_id = {e.pk: e for e in engagements}
    versions = AgreementVersion.objects.filter(
        engagement_id__in=ids, status=AgreementVersion.Status.CURRENT
    ).only("engagement_id", "number", "terms")
    due = []
    for version in versions:
        for deliverable in version.terms.get("deliverables") or []:
            if deliverable.get("due_on"):
                due.append(
                    calendar.DueDate(
                        engagement=by_id[version.engagement_id],
                        key=deliverable["key"],
                        title=deliverable.get("title") or deliverable["key"],
                        due_on=datetime.date.fromisoformat(deliverable["due_on"]),
                        sequence=version.number,
                    )
                )
    return sorted(due, key=lambda d: (d.due_on, d.engagement.pk, d.key))


def _calendar_checkins(engagement_filter: dict) -> list[CheckIn]:
    """The check-ins with their agenda and where they take place (`.place`): three queries."""
    checkins = list(
        CheckIn.objects.filter(**engagement_filter)
        .select_related(
            "engagement__project__organization", "engagement__student", "engagement__mentor"
        )
        .prefetch_related(Prefetch("agenda", AgendaItem.objects.order_by("created_at", "pk")))
        .order_by("scheduled_at", "pk")
    )
    defaults = {
        place.engagement_id: place
        for place in CheckInPlace.objects.filter(
            engagement_id__in={c.engagement_id for c in checkins}
        )
    }
    for checkin in checkins:
        checkin.place = place_of(checkin, defaults.get(checkin.engagement_id))
    return checkins


def calendar_of_user(user) -> tuple[list[CheckIn], list[calendar.DueDate]]:
    """The person's check-ins and deliverable due dates, in every engagement they are a party
    to (the student, the mentor, an owner of the organization): five queries."""
    engagements = list(engagement_selectors.engagements_of(user))
    checkins = _calendar_checkins({"engagement__in": [e.pk for e in engagements]})
    return checkins, _current_deliverables(engagements)


def calendar_of_engagement(engagement: Engagement) -> tuple[list[CheckIn], list]:
    checkins = _calendar_checkins({"engagement": engagement})
    return checkins, _current_deliverables([engagement])


@dataclass
class Feed:
    path: str  # make it absolute for calendar apps
    regenerated_at: datetime.datetime | None


def feed_of(user) -> Feed:
    """The person's current feed URL (path) and when they last replaced it: one query."""
    from django.urls import reverse

    row = CalendarFeed.objects.filter(user=user).values("generation", "regenerated_at").first()
    row = row or {"generation": 0, "regenerated_at": None}
    token = calendar.feed_token(user.pk, row["generation"])
    return Feed(reverse("checkins:feed", args=[token]), row["regenerated_at"])


def changeable_points(checkin: CheckIn, user) -> set[int]:
    """The agenda points `user` may still change (what services.edit_agenda_item and
    delete_agenda_item allow): theirs, on a check-in without an outcome, with no point of the
    other side after them. Reads the prefetched agenda."""
    if checkin.has_outcome or checkin.status == CheckIn.Status.CANCELLED:
        return set()
    points = list(checkin.agenda.all())
    return {
        point.pk
        for point in points
        if point.author_id == user.pk
        and not any(later.pk > point.pk and later.side != point.side for later in points)
    }
