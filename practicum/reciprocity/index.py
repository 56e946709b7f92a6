"""The reciprocity index: how well an organization or a student kept the promises of their
engagements, computed from the engagement event log, plus two counts read in aggregate outside
it: the organization's applications answered, and the interviews both sides kept.

Pure Python (no Django, no database): `organization_index(histories, ratings, now, ...)` and
`student_index(histories, ratings, now, ...)` take what selectors.py loaded and return an `Index`.
The same histories and `now` always give the same index, so it can be explained, tested on
hand-made histories and recomputed by anyone.

Every component is a rate with its numerator and denominator ("answered 17 of 19 questions
within 24 h"). The index is the weighted mean of the components that have something to measure
(a component with a denominator of 0 is left out and the weights of the others are scaled up to
sum to 1), shown from 0 to 100.

Weights (the page /reciprocity/ shows the same table; a test checks both against the code):

    Organizations
      checkins_held          15 %  check-ins held as scheduled
      questions_answered     15 %  students' questions answered within the promised time
      submissions_reviewed   11 %  submissions reviewed within 3 working days
      feedback_on_time        7 %  feedback (mid-point and final reviews) submitted on time
      payments_on_time       15 %  payments recorded by the payment due date
      applications_answered  18 %  applications answered within 14 days
      interviews_kept         8 %  interviews held as scheduled
      ratings                11 %  average rating given by students

    Students
      deliverables_on_time   23 %  deliverables first submitted by their due date
      checkins_attended      14 %  check-ins attended
      messages_answered      14 %  the organization's messages answered within the promised time
      weekly_updates         14 %  weeks with at least one progress update
      feedback_on_time        9 %  feedback (mid-point and final reviews) submitted on time
      interviews_attended     8 %  interviews attended
      ratings                18 %  average rating given by organizations

The interview components took their 8 % from the others in proportion to their weights (each
weight times 0.92, rounded to whole percents by largest remainder).

Definitions (times are compared in UTC; days and weeks are the organization's, i.e. in the
project's time zone; response times are the ones in the agreement in force):

- Check-ins held as scheduled: of the check-ins held, or missed by the organization, those held
  at the time first planned. A check-in moved with at least 24 hours' notice, or only at the
  student's request, still counts as held as scheduled: the organization kept its side. A
  check-in missed by "both" counts against both
  sides; one missed by the other side only is left out.
- Check-ins attended (students): held check-ins over held ones plus those missed by the student
  (or by both).
- Questions answered in time: each student question marked answered within
  `response_time_hours` of being asked, over the questions answered plus those still open past
  that deadline.
- Messages answered in time (students): the organization's messages in a row before the
  student replies count once, from the first of them; the student's next message (or marking
  the organization's question answered) within `student_response_time_hours` is on time. Turns
  still waiting past that deadline count as late.
- Submissions reviewed within 3 working days: accepted or sent back by the end of the third
  working day (Monday to Friday) after the day of submission; submissions still waiting past
  that day count as late.
- Feedback on time: a review submitted by its `due_at`, over the rounds this side submitted in,
  plus rounds revealed (both submitted or the window closed) or already due for the other side
  that this side never submitted in.
- Payments on time: the first payment recorded (and not disputed by the student) by the end of
  the completion's `payment_due_on`, over completed engagements with a payment due date that
  were paid or whose date has passed.
- Applications answered within 14 days: applications to the organization's projects that it
  shortlisted, offered or turned down within 14 days of their arrival, over those answered plus
  those still unanswered 14 days after they arrived (withdrawn ones only if the student waited
  longer than that). Read from the applications, not the event log.
- Interviews kept (organizations): interviews held, over interviews held plus those the
  organization did not show up to plus each time it took back a picked interview time with
  less than 24 hours' notice. As with check-ins, a move with at least 24 hours' notice is
  planning, not a broken promise, and the other side's no-shows and moves are left out. Read
  from the interviews (they come before any engagement), as they stand now.
- Interviews attended (students): the same with the student's no-shows and late moves.
- Deliverables on time: each deliverable's first submission by the end of its due date (the due
  date in force when it was submitted), plus deliverables never submitted whose due date passed
  while the engagement ran. Deliverables without a due date are left out.
- Weekly updates: the engagement's dates cut into 7-day blocks from its start; of the blocks
  that are over (by now, or by the day the engagement was completed or cancelled), those with at
  least one progress update.
- Ratings: the mean of 1–5 ratings mapped to 0–1 by (r − 1) / 4 ("average 4.3 of 5 from 7
  reviews").

Deadlines stop at the day an engagement was completed or cancelled (nothing is due from an
engagement that is over), except feedback and payment, which come after completion.

The number shows only with at least 3 engagements of history: engagements completed, cancelled
after they became active, or active past the middle of their dates. With fewer, the page says
"not enough history yet" and still shows the components.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

STUDENT = "student"
ORGANIZATION = "organization"
BOTH = "both"

MIN_ENGAGEMENTS = 3
# Moving a check-in this long before it was due is planning, not a broken promise.
MOVE_NOTICE = dt.timedelta(hours=24)
REVIEW_WORKING_DAYS = 3
APPLICATION_ANSWER_DAYS = 14
RATING_LOW, RATING_HIGH = 1, 5

ORGANIZATION_WEIGHTS = {
    "checkins_held": 0.15,
    "questions_answered": 0.15,
    "submissions_reviewed": 0.11,
    "feedback_on_time": 0.07,
    "payments_on_time": 0.15,
    "applications_answered": 0.18,
    "interviews_kept": 0.08,
    "ratings": 0.11,
}
STUDENT_WEIGHTS = {
    "deliverables_on_time": 0.23,
    "checkins_attended": 0.14,
    "messages_answered": 0.14,
    "weekly_updates": 0.14,
    "feedback_on_time": 0.09,
    "interviews_attended": 0.08,
    "ratings": 0.18,
}
LABELS = {
    "checkins_held": "Check-ins held as scheduled",
    "questions_answered": "Questions answered in time",
    "submissions_reviewed": "Submissions reviewed within 3 working days",
    "feedback_on_time": "Feedback on time",
    "payments_on_time": "Payments on time",
    "ratings": "Average rating",
    "deliverables_on_time": "Deliverables on time",
    "checkins_attended": "Check-ins attended",
    "messages_answered": "Messages answered in time",
    "weekly_updates": "Progress updates every week",
    "applications_answered": "Applications answered within 14 days",
    "interviews_kept": "Interviews kept",
    "interviews_attended": "Interviews attended",
}
DEFINITIONS = {
    "applications_answered": "Applications shortlisted, offered or turned down within 14 days "
    "of their arrival, over applications answered plus applications still unanswered after 14 "
    "days (a withdrawn one only if the student waited longer than that).",
    "checkins_held": "Check-ins held at the time first planned, over check-ins held or missed by "
    "the organization. A check-in moved with at least 24 hours' notice, or only at the student's "
    "request, still counts as kept.",
    "questions_answered": "Students' questions answered within the response time the "
    "organization promised, over questions answered plus questions still open past it.",
    "submissions_reviewed": "Submissions accepted or sent back by the end of the third working "
    "day (Monday to Friday) after they arrived, over submissions reviewed plus submissions "
    "still waiting past that day.",
    "feedback_on_time": "Mid-point and final reviews submitted by their due time, over the "
    "feedback rounds that were due.",
    "payments_on_time": "Payments recorded by the payment due date set at completion (a payment "
    "the student disputed does not count), over completed engagements that were paid or whose "
    "payment date has passed.",
    "ratings": "The average of the 1–5 ratings received, counted as (rating − 1) / 4.",
    "deliverables_on_time": "Deliverables first submitted by the end of their due date, over "
    "deliverables submitted plus deliverables whose due date passed without a submission.",
    "checkins_attended": "Check-ins held, over check-ins held plus those the student missed.",
    "messages_answered": "The organization's messages answered within the response time the "
    "student promised (several messages in a row count once), over messages answered plus "
    "messages still waiting past that time.",
    "weekly_updates": "Weeks of the engagement (7-day blocks from its start, once over) with at "
    "least one progress update, over those weeks.",
    "interviews_kept": "Interviews held, over interviews held plus those the organization did not "
    "show up to plus each interview time it moved with less than 24 hours' notice. A move with "
    "at least 24 hours' notice still counts as kept; the student's no-shows and moves do not count "
    "against the organization.",
    "interviews_attended": "Interviews held, over interviews held plus those the student did not "
    "show up to plus each interview time they moved with less than 24 hours' notice. A move with "
    "at least 24 hours' notice still counts as kept.",
}

# The event kinds the index reads; selectors load only these.
KINDS = (
    "activated",
    "cancelled",
    "completed",
    "submitted",
    "submission_accepted",
    "changes_requested",
    "checkin_held",
    "checkin_missed",
    "checkin_rescheduled",
    "message_posted",
    "question_answered",
    "update_posted",
    "review_submitted",
    "reviews_revealed",
    "payment_recorded",
    "payment_disputed",
)
_ACTIVE_STATES = ("active", "completed")
# The resolution of stored times: a moment strictly after another is at least this later.
_TICK = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class Event:
    kind: str
    at: dt.datetime  # aware
    side: str | None = None  # details["side"]: who acted
    details: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class DeliverableTerm:
    key: str
    due_on: dt.date | None


@dataclass(frozen=True)
class EngagementHistory:
    engagement_id: int
    state: str  # Engagement.State value
    starts_on: dt.date | None
    ends_on: dt.date | None
    org_response_hours: int | None
    student_response_hours: int | None
    events: tuple[Event, ...]
    deliverables: tuple[DeliverableTerm, ...] = ()
    timezone: str = "UTC"  # the project's IANA time zone


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    numerator: float  # a count, or the average rating for "ratings"
    denominator: int  # a count, or 5 (the top of the scale) for "ratings"
    rate: float | None  # 0–1; None when there is nothing to measure yet
    weight: float
    sentence: str
    count: int  # how many facts the rate rests on (the denominator, or the number of reviews)

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)

    @property
    def weight_percent(self) -> int:
        return round(self.weight * 100)

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.key]


@dataclass(frozen=True)
class Index:
    side: str  # "organization" or "student"
    value: float | None  # 0–100, None without enough history (or nothing measured)
    enough_history: bool
    engagements: int  # engagements of history
    components: list[Component]
    min_engagements: int = MIN_ENGAGEMENTS

    @property
    def measured_weight(self) -> float:
        """The sum of the weights of the components that had something to measure."""
        return sum(c.weight for c in self.components if c.rate is not None)

    def breakdown(self) -> list[tuple[Component, float | None, float | None]]:
        """Each component with its share of the index (its weight scaled over the components
        measured) and the points it adds; they sum to the value when there is one."""
        measured = self.measured_weight
        rows = []
        for c in self.components:
            if c.rate is None or not measured:
                rows.append((c, None, None))
            else:
                share = c.weight / measured
                rows.append((c, round(100 * share, 1), round(100 * share * c.rate, 1)))
        return rows


# --- Reading details ---------------------------------------------------------------------------


def _moment(value) -> dt.datetime | None:
    """An aware datetime from an ISO string (naive ones are UTC); None if unreadable."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _day(value) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return dt.UTC


