"""The engagement's timeline: every event of the one event log, as rows people can read, shared
by the page and the API.

Events carry facts, not prose (see engagements.events): ids, ISO-8601 UTC times, sides. Here each
kind becomes a sentence, with times in the viewer's time zone and deliverables by their title in
the agreement. Only what the details say is shown, and details never hold anything private
(a review's content, a message's text), so every reader of the engagement may see every row.

A page of rows costs at most three queries whatever the number of events: the count, the page of
events with their actors, and (only when the page mentions a deliverable) the agreement's
versions for the deliverables' titles.
"""

import datetime
import math
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from practicum.engagements.models import AgreementVersion, Engagement, EngagementEvent, Side
from practicum.projects import money

Kind = EngagementEvent.Kind
PER_PAGE = 100
REASON_CHARS = 300  # reasons can be 2,000 characters; the timeline quotes their start

# Filter groups: key → (label, kinds, the section page the rows link to).
GROUPS: dict[str, tuple[str, frozenset, str]] = {
    "agreement": (
        "Agreement",
        frozenset(
            {
                Kind.DRAFTED,
                Kind.EDIT_PROPOSED,
                Kind.SIGNED,
                Kind.ACTIVATED,
                Kind.AMENDMENT_PROPOSED,
                Kind.AMENDMENT_ACCEPTED,
                Kind.AMENDMENT_REJECTED,
                Kind.CANCELLED,
                Kind.MENTOR_CHANGED,
            }
        ),
        "engagements:detail",
    ),
    "deliverables": (
        "Deliverables",
        frozenset({Kind.SUBMITTED, Kind.SUBMISSION_ACCEPTED, Kind.CHANGES_REQUESTED}),
        "deliverables:list",
    ),
    "checkins": (
        "Check-ins",
        frozenset(
            {
                Kind.CHECKIN_HELD,
                Kind.CHECKIN_MISSED,
                Kind.CHECKIN_RESCHEDULED,
                Kind.AGENDA_ITEM_EDITED,
                Kind.AGENDA_ITEM_DELETED,
            }
        ),
        "checkins:list",
    ),
    "messages": (
        "Messages",
        frozenset({Kind.MESSAGE_POSTED, Kind.QUESTION_ANSWERED}),
        "messaging:thread",
    ),
    "updates": (
        "Progress updates",
        frozenset(
            {Kind.UPDATE_POSTED, Kind.UPDATE_COMMENTED, Kind.UPDATE_EDITED, Kind.UPDATE_DELETED}
        ),
        "progress:list",
    ),
    "learning": ("Learning", frozenset({Kind.SKILL_PRACTISED}), "learning:plan"),
    "completion": (
        "Feedback & completion",
        frozenset(
            {
                Kind.REVIEW_SUBMITTED,
                Kind.REVIEWS_REVEALED,
                Kind.COMPLETED,
                Kind.PAYMENT_RECORDED,
                Kind.PAYMENT_CONFIRMED,
                Kind.PAYMENT_DISPUTED,
            }
        ),
        "completion:detail",
    ),
}
GROUP_CHOICES = [(key, label) for key, (label, _, _) in GROUPS.items()]
GROUP_OF = {kind: key for key, (_, kinds, _) in GROUPS.items() for kind in kinds}
# Feedback rows link to the feedback page rather than the completion page.
_URL_OF_KIND = {
    Kind.REVIEW_SUBMITTED: "reviews:engagement",
    Kind.REVIEWS_REVEALED: "reviews:engagement",
}


class Order:
    OLDEST = "oldest"
    NEWEST = "newest"
    CHOICES = [(OLDEST, "Oldest first"), (NEWEST, "Newest first")]


@dataclass(frozen=True)
class TimelineRow:
    id: int
    kind: str
    kind_label: str
    group: str
    group_label: str
    at: datetime.datetime
    actor: object  # the User, or None for Practicum itself (and deleted accounts)
    side: str  # "student", "organization" or "" (Practicum)
    side_label: str
    sentence: str
    url: str


@dataclass(frozen=True)
class TimelinePage:
    rows: list[TimelineRow]
    number: int
    pages: int
    count: int
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def timeline(
    engagement: Engagement,
    *,
    group: str = "",
    order: str = Order.OLDEST,
    page: int = 1,
    per_page: int = PER_PAGE,
    tz: datetime.tzinfo | None = None,
) -> TimelinePage:
    """One page of the engagement's events as rows, oldest first (or newest first), optionally
    only one group's kinds. `page` is clamped to the pages there are. Times in sentences are in
    `tz` (the current time zone by default: the viewer's, set by the middleware).
    `engagement` should come with its project, organization and student loaded."""
    events = EngagementEvent.objects.filter(engagement=engagement)
    if group in GROUPS:
        events = events.filter(kind__in=GROUPS[group][1])
    count = events.count()
    pages = max(1, math.ceil(count / per_page))
    number = min(max(1, page), pages)
    ordering = ("-at", "-pk") if order == Order.NEWEST else ("at", "pk")
    start = (number - 1) * per_page
    page_events = list(events.select_related("actor").order_by(*ordering)[start : start + per_page])
    context = _Context(engagement, tz or timezone.get_current_timezone())
    rows = [_row(event, context) for event in page_events]
    return TimelinePage(rows, number, pages, count, per_page)


