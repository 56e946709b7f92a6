"""Reads for interviews: an application's interviews for its page, the picked times for
calendars, and the counts the reciprocity index needs; a fixed number of queries each."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from practicum.accounts.models import Membership
from practicum.engagements.models import Application
from practicum.interviews.models import (
    SHORT_NOTICE,
    Interview,
    InterviewEvent,
    InterviewSlot,
    Side,
)

Status = Interview.Status
Kind = InterviewEvent.Kind


def application_of(pk: int) -> Application | None:
    """The application with what the interview pages show of it (check who may see it with
    the engagements.view_application permission)."""
    return (
        Application.objects.select_related("project__organization", "project__mentor", "student")
        .filter(pk=pk)
        .first()
    )


def _interviews() -> QuerySet[Interview]:
    return Interview.objects.select_related("slot").prefetch_related(
        "slots", Prefetch("events", InterviewEvent.objects.select_related("actor"))
    )


def interviews_of(application: Application) -> list[Interview]:
    """The application's interviews, latest first, with their times and history: three
    queries."""
    interviews = list(_interviews().filter(application=application))
    for interview in interviews:
        interview.application = application
    return interviews


def interview_of(application: Application, pk: int) -> Interview | None:
    interview = _interviews().filter(application=application, pk=pk).first()
    if interview is not None:
        interview.application = application
    return interview


def latest_interview(application: Application) -> Interview | None:
    """The application's latest interview with its picked time: one query."""
    interview = Interview.objects.select_related("slot").filter(application=application).first()
    if interview is not None:
        interview.application = application
    return interview


def offered_slots(interview: Interview, now) -> list[InterviewSlot]:
    """The times the student may still pick (reads the prefetched slots)."""
    return [s for s in interview.slots.all() if not s.withdrawn and s.starts_at > now]


def calendar_interviews(user) -> list[Interview]:
    """The interviews with a picked time that `user` is a party to, as the student or as a
    member of the project's organization, for their calendar feed: one query. A cancelled one
    stays (its calendar event shows as cancelled); one waiting for a new pick has no time."""
    organizations = Membership.objects.filter(user=user).values("organization_id")
    return list(
        Interview.objects.filter(slot__isnull=False)
        .filter(
            Q(application__student=user)
            | Q(application__project__organization_id__in=organizations)
        )
        .select_related("slot", "application__project__organization", "application__student")
        .order_by("slot__starts_at", "pk")
    )


@dataclass
class InterviewCounts:
    held: int = 0  # interviews held as scheduled
    no_shows: int = 0  # interviews this side did not show up to
    late_reschedules: int = 0  # times picked that this side took back with < 24 h notice


def interview_counts(
    *, organization_ids=None, student_ids=None
) -> dict[str, dict[int, InterviewCounts]]:
    """For each organization and each student asked for: interviews held, no-shows by them,
    and reschedules by them with less than 24 hours' notice. {"organizations": {id: counts},
    "students": {id: counts}}; everyone asked for is there (zeros when nothing happened).
    Four queries at most, whatever the number of interviews."""
    result: dict[str, dict[int, InterviewCounts]] = {"organizations": {}, "students": {}}
    wanted = (
        ("organizations", Side.ORGANIZATION, "application__project__organization_id",
         organization_ids),
        ("students", Side.STUDENT, "application__student_id", student_ids),
    )  # fmt: skip
    for key, side, owner, ids in wanted:
        if ids is None:
            continue
        ids = list(ids)
        counts = defaultdict(InterviewCounts, {pk: InterviewCounts() for pk in ids})
        rows = (
            Interview.objects.filter(**{f"{owner}__in": ids})
            .values(owner)
            .annotate(
                held=Count("pk", filter=Q(status=Status.HELD)),
                no_shows=Count("pk", filter=Q(status=Status.NO_SHOW, no_show_by=side)),
            )
        )
        for row in rows:
            counts[row[owner]].held = row["held"]
            counts[row[owner]].no_shows = row["no_shows"]
        late = (
            InterviewEvent.objects.filter(kind=Kind.RESCHEDULED, side=side, notice__lt=SHORT_NOTICE)
            .filter(**{f"interview__{owner}__in": ids})
            .values(f"interview__{owner}")
            .annotate(n=Count("pk"))
        )
        for row in late:
            counts[row[f"interview__{owner}"]].late_reschedules = row["n"]
        result[key] = dict(counts)
    return result