class _Engagement:
    """One history with what every component asks of it: its time zone, whether it ever
    became active, and the moment after which nothing more was due (completion, cancellation).

    Every comparison with `now` goes through `passed`/`reached` (or their cutoff forms), which
    note the moments at which the answer would flip: `valid_from`..`valid_until` is then the span
    of `now` over which this engagement's tallies stay the same (stored rows rely on it)."""

    def __init__(self, history: EngagementHistory, now: dt.datetime):
        self.history = history
        self.zone = _zone(history.timezone)
        self.events = sorted(history.events, key=lambda e: e.at)
        self.activated = history.state in _ACTIVE_STATES or any(
            e.kind == "activated" for e in self.events
        )
        # The closing event, if the log has one; a closed state without one closes "now".
        self.closed_event_at = next(
            (e.at for e in self.events if e.kind in ("cancelled", "completed")), None
        )
        self.closed_by_state = self.closed_event_at is None and history.state in (
            "cancelled",
            "completed",
        )
        self.now = now
        self.valid_from: dt.datetime | None = None
        self.valid_until: dt.datetime | None = None

    def _stays_until(self, moment: dt.datetime) -> None:
        if self.valid_until is None or moment < self.valid_until:
            self.valid_until = moment

    def _holds_since(self, moment: dt.datetime) -> None:
        if self.valid_from is None or moment > self.valid_from:
            self.valid_from = moment

    def passed(self, moment: dt.datetime) -> bool:
        """moment < now."""
        if moment < self.now:
            self._holds_since(moment + _TICK)
            return True
        self._stays_until(moment)
        return False

    def reached(self, moment: dt.datetime) -> bool:
        """moment <= now."""
        if moment <= self.now:
            self._holds_since(moment)
            return True
        self._stays_until(moment - _TICK)
        return False

    def before_cutoff(self, moment: dt.datetime) -> bool:
        """moment < cutoff (the earlier of now and the closing event)."""
        if self.closed_event_at is not None and moment >= self.closed_event_at:
            return False
        return self.passed(moment)

    def by_cutoff(self, moment: dt.datetime) -> bool:
        """moment <= cutoff."""
        if self.closed_event_at is not None and moment > self.closed_event_at:
            return False
        return self.reached(moment)

    def of(self, *kinds: str) -> list[Event]:
        return [e for e in self.events if e.kind in kinds]

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """The first moment after `day` in the organization's time zone."""
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=self.zone)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    def counts_as_history(self) -> bool:
        h = self.history
        if h.state == "completed":
            return True
        if h.state == "cancelled":
            return self.activated
        if h.state == "active" and h.starts_on and h.ends_on:
            midpoint = h.starts_on + (h.ends_on - h.starts_on) / 2
            # local_date(now) >= midpoint: from the first moment of the midpoint's day.
            return self.reached(self.end_of_day(midpoint - dt.timedelta(days=1)))
        return False