class _Context:
    """What sentences need besides the event: names, time zones, deliverables' titles (read
    once, only when a row asks for one)."""

    def __init__(self, engagement: Engagement, tz):
        self.engagement = engagement
        self.tz = tz
        self.student_name = engagement.student.name
        self.organization_name = engagement.project.organization.name
        self.project_tz = engagement.project.zone
        self._titles: dict | None = None
        self._urls: dict[str, str] = {}

    def deliverable(self, key) -> str:
        if self._titles is None:
            # Latest version wins: a renamed deliverable keeps its key (engagements.terms).
            self._titles = {}
            versions = AgreementVersion.objects.filter(engagement=self.engagement).order_by(
                "number"
            )
            for terms in versions.values_list("terms", flat=True):
                for deliverable in (terms or {}).get("deliverables") or []:
                    if isinstance(deliverable, dict) and deliverable.get("key"):
                        self._titles[deliverable["key"]] = deliverable.get("title") or ""
        title = _pick(self._titles, key)
        if title:
            return f"“{title}”"
        return f"deliverable {key}" if isinstance(key, str) and key else "a deliverable"

    def side_name(self, side) -> str:
        if side == Side.STUDENT:
            return self.student_name
        if side == Side.ORGANIZATION:
            return self.organization_name
        return ""

    def url(self, name: str) -> str:
        if name not in self._urls:
            self._urls[name] = reverse(name, args=[self.engagement.pk])
        return self._urls[name]


def _row(event: EngagementEvent, context: _Context) -> TimelineRow:
    details = event.details if isinstance(event.details, dict) else {}
    group = GROUP_OF.get(event.kind, "")
    side = details.get("side") if details.get("side") in Side.values else ""
    url_name = _URL_OF_KIND.get(event.kind) or (GROUPS[group][2] if group else "")
    return TimelineRow(
        id=event.pk,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        group=group,
        group_label=GROUPS[group][0] if group else "",
        at=event.at,
        actor=event.actor,
        side=side,
        side_label=context.side_name(side) or ("Practicum" if event.actor is None else ""),
        sentence=sentence(event, context),
        url=context.url(url_name) if url_name else "",
    )


# Formatting the facts.


