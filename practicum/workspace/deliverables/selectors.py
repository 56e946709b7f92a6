"""Reads for deliverables: the deliverables of the terms in force, each with its submissions,
its state and whether it is overdue. A fixed number of queries whatever the number of
deliverables or submissions.

Overdue: the due date has passed in the organization's time zone (the day after the due date
has begun there), nothing was submitted by the end of the due date, and the deliverable is not
accepted. A first submission that arrived on time keeps the deliverable on time even if
changes are requested afterwards: the student met the date, the review loop is not lateness.
"""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from practicum.core.cleaning import as_date
from practicum.engagements import lifecycle
from practicum.engagements.models import AgreementVersion, Engagement
from practicum.workspace.deliverables.models import Submission


class State:
    NOT_SUBMITTED = "not_submitted"
    WAITING = "waiting"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    LABELS = {
        NOT_SUBMITTED: "Not submitted",
        WAITING: "Submitted — waiting for review",
        CHANGES_REQUESTED: "Changes requested",
        ACCEPTED: "Accepted",
    }


_STATE_OF_LATEST = {
    Submission.Status.WAITING: State.WAITING,
    Submission.Status.ACCEPTED: State.ACCEPTED,
    Submission.Status.CHANGES_REQUESTED: State.CHANGES_REQUESTED,
}


@dataclass
class DeliverableRow:
    """One deliverable of the terms in force with its submissions (oldest first)."""

    terms: dict
    history: list[Submission] = field(default_factory=list)
    state: str = State.NOT_SUBMITTED
    is_overdue: bool = False

    @property
    def key(self) -> str:
        return self.terms["key"]

    @property
    def title(self) -> str:
        return self.terms.get("title", "")

    @property
    def description(self) -> str:
        return self.terms.get("description") or ""

    @property
    def due_on(self) -> datetime.date | None:
        return as_date(self.terms.get("due_on"))

    @property
    def latest(self) -> Submission | None:
        return self.history[-1] if self.history else None

    @property
    def state_label(self) -> str:
        return State.LABELS[self.state]

    @property
    def waiting(self) -> Submission | None:
        """The submission the organization reviews next, if one waits."""
        latest = self.latest
        return latest if latest and latest.status == Submission.Status.WAITING else None


def deadline(due_on: datetime.date, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The moment a deliverable becomes late: the end of its due date where the organization is."""
    return datetime.datetime.combine(due_on + datetime.timedelta(days=1), datetime.time(), zone)


def current_terms(engagement: Engagement) -> dict | None:
    """The terms of the version in force; None before both sides signed one."""
    version = (
        AgreementVersion.objects.filter(
            engagement=engagement, status=AgreementVersion.Status.CURRENT
        )
        .only("terms")
        .first()
    )
    return version.terms if version is not None else None


def current_deliverables(engagement: Engagement) -> list[dict]:
    return list((current_terms(engagement) or {}).get("deliverables") or [])


def deliverable_of(engagement: Engagement, key: str) -> dict | None:
    return next((d for d in current_deliverables(engagement) if d.get("key") == key), None)


def _submissions() -> QuerySet[Submission]:
    return Submission.objects.select_related("submitted_by", "reviewed_by")


def build_row(
    deliverable: dict,
    history: list[Submission],
    *,
    today: datetime.date,
    zone: zoneinfo.ZoneInfo,
) -> DeliverableRow:
    """The row of one deliverable from its submissions (oldest first), with no query: the
    page, the API and the reminders share this one definition of state and lateness."""
    latest = _STATE_OF_LATEST.get(history[-1].status, State.WAITING) if history else None
    row = DeliverableRow(deliverable, history, state=latest or State.NOT_SUBMITTED)
    due_on = row.due_on
    if due_on is not None and today > due_on and row.state != State.ACCEPTED:
        row.is_overdue = not any(
            timezone.localtime(s.submitted_at, zone).date() <= due_on for s in history
        )
    return row


def deliverable_rows(
    engagement: Engagement, *, today: datetime.date | None = None
) -> list[DeliverableRow]:
    """Per deliverable of the current terms, in the terms' order: the terms dict, the history
    of submissions, the latest, the state and whether it is overdue. `today` is a date in the
    organization's time zone (default: now there). Two queries."""
    deliverables = current_deliverables(engagement)
    if not deliverables:
        return []
    by_key = defaultdict(list)
    for submission in _submissions().filter(engagement=engagement).order_by("number"):
        by_key[submission.deliverable_key].append(submission)
    zone = engagement.project.zone
    today = today or lifecycle.today_of(engagement)
    return [build_row(d, by_key[d["key"]], today=today, zone=zone) for d in deliverables]


def all_accepted_at(engagement: Engagement) -> datetime.datetime | None:
    """When the last deliverable of the current terms was accepted, if every one of them is
    accepted now; None otherwise, and None when the terms list no deliverable."""
    return all_accepted_at_of_many({engagement.pk: current_terms(engagement)}).get(engagement.pk)


def all_accepted_at_of_many(terms_by_engagement: dict[int, dict]) -> dict[int, datetime.datetime]:
    """all_accepted_at() for many engagements, given the terms in force of each, in one query:
    {engagement id: when its last deliverable was accepted}, for those whose deliverables are
    all accepted."""
    keys = {
        engagement_id: {d["key"] for d in (terms or {}).get("deliverables") or []}
        for engagement_id, terms in terms_by_engagement.items()
    }
    accepted = defaultdict(dict)
    rows = Submission.objects.filter(
        engagement_id__in=[pk for pk, wanted in keys.items() if wanted],
        status=Submission.Status.ACCEPTED,
    ).values_list("engagement_id", "deliverable_key", "reviewed_at")
    for engagement_id, key, reviewed_at in rows:
        if key in keys[engagement_id]:
            accepted[engagement_id][key] = reviewed_at
    return {
        engagement_id: max(found.values())
        for engagement_id, found in accepted.items()
        if set(found) == keys[engagement_id]
    }


def submission_of(engagement: Engagement, submission_id: int) -> Submission | None:
    return _submissions().filter(engagement=engagement, pk=submission_id).first()