def _ids(event: Event, key: str):
    """An id from the details, as a comparable value (ids may arrive as int or str)."""
    value = event.details.get(key)
    return None if value is None else str(value)


class _Tally:
    def __init__(self):
        self.numerator = 0
        self.denominator = 0

    def add(self, kept: bool) -> None:
        self.denominator += 1
        self.numerator += 1 if kept else 0


# --- Components --------------------------------------------------------------------------------


def _last_checkin_outcomes(e: _Engagement) -> dict[str, Event]:
    """The last held/missed event of each check-in (a correction replaces the first word)."""
    outcomes: dict[str, Event] = {}
    for event in e.of("checkin_held", "checkin_missed"):
        outcomes[_ids(event, "checkin") or f"event-{id(event)}"] = event
    return outcomes


def _held_as_scheduled(event: Event, moves: list[tuple[str, bool]]) -> bool:
    """Held at its planned time, or moved (as the log shows) only with enough notice or only
    by the student. `moves` are (side, late) pairs of the check-in's reschedules."""
    planned = _moment(event.details.get("originally_at"))
    held = _moment(event.details.get("scheduled_at"))
    if planned is None or held is None:
        return False
    if planned == held:
        return True
    return bool(moves) and not any(side == ORGANIZATION and late for side, late in moves)


