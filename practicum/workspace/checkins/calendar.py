"""iCalendar (RFC 5545) for check-ins, interviews and deliverable due dates, and the feed's
secret token.

Where a check-in or an interview takes place is its LOCATION (the place, or the meeting link
when there is no place) and its URL (the meeting link when there is one, else its page).

Event UIDs come from what the event is (the check-in's id, the engagement and deliverable key),
never from the feed's token, so a calendar that subscribes to a regenerated URL recognises the
same events. A check-in's SEQUENCE goes up with each reschedule and on cancellation, and a due
date's with the agreement version, so calendar apps replace what they had.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core import signing
from icalendar import Calendar, Event, vText

from practicum.interviews.models import Interview
from practicum.workspace.checkins.models import CheckIn, Place

SALT = "practicum.checkins.calendar-feed"
PRODID = "-//Practicum//Check-ins and deadlines//EN"
DOMAIN = "practicum"


def feed_token(user_id: int, generation: int) -> str:
    """The secret part of a feed URL: a signed (user id, generation). Nothing is stored, and no
    other signed value of the site can pass for one (the salt). No timestamp: the address a
    calendar subscribed to stays the same until the person regenerates it."""
    return signing.Signer(salt=SALT).sign_object([user_id, generation])


def read_feed_token(token: str) -> tuple[int, int] | None:
    try:
        if token.count(":") == 1:
            value = signing.Signer(salt=SALT).unsign_object(token)
        else:
            # Addresses handed out while feeds carried a timestamp keep working.
            value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return None
    return value[0], value[1]


@dataclass(frozen=True)
class DueDate:
    engagement: object
    key: str
    title: str
    due_on: datetime.date
    sequence: int  # the agreement version the date comes from


def checkin_uid(checkin: CheckIn) -> str:
    return f"checkin-{checkin.pk}@{DOMAIN}"


def interview_uid(interview: Interview) -> str:
    return f"interview-{interview.pk}@{DOMAIN}"


def _where(event: Event, place: Place, page_url: str) -> None:
    if place.location or place.meeting_url:
        event.add("location", place.location or place.meeting_url)
    event.add("url", place.meeting_url or page_url)


def deliverable_uid(due: DueDate) -> str:
    return f"deliverable-{due.engagement.pk}-{due.key}@{DOMAIN}"


def _checkin_event(checkin: CheckIn, url: str, stamp: datetime.datetime) -> Event:
    engagement = checkin.engagement
    event = Event()
    event.add("uid", checkin_uid(checkin))
    event.add("dtstamp", stamp)
    event.add("dtstart", checkin.scheduled_at.astimezone(datetime.UTC))
    event.add("dtend", checkin.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"Check-in: {engagement.project.title}")
    people = [engagement.student.name]
    if engagement.mentor is not None:
        people.append(engagement.mentor.name)
    lines = [f"{engagement.project.organization.name}: {' and '.join(people)}."]
    agenda = list(checkin.agenda.all())
    if agenda:
        lines += ["", "Agenda:", *(f"- {item.text}" for item in agenda)]
    place = getattr(checkin, "place", None) or Place(checkin.location, checkin.meeting_url)
    if place.location:
        lines += ["", f"Where: {place.location}"]
    if place.meeting_url:
        lines += ["", f"Meeting link: {place.meeting_url}"]
    lines += ["", url]
    event.add("description", "\n".join(lines))
    _where(event, place, url)
    event.add("sequence", checkin.sequence)
    event.add(
        "status",
        "CANCELLED" if checkin.status == CheckIn.Status.CANCELLED else "CONFIRMED",
    )
    return event


def _interview_event(interview: Interview, url: str, stamp: datetime.datetime) -> Event:
    slot, application = interview.slot, interview.application
    event = Event()
    event.add("uid", interview_uid(interview))
    event.add("dtstamp", stamp)
    event.add("dtstart", slot.starts_at.astimezone(datetime.UTC))
    event.add("dtend", slot.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"Interview: {application.project.title}")
    lines = [f"{application.project.organization.name}: {application.student.name}."]
    if slot.place:
        lines += ["", f"Where: {slot.place}"]
    if slot.video_url:
        lines += ["", f"Video link: {slot.video_url}"]
    event.add("description", "\n".join([*lines, "", url]))
    _where(event, Place(slot.place, slot.video_url), url)
    event.add("sequence", interview.sequence)
    event.add(
        "status",
        "CANCELLED" if interview.status == Interview.Status.CANCELLED else "CONFIRMED",
    )
    return event


def _due_event(due: DueDate, url: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", deliverable_uid(due))
    event.add("dtstamp", stamp)
    # All-day: DTSTART;VALUE=DATE, and the exclusive end the day after.
    event.add("dtstart", due.due_on)
    event.add("dtend", due.due_on + datetime.timedelta(days=1))
    event.add("summary", f"Due: {due.title} ({due.engagement.project.title})")
    event.add("url", url)
    event.add("description", url)
    event.add("sequence", due.sequence)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
    return event


def build(
    name: str,
    checkins: Iterable[CheckIn],
    due_dates: Iterable[DueDate],
    *,
    checkin_url: Callable[[CheckIn], str],
    due_url: Callable[[DueDate], str],
    now: datetime.datetime,
    interviews: Iterable[Interview] = (),
    interview_url: Callable[[Interview], str] | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per check-in and per interview with a picked time (UTC
    times) and per due date (all day)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(name))
    stamp = now.astimezone(datetime.UTC).replace(microsecond=0)
    for checkin in checkins:
        cal.add_component(_checkin_event(checkin, checkin_url(checkin), stamp))
    for interview in interviews:
        cal.add_component(_interview_event(interview, interview_url(interview), stamp))
    for due in due_dates:
        cal.add_component(_due_event(due, due_url(due), stamp))
    return cal.to_ical()