def _moment(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


def _when(value, tz) -> str:
    """ "3 Dec, 10:00" in the viewer's zone; "an unknown time" when the fact is missing."""
    moment = _moment(value)
    if moment is None:
        return "an unknown time"
    return date_format(timezone.localtime(moment, tz), "j M, H:i")


def _day(value) -> str:
    try:
        return date_format(datetime.date.fromisoformat(value), "j M Y")
    except (TypeError, ValueError):
        return ""


def _duration(seconds: float) -> str:
    minutes = max(0, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    days, hours = divmod(hours, 24)
    return f"{days} days" + (f" {hours} h" if hours else "")


def _hours(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    text = f"{number:g}"
    return f"{text} hour" if number == 1 else f"{text} hours"


def _quote(text) -> str:
    return Truncator(" ".join(str(text).split())).chars(REASON_CHARS) if text else ""


def _end(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _with_reason(text: str, reason) -> str:
    reason = _quote(reason)
    return _end(f"{text}: {reason}" if reason else text)


def _pick(mapping: dict, key, default=None):
    """mapping[key] for a text key; details may hold anything (lists, dicts) by mistake."""
    return mapping.get(key, default) if isinstance(key, str) else default


def _number(value) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "?"


# One function per kind: (who, details, event, context) → the sentence.


def _drafted(who, d, event, c):
    return (
        "The agreement was drafted from the project and the application "
        f"(version {_number(d.get('version'))})."
    )


def _edit_proposed(who, d, event, c):
    return (
        f"{who} proposed changes to the draft agreement: version {_number(d.get('version'))} "
        f"replaces version {_number(d.get('replaces'))}."
    )


def _signed(who, d, event, c):
    side = d.get("side")
    whom = "as the student" if side == Side.STUDENT else f"for {c.organization_name}"
    return f"{who} signed version {_number(d.get('version'))} of the agreement {whom}."


def _activated(who, d, event, c):
    return f"Both sides signed version {_number(d.get('version'))}: the engagement is active."


def _mentor_changed(who, d, event, c):
    mentor = d.get("mentor_name") or "nobody"
    if d.get("reason") == "member_removed":
        left = d.get("previous_name") or "The mentor"
        return f"{left} left {c.organization_name}: the mentor is now {mentor}."
    return f"{who} made {mentor} the mentor (was {d.get('previous_name') or 'nobody'})."


def _amendment_proposed(who, d, event, c):
    return _with_reason(
        f"{who} proposed an amendment (version {_number(d.get('version'))})", d.get("reason")
    )


def _amendment_accepted(who, d, event, c):
    return f"{who} accepted the amendment: version {_number(d.get('version'))} is now in force."


def _amendment_rejected(who, d, event, c):
    return _with_reason(
        f"{who} rejected the amendment (version {_number(d.get('version'))})", d.get("reason")
    )


def _cancelled(who, d, event, c):
    return _with_reason(f"{who} cancelled the engagement", d.get("reason"))


def _submitted(who, d, event, c):
    text = (
        f"{who} submitted {c.deliverable(d.get('deliverable'))} "
        f"(submission {_number(d.get('number'))})"
    )
    due = d.get("due_on")
    try:
        late = timezone.localtime(event.at, c.project_tz).date() > datetime.date.fromisoformat(due)
    except (TypeError, ValueError):
        late = False
    if late:
        text += f", after its due date of {_day(due)}"
    return _end(text)


def _submission_accepted(who, d, event, c):
    return (
        f"{who} accepted {c.deliverable(d.get('deliverable'))} "
        f"(submitted {_when(d.get('submitted_at'), c.tz)})."
    )


def _changes_requested(who, d, event, c):
    return (
        f"{who} asked for changes to {c.deliverable(d.get('deliverable'))} "
        f"(submitted {_when(d.get('submitted_at'), c.tz)})."
    )


def _first_planned(d, c) -> str:
    scheduled, original = _moment(d.get("scheduled_at")), _moment(d.get("originally_at"))
    if original is None or original == scheduled:
        return ""
    return f" (first planned for {_when(d.get('originally_at'), c.tz)})"


def _checkin_held(who, d, event, c):
    return (
        f"{who} marked the check-in of {_when(d.get('scheduled_at'), c.tz)} as held"
        f"{_first_planned(d, c)}."
    )


_MISSED_BY = {"both": "both sides"}


def _checkin_missed(who, d, event, c):
    missed_by = d.get("missed_by")
    by = _pick(_MISSED_BY, missed_by) or c.side_name(missed_by) or "someone"
    return (
        f"{who} recorded the check-in of {_when(d.get('scheduled_at'), c.tz)} as missed by "
        f"{by}{_first_planned(d, c)}."
    )


def _checkin_rescheduled(who, d, event, c):
    return _with_reason(
        f"{who} moved the check-in of {_when(d.get('from'), c.tz)} to {_when(d.get('to'), c.tz)}",
        d.get("reason"),
    )


def _message_posted(who, d, event, c):
    return f"{who} asked a question." if d.get("question") else f"{who} posted a message."


def _question_answered(who, d, event, c):
    asked_side = d.get("asked_side")
    if asked_side == d.get("side"):
        whose = "their own question"
    else:
        whose = f"{c.side_name(asked_side) or 'the other side'}’s question"
    asked = _moment(d.get("asked_at"))
    text = f"{who} marked {whose} (asked {_when(d.get('asked_at'), c.tz)}) as answered"
    if asked is not None:
        text += f" after {_duration((event.at - asked).total_seconds())}"
    return _end(text)


def _update_posted(who, d, event, c):
    hours = _hours(d.get("hours"))
    return f"{who} posted a progress update" + (f" ({hours} worked)." if hours else ".")


def _update_commented(who, d, event, c):
    return f"{who} commented on a progress update."


def _update_was(d) -> str:
    before = d.get("before") if isinstance(d.get("before"), dict) else {}
    text = f"it said “{_quote(before.get('done')) or '…'}”"
    hours = _hours(before.get("hours"))
    return text + (f" ({hours} worked)" if hours else "")


def _update_edited(who, d, event, c):
    hours = _hours(d.get("hours"))
    now = f", now {hours} worked" if hours else ""
    return f"{who} edited a progress update{now}; before, {_update_was(d)}."


def _update_deleted(who, d, event, c):
    return f"{who} deleted a progress update; {_update_was(d)}."


def _agenda_item_edited(who, d, event, c):
    return (
        f"{who} edited an agenda point of the check-in of {_when(d.get('scheduled_at'), c.tz)}; "
        f"before, it said “{_quote(d.get('before')) or '…'}”."
    )


def _agenda_item_deleted(who, d, event, c):
    return (
        f"{who} deleted an agenda point of the check-in of {_when(d.get('scheduled_at'), c.tz)}; "
        f"it said “{_quote(d.get('before')) or '…'}”."
    )


def _skill_practised(who, d, event, c):
    return f"{who} recorded that {c.student_name} practised {d.get('name') or 'a skill'}."


_ROUNDS = {"midpoint": "mid-point", "final": "final"}


def _review_submitted(who, d, event, c):
    round_ = _pick(_ROUNDS, d.get("round"))
    text = f"{who} submitted their {round_ + ' ' if round_ else ''}feedback"
    due = _moment(d.get("due_at"))
    if due is not None and event.at > due:
        text += f", after it was due ({_when(d.get('due_at'), c.tz)})"
    return _end(text)


_REVEALED_BECAUSE = {
    "both_submitted": "both sides submitted theirs",
    "window_closed": "the feedback window closed",
}


def _reviews_revealed(who, d, event, c):
    round_ = _pick(_ROUNDS, d.get("round"))
    why = _pick(_REVEALED_BECAUSE, d.get("reason"), "")
    text = f"The {round_ + ' ' if round_ else ''}feedback is now visible to both sides"
    return _end(f"{text}: {why}" if why else text)


def _completed(who, d, event, c):
    how = "as partially completed" if d.get("partial") else "as completed"
    text = _with_reason(f"{who} marked the engagement {how}", d.get("reason"))
    due = _day(d.get("payment_due_on"))
    return f"{text} Payment is due by {due}." if due else text


def _payment_recorded(who, d, event, c):
    amount, currency = d.get("amount"), d.get("currency")
    if isinstance(amount, int) and not isinstance(amount, bool) and isinstance(currency, str):
        text = f"{who} recorded a payment of {money.format_money(amount, currency)}"
    else:
        text = f"{who} recorded a payment"
    paid_on = _day(d.get("paid_on"))
    if paid_on:
        text += f" made on {paid_on}"
    if d.get("reference"):
        text += f" (reference: {_quote(d['reference'])})"
    return _end(text)


def _payment_confirmed(who, d, event, c):
    return f"{who} confirmed receiving the payment."


def _payment_disputed(who, d, event, c):
    return _with_reason(f"{who} disputed the payment", d.get("reason"))


SENTENCES = {
    Kind.DRAFTED: _drafted,
    Kind.EDIT_PROPOSED: _edit_proposed,
    Kind.SIGNED: _signed,
    Kind.ACTIVATED: _activated,
    Kind.AMENDMENT_PROPOSED: _amendment_proposed,
    Kind.AMENDMENT_ACCEPTED: _amendment_accepted,
    Kind.AMENDMENT_REJECTED: _amendment_rejected,
    Kind.CANCELLED: _cancelled,
    Kind.MENTOR_CHANGED: _mentor_changed,
    Kind.SUBMITTED: _submitted,
    Kind.SUBMISSION_ACCEPTED: _submission_accepted,
    Kind.CHANGES_REQUESTED: _changes_requested,
    Kind.CHECKIN_HELD: _checkin_held,
    Kind.CHECKIN_MISSED: _checkin_missed,
    Kind.CHECKIN_RESCHEDULED: _checkin_rescheduled,
    Kind.MESSAGE_POSTED: _message_posted,
    Kind.QUESTION_ANSWERED: _question_answered,
    Kind.UPDATE_POSTED: _update_posted,
    Kind.UPDATE_COMMENTED: _update_commented,
    Kind.UPDATE_EDITED: _update_edited,
    Kind.UPDATE_DELETED: _update_deleted,
    Kind.AGENDA_ITEM_EDITED: _agenda_item_edited,
    Kind.AGENDA_ITEM_DELETED: _agenda_item_deleted,
    Kind.SKILL_PRACTISED: _skill_practised,
    Kind.REVIEW_SUBMITTED: _review_submitted,
    Kind.REVIEWS_REVEALED: _reviews_revealed,
    Kind.COMPLETED: _completed,
    Kind.PAYMENT_RECORDED: _payment_recorded,
    Kind.PAYMENT_CONFIRMED: _payment_confirmed,
    Kind.PAYMENT_DISPUTED: _payment_disputed,
}


def sentence(event: EngagementEvent, context: _Context) -> str:
    """The event as a sentence for people. A kind without a sentence yet shows its label."""
    details = event.details if isinstance(event.details, dict) else {}
    who = event.actor.name if event.actor is not None else "Someone"
    write = SENTENCES.get(event.kind)
    if write is None:
        return _end(event.get_kind_display())
    return write(who, details, event, context)