def _moved_late(event: Event) -> bool:
    """A check-in moved with less than MOVE_NOTICE of notice (or with no time to tell)."""
    before = _moment(event.details.get("from"))
    return before is None or before - event.at < MOVE_NOTICE


def _checkins(engagements: list[_Engagement], side: str) -> _Tally:
    tally = _Tally()
    for e in engagements:
        moves: dict[str, list[tuple[str, bool]]] = {}
        for event in e.of("checkin_rescheduled"):
            moves.setdefault(_ids(event, "checkin"), []).append((event.side, _moved_late(event)))
        for checkin, event in _last_checkin_outcomes(e).items():
            if event.kind == "checkin_missed":
                if event.details.get("missed_by") in (side, BOTH):
                    tally.add(False)
            elif side == ORGANIZATION:
                tally.add(_held_as_scheduled(event, moves.get(checkin, [])))
            else:
                tally.add(True)
    return tally


def _questions_answered(engagements: list[_Engagement]) -> tuple[_Tally, set[int]]:
    tally, promises = _Tally(), set()
    for e in engagements:
        hours = e.history.org_response_hours
        if hours is None:
            continue
        promises.add(hours)
        allowed = dt.timedelta(hours=hours)
        asked = {
            _ids(m, "message"): m.at
            for m in e.of("message_posted")
            if m.side == STUDENT and m.details.get("question")
        }
        answered: set[str] = set()
        for event in e.of("question_answered"):
            question = _ids(event, "message")
            if event.details.get("asked_side") != STUDENT or question in answered:
                continue
            answered.add(question)
            asked_at = _moment(event.details.get("asked_at")) or asked.get(question)
            tally.add(asked_at is not None and event.at - asked_at <= allowed)
        for question, asked_at in asked.items():
            if question not in answered and e.before_cutoff(asked_at + allowed):
                tally.add(False)
    return tally, promises


