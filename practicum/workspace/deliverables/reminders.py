"""Reminders about deliverables, found by the periodic job (practicum/notifications/reminders.py).

A deliverable's deadline is the end of its due date in the organization's time zone. The stored
deadlines (models.Deadline, kept by schedule.py) near now that were not announced yet are found
with an index; their engagements' terms and submissions are then read in two queries, and the
same rules as the page (selectors.build_row) decide. So a pass costs what is due, not what is
active (issue 14).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django.urls import reverse

from practicum.engagements import lifecycle
from practicum.engagements.models import AgreementVersion, Engagement
from practicum.engagements.notices import engagement_organization_side
from practicum.notifications.reminders import Reminder, reminder_finder
from practicum.notifications.selectors import announced
from practicum.workspace.deliverables import selectors
from practicum.workspace.deliverables.models import Deadline, Submission

DUE_SOON_LEAD = datetime.timedelta(hours=48)
# Deliverables that became overdue longer ago than this are not announced: a freshly deployed
# job must not send a burst of news about old deadlines.
OVERDUE_LOOKBACK = datetime.timedelta(days=7)


def _not_announced(kind: str, deadlines):
    return deadlines.filter(engagement__state=Engagement.State.ACTIVE).exclude(
        announced(kind, Engagement, OuterRef("engagement_id"), OuterRef("occurrence"))
    )


def _rows(deadlines, now: datetime.datetime) -> Iterator[tuple]:
    """(engagement, row, deadline) for the deliverables of these stored deadlines, from the
    terms in force and the submissions, as the page builds them."""
    wanted = defaultdict(set)
    for engagement_id, key in deadlines.values_list("engagement_id", "deliverable_key"):
        wanted[engagement_id].add(key)
    if not wanted:
        return
    versions = AgreementVersion.objects.filter(
        engagement_id__in=wanted, status=AgreementVersion.Status.CURRENT
    ).select_related("engagement__project", "engagement__student", "engagement__mentor")
    history = defaultdict(list)
    submissions = Submission.objects.filter(engagement_id__in=wanted).only(
        "engagement_id", "deliverable_key", "number", "status", "submitted_at"
    )
    for submission in submissions.order_by("number"):
        history[submission.engagement_id, submission.deliverable_key].append(submission)
    for version in versions:
        engagement = version.engagement
        zone = engagement.project.zone
        today = lifecycle.today_of(engagement, now)
        for deliverable in version.terms.get("deliverables") or []:
            if deliverable["key"] not in wanted[engagement.pk]:
                continue
            row = selectors.build_row(
                deliverable, history[engagement.pk, deliverable["key"]], today=today, zone=zone
            )
            if row.due_on is not None:
                yield engagement, row, selectors.deadline(row.due_on, zone)


def _reminder(person, kind: str, engagement: Engagement, row) -> Reminder:
    return Reminder(
        person,
        kind,
        engagement,
        f"{row.key}:{row.due_on.isoformat()}",
        {"deliverable": row.key, "due_on": row.due_on, "project": engagement.project.title},
        url=reverse("deliverables:list", args=[engagement.pk]),
        title=row.title,
    )


@reminder_finder
def deliverables_due_soon(now: datetime.datetime) -> Iterator[Reminder]:
    """The student, once per deliverable and due date, when its deadline is within 48 hours
    and nothing was submitted for it yet (a submission already counts as on time)."""
    near = Deadline.objects.filter(deadline__gt=now, deadline__lte=now + DUE_SOON_LEAD).exclude(
        Exists(
            Submission.objects.filter(
                engagement_id=OuterRef("engagement_id"), deliverable_key=OuterRef("deliverable_key")
            )
        )
    )
    for engagement, row, deadline in _rows(_not_announced("deliverable_due_soon", near), now):
        if row.state == selectors.State.NOT_SUBMITTED and now < deadline <= now + DUE_SOON_LEAD:
            yield _reminder(engagement.student, "deliverable_due_soon", engagement, row)


@reminder_finder
def deliverables_overdue(now: datetime.datetime) -> Iterator[Reminder]:
    """The student and the organization's side (mentor and owners), once per deliverable and
    due date, when it became overdue (selectors: nothing submitted by the due date and not
    accepted) within the last week."""
    passed = Deadline.objects.filter(
        deadline__gt=now - OVERDUE_LOOKBACK, deadline__lte=now
    ).exclude(
        # Handed in by the deadline: never overdue.
        Exists(
            Submission.objects.filter(
                engagement_id=OuterRef("engagement_id"),
                deliverable_key=OuterRef("deliverable_key"),
                submitted_at__lt=OuterRef("deadline"),
            )
        )
    )
    for engagement, row, deadline in _rows(_not_announced("deliverable_overdue", passed), now):
        if row.is_overdue and deadline > now - OVERDUE_LOOKBACK:
            for person in [engagement.student, *engagement_organization_side(engagement)]:
                yield _reminder(person, "deliverable_overdue", engagement, row)
