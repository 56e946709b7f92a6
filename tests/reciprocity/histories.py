"""Hand-made engagement histories for the pure index: events written as the event details
contract says the workspace, reviews and completion record them."""

import datetime as dt

from practicum.reciprocity.index import DeliverableTerm, EngagementHistory, Event

UTC = dt.UTC
# Monday 2 March 2026, noon UTC. The default engagement ran Monday 2 Feb – Sunday 1 March.
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
STARTS, ENDS = dt.date(2026, 2, 2), dt.date(2026, 3, 1)
STU, ORG = "student", "organization"


def at(month: int, day: int, hour: int = 9, minute: int = 0, tz=UTC) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=tz)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def ev(kind: str, when: dt.datetime, side: str | None = None, **details) -> Event:
    if side is not None:
        details["side"] = side
    return Event(kind, when, side, details)


def history(
    *events: Event,
    state: str = "active",
    pk: int = 1,
    starts_on=STARTS,
    ends_on=ENDS,
    org_hours: int | None = 24,
    student_hours: int | None = 24,
    deliverables=(),
    timezone: str = "UTC",
    activated: bool = True,
) -> EngagementHistory:
    """An engagement's history; `activated` adds the activation event at the start."""
    if activated:
        events = (ev("activated", dt.datetime.combine(starts_on, dt.time(), UTC)), *events)
    return EngagementHistory(
        engagement_id=pk,
        state=state,
        starts_on=starts_on,
        ends_on=ends_on,
        org_response_hours=org_hours,
        student_response_hours=student_hours,
        events=tuple(events),
        deliverables=tuple(DeliverableTerm(k, d) for k, d in deliverables),
        timezone=timezone,
    )


def component(index, key):
    return next(c for c in index.components if c.key == key)


def held(checkin, when, *, originally=None, side=ORG):
    return ev(
        "checkin_held",
        when,
        side,
        checkin=checkin,
        scheduled_at=iso(when),
        originally_at=iso(originally or when),
    )


def missed(checkin, when, missed_by, side=ORG):
    return ev(
        "checkin_missed",
        when,
        side,
        checkin=checkin,
        scheduled_at=iso(when),
        originally_at=iso(when),
        missed_by=missed_by,
    )


def moved(checkin, when, to, side, *, planned=None):
    """Moved at `when` from `planned` (by default `when` itself: no notice at all) to `to`."""
    return ev(
        "checkin_rescheduled",
        when,
        side,
        checkin=checkin,
        to=iso(to),
        reason="clash",
        **{"from": iso(planned or when)},
    )