def _review_deadline(e: _Engagement, submitted_at: dt.datetime) -> dt.datetime:
    day, counted = e.local_date(submitted_at), 0
    while counted < REVIEW_WORKING_DAYS:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return e.end_of_day(day)


def _submissions_reviewed(engagements: list[_Engagement]) -> _Tally:
    tally = _Tally()
    for e in engagements:
        submitted = {_ids(s, "submission"): s.at for s in e.of("submitted")}
        reviewed: set[str] = set()
        for event in e.of("submission_accepted", "changes_requested"):
            submission = _ids(event, "submission")
            if submission in reviewed:
                continue
            reviewed.add(submission)
            at = _moment(event.details.get("submitted_at")) or submitted.get(submission)
            tally.add(at is not None and event.at < _review_deadline(e, at))
        for submission, at in submitted.items():
            if submission not in reviewed and e.before_cutoff(_review_deadline(e, at)):
                tally.add(False)
    return tally


def _feedback(engagements: list[_Engagement], side: str) -> _Tally:
    tally = _Tally()
    for e in engagements:
        own: dict[str, Event] = {}
        due_elsewhere: set[str] = set()
        for event in e.of("review_submitted"):
            round_ = event.details.get("round")
            if event.side == side:
                own.setdefault(round_, event)
            else:
                due_at = _moment(event.details.get("due_at"))
                if due_at is not None and e.passed(due_at):
                    due_elsewhere.add(round_)
        revealed = {event.details.get("round") for event in e.of("reviews_revealed")}
        for round_ in sorted(set(own) | revealed | due_elsewhere, key=str):
            event = own.get(round_)
            if event is None:
                tally.add(False)
            else:
                due_at = _moment(event.details.get("due_at"))
                tally.add(due_at is None or event.at <= due_at)
    return tally


def _payments(engagements: list[_Engagement]) -> _Tally:
    tally = _Tally()
    for e in engagements:
        completed = next(iter(e.of("completed")), None)
        due_on = _day(completed.details.get("payment_due_on")) if completed else None
        if due_on is None:
            continue
        deadline = e.end_of_day(due_on)
        disputed = {_ids(d, "payment") for d in e.of("payment_disputed")}
        paid = next(
            (p for p in e.of("payment_recorded") if _ids(p, "payment") not in disputed), None
        )
        if paid is not None:
            tally.add(paid.at < deadline)
        elif e.reached(deadline):
            tally.add(False)
    return tally


def _deliverables(engagements: list[_Engagement]) -> _Tally:
    tally = _Tally()
    for e in engagements:
        first: dict[str, Event] = {}
        for event in e.of("submitted"):
            first.setdefault(_ids(event, "deliverable"), event)
        for event in first.values():
            due_on = _day(event.details.get("due_on"))
            if due_on is not None:
                tally.add(event.at < e.end_of_day(due_on))
        if not e.activated:
            continue
        for term in e.history.deliverables:
            if str(term.key) in first or term.due_on is None:
                continue
            if e.by_cutoff(e.end_of_day(term.due_on)):
                tally.add(False)
    return tally


def _messages_answered(engagements: list[_Engagement]) -> tuple[_Tally, set[int]]:
    tally, promises = _Tally(), set()
    for e in engagements:
        hours = e.history.student_response_hours
        if hours is None:
            continue
        promises.add(hours)
        allowed = dt.timedelta(hours=hours)
        waiting_since: dt.datetime | None = None
        for event in e.of("message_posted", "question_answered"):
            if event.kind == "message_posted" and event.side == ORGANIZATION:
                waiting_since = waiting_since or event.at
                continue
            replies = event.side == STUDENT and (
                event.kind == "message_posted" or event.details.get("asked_side") == ORGANIZATION
            )
            if replies and waiting_since is not None:
                tally.add(event.at - waiting_since <= allowed)
                waiting_since = None
        if waiting_since is not None and e.before_cutoff(waiting_since + allowed):
            tally.add(False)
    return tally, promises


def _weekly_updates(engagements: list[_Engagement]) -> _Tally:
    tally = _Tally()
    for e in engagements:
        start, end = e.history.starts_on, e.history.ends_on
        if not e.activated or start is None or end is None:
            continue
        # A block is over once its last day has passed; the day an engagement closed counts as
        # its last day. So a block is over from the first moment of the day after its last day
        # (while the engagement runs) or of its last day (once it closed), whichever comes first.
        closed = e.closed_by_state or (
            e.closed_event_at is not None and e.reached(e.closed_event_at)
        )
        updates = {e.local_date(u.at) for u in e.of("update_posted") if u.side == STUDENT}
        block = start
        while block <= end:
            last = min(block + dt.timedelta(days=6), end)
            over_from = e.end_of_day(last - dt.timedelta(days=1) if closed else last)
            if not e.by_cutoff(over_from):
                break
            tally.add(any(block <= day <= last for day in updates))
            block += dt.timedelta(days=7)
    return tally


# --- Sentences and the index ------------------------------------------------------------------


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _within(promises: frozenset[int]) -> str:
    return f"within {next(iter(promises))} h" if len(promises) == 1 else "within the promised time"


def _rate_component(key: str, weights: Mapping[str, float], tally: _Tally, sentence: str):
    rate = tally.numerator / tally.denominator if tally.denominator else None
    return Component(
        key=key,
        label=LABELS[key],
        numerator=tally.numerator,
        denominator=tally.denominator,
        rate=rate,
        weight=weights[key],
        sentence=sentence if tally.denominator else "nothing to measure yet",
        count=tally.denominator,
    )


def _ratings_component(weights: Mapping[str, float], ratings: Iterable[float]) -> Component:
    valid = [float(r) for r in ratings if RATING_LOW <= float(r) <= RATING_HIGH]
    mean = sum(valid) / len(valid) if valid else None
    return Component(
        key="ratings",
        label=LABELS["ratings"],
        numerator=round(mean, 2) if valid else 0,
        denominator=RATING_HIGH,
        rate=(mean - RATING_LOW) / (RATING_HIGH - RATING_LOW) if valid else None,
        weight=weights["ratings"],
        sentence=(
            f"average {mean:.1f} of {RATING_HIGH} from {_plural(len(valid), 'review')}"
            if valid
            else "no reviews yet"
        ),
        count=len(valid),
    )


def _index(side: str, totals: Totals, components: list[Component]) -> Index:
    enough = totals.engagements >= MIN_ENGAGEMENTS
    measured = [c for c in components if c.rate is not None]
    value = None
    if enough and measured:
        total = sum(c.weight for c in measured)
        value = round(100 * sum(c.weight * c.rate for c in measured) / total, 1)
    return Index(side, value, enough, totals.engagements, components)


# --- Per engagement: what is stored -----------------------------------------------------------

# The rate components each side's index sums over engagements, in the order shown.
ORGANIZATION_RATES = (
    "checkins_held",
    "questions_answered",
    "submissions_reviewed",
    "feedback_on_time",
    "payments_on_time",
)
STUDENT_RATES = (
    "deliverables_on_time",
    "checkins_attended",
    "messages_answered",
    "weekly_updates",
    "feedback_on_time",
)


@dataclass(frozen=True)
class Tallies:
    """One engagement's share of both indexes: (numerator, denominator) per rate component and
    side, whether it counts as history, the response times promised, and the span of `now`
    (inclusive, None = unbounded) over which all of it stays the same without new events."""

    engagement_id: int
    organization: Mapping[str, tuple[int, int]]
    student: Mapping[str, tuple[int, int]]
    counts_as_history: bool
    org_response_hours: int | None
    student_response_hours: int | None
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None


@dataclass(frozen=True)
class Totals:
    """The tallies of one side summed over engagements (or read as sums from stored rows)."""

    rates: Mapping[str, tuple[int, int]]
    engagements: int  # engagements of history
    promises: frozenset[int] = frozenset()  # the response times promised, as far as they differ


def _pair(tally: _Tally) -> tuple[int, int]:
    return tally.numerator, tally.denominator


def engagement_tallies(history: EngagementHistory, now: dt.datetime) -> Tallies:
    """What one engagement adds to the organization's and the student's index at `now`."""
    [e] = _prepare([history], now)
    questions, _ = _questions_answered([e])
    messages, _ = _messages_answered([e])
    organization = {
        "checkins_held": _pair(_checkins([e], ORGANIZATION)),
        "questions_answered": _pair(questions),
        "submissions_reviewed": _pair(_submissions_reviewed([e])),
        "feedback_on_time": _pair(_feedback([e], ORGANIZATION)),
        "payments_on_time": _pair(_payments([e])),
    }
    student = {
        "deliverables_on_time": _pair(_deliverables([e])),
        "checkins_attended": _pair(_checkins([e], STUDENT)),
        "messages_answered": _pair(messages),
        "weekly_updates": _pair(_weekly_updates([e])),
        "feedback_on_time": _pair(_feedback([e], STUDENT)),
    }
    return Tallies(
        engagement_id=history.engagement_id,
        organization=organization,
        student=student,
        counts_as_history=e.counts_as_history(),
        org_response_hours=history.org_response_hours,
        student_response_hours=history.student_response_hours,
        valid_from=e.valid_from,
        valid_until=e.valid_until,
    )


def total(tallies: Iterable[Tallies], side: str) -> Totals:
    """Sum engagements' tallies for one side's index."""
    keys = ORGANIZATION_RATES if side == ORGANIZATION else STUDENT_RATES
    sums = dict.fromkeys(keys, (0, 0))
    engagements, promises = 0, set()
    for t in tallies:
        own = t.organization if side == ORGANIZATION else t.student
        for key in keys:
            n, d = own[key]
            sums[key] = (sums[key][0] + n, sums[key][1] + d)
        engagements += t.counts_as_history
        hours = t.org_response_hours if side == ORGANIZATION else t.student_response_hours
        if hours is not None:
            promises.add(hours)
    return Totals(sums, engagements, frozenset(promises))


def combine(*parts: Totals) -> Totals:
    """Totals of disjoint sets of engagements added up."""
    rates: dict[str, tuple[int, int]] = {}
    for part in parts:
        for key, (n, d) in part.rates.items():
            rates[key] = (rates.get(key, (0, 0))[0] + n, rates.get(key, (0, 0))[1] + d)
    return Totals(
        rates,
        sum(p.engagements for p in parts),
        frozenset().union(*(p.promises for p in parts)),
    )


def _tally(pair: tuple[int, int]) -> _Tally:
    tally = _Tally()
    tally.numerator, tally.denominator = pair
    return tally


# --- The indexes ------------------------------------------------------------------------------


def _prepare(histories: Sequence[EngagementHistory], now: dt.datetime) -> list[_Engagement]:
    now = _moment(now)
    return [_Engagement(h, now) for h in histories]


def organization_index(
    histories: Sequence[EngagementHistory],
    ratings: Iterable[float],
    now: dt.datetime,
    applications: tuple[int, int] = (0, 0),
    interviews: tuple[int, int] = (0, 0),
) -> Index:
    """The organization's index over its projects' engagements, the students' ratings,
    (answered in time, due) applications and (kept, due) interviews, recomputed from the
    histories."""
    totals = total((engagement_tallies(h, now) for h in histories), ORGANIZATION)
    return organization_index_from(totals, ratings, applications, interviews)


def organization_index_from(
    totals: Totals,
    ratings: Iterable[float],
    applications: tuple[int, int] = (0, 0),
    interviews: tuple[int, int] = (0, 0),
) -> Index:
    """The organization's index from summed engagement tallies (stored or recomputed)."""
    w = ORGANIZATION_WEIGHTS
    rates = {key: _tally(totals.rates.get(key, (0, 0))) for key in ORGANIZATION_RATES}
    checkins = rates["checkins_held"]
    questions = rates["questions_answered"]
    reviewed = rates["submissions_reviewed"]
    feedback = rates["feedback_on_time"]
    payments = rates["payments_on_time"]
    answered = _tally(applications)
    kept = _tally(interviews)
    components = [
        _rate_component(
            "checkins_held",
            w,
            checkins,
            f"held {checkins.numerator} of {_plural(checkins.denominator, 'check-in')} "
            "as scheduled",
        ),
        _rate_component(
            "questions_answered",
            w,
            questions,
            f"answered {questions.numerator} of {_plural(questions.denominator, 'question')} "
            f"{_within(totals.promises)}",
        ),
        _rate_component(
            "submissions_reviewed",
            w,
            reviewed,
            f"reviewed {reviewed.numerator} of {_plural(reviewed.denominator, 'submission')} "
            f"within {REVIEW_WORKING_DAYS} working days",
        ),
        _rate_component(
            "feedback_on_time",
            w,
            feedback,
            f"gave {feedback.numerator} of {_plural(feedback.denominator, 'feedback review')} "
            "on time",
        ),
        _rate_component(
            "payments_on_time",
            w,
            payments,
            f"paid {payments.numerator} of {_plural(payments.denominator, 'completed engagement')}"
            " on time",
        ),
        _rate_component(
            "applications_answered",
            w,
            answered,
            f"answered {answered.numerator} of {_plural(answered.denominator, 'application')} "
            f"within {APPLICATION_ANSWER_DAYS} days",
        ),
        _rate_component(
            "interviews_kept",
            w,
            kept,
            f"kept {kept.numerator} of {_plural(kept.denominator, 'interview')}",
        ),
        _ratings_component(w, ratings),
    ]
    return _index(ORGANIZATION, totals, components)


def student_index(
    histories: Sequence[EngagementHistory],
    ratings: Iterable[float],
    now: dt.datetime,
    interviews: tuple[int, int] = (0, 0),
) -> Index:
    """The student's index over their engagements, the organizations' ratings and (attended,
    due) interviews, recomputed from the histories."""
    totals = total((engagement_tallies(h, now) for h in histories), STUDENT)
    return student_index_from(totals, ratings, interviews)


def student_index_from(
    totals: Totals, ratings: Iterable[float], interviews: tuple[int, int] = (0, 0)
) -> Index:
    """The student's index from summed engagement tallies (stored or recomputed)."""
    w = STUDENT_WEIGHTS
    rates = {key: _tally(totals.rates.get(key, (0, 0))) for key in STUDENT_RATES}
    deliverables = rates["deliverables_on_time"]
    attended = rates["checkins_attended"]
    messages = rates["messages_answered"]
    updates = rates["weekly_updates"]
    feedback = rates["feedback_on_time"]
    attended_interviews = _tally(interviews)
    components = [
        _rate_component(
            "deliverables_on_time",
            w,
            deliverables,
            f"submitted {deliverables.numerator} of "
            f"{_plural(deliverables.denominator, 'deliverable')} on time",
        ),
        _rate_component(
            "checkins_attended",
            w,
            attended,
            f"attended {attended.numerator} of {_plural(attended.denominator, 'check-in')}",
        ),
        _rate_component(
            "messages_answered",
            w,
            messages,
            f"answered {messages.numerator} of {_plural(messages.denominator, 'message')} "
            f"{_within(totals.promises)}",
        ),
        _rate_component(
            "weekly_updates",
            w,
            updates,
            f"posted a progress update in {updates.numerator} of "
            f"{_plural(updates.denominator, 'week')}",
        ),
        _rate_component(
            "feedback_on_time",
            w,
            feedback,
            f"gave {feedback.numerator} of {_plural(feedback.denominator, 'feedback review')} "
            "on time",
        ),
        _rate_component(
            "interviews_attended",
            w,
            attended_interviews,
            f"attended {attended_interviews.numerator} of "
            f"{_plural(attended_interviews.denominator, 'interview')}",
        ),
        _ratings_component(w, ratings),
    ]
    return _index(STUDENT, totals, components)
