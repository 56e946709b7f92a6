"""The figures behind the analytics pages: counts in SQL, one query a figure whatever the
organization's size. The reciprocity over time is services.organization_over_time(): it stores
the month ends it computes."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from practicum.accounts.models import Organization
from practicum.analytics.charts import Series
from practicum.core.loading import visible_or_404
from practicum.engagements.models import Application, Engagement, Side
from practicum.projects.models import Project
from practicum.projects.selectors import ANSWER_WITHIN
from practicum.reviews.models import Review, VerifiedSkill
from practicum.workspace.progress.models import ProgressUpdate

MONTHS = 6
PROJECTS_PER_PAGE = 10

AS = Application.Status
FUNNEL_STEPS = ("Views", "Applications", "Shortlisted", "Offered", "Accepted", "Completed")


def _funnel_counts(prefix: str = "") -> dict:
    """Each step counts those that got at least that far (an offer made straight from the
    inbox still passed the shortlist), so the funnel only narrows."""
    apps = f"{prefix}applications"
    offered = Q(**{f"{apps}__offered_at__isnull": False})
    return {
        "applied": Count(apps, distinct=True),
        "shortlisted": Count(
            apps, distinct=True, filter=Q(**{f"{apps}__status": AS.SHORTLISTED}) | offered
        ),
        "offered": Count(apps, distinct=True, filter=offered),
        "accepted": Count(apps, distinct=True, filter=Q(**{f"{apps}__status": AS.ACCEPTED})),
        "completed": Count(
            f"{prefix}engagements",
            distinct=True,
            filter=Q(**{f"{prefix}engagements__state": Engagement.State.COMPLETED}),
        ),
    }


@dataclass(frozen=True)
class Funnel:
    views: int
    applied: int
    shortlisted: int
    offered: int
    accepted: int
    completed: int

    @property
    def steps(self) -> list[tuple[str, int]]:
        values = (
            self.views,
            self.applied,
            self.shortlisted,
            self.offered,
            self.accepted,
            self.completed,
        )
        return list(zip(FUNNEL_STEPS, values, strict=True))

    def series(self, title: str) -> Series:
        return Series(title, list(FUNNEL_STEPS), [value for _, value in self.steps])


def _funnel(row: dict) -> Funnel:
    return Funnel(**{name: row[name] or 0 for name in Funnel.__dataclass_fields__})


def visible_organization(user, slug: str) -> Organization:
    """The organization whose analytics `user` may see (its members); a 404 for anyone else."""
    return visible_or_404(
        Organization.objects.filter(slug=slug).first(),
        user,
        "analytics.view_organization_analytics",
        what="organization",
    )


def organization_projects(organization: Organization):
    """The organization's published projects (drafts have no funnel), newest first, with their
    funnels: one query a page."""
    return (
        Project.objects.filter(organization=organization)
        .exclude(status=Project.Status.DRAFT)
        .annotate(**_funnel_counts())
        .order_by("-published_at", "-pk")
    )


def project_funnel(project) -> Funnel:
    return _funnel({**vars(project), "views": project.view_count})


def organization_funnel(organization: Organization) -> Funnel:
    """All the organization's projects together: two queries (views, then the steps)."""
    projects = Project.objects.filter(organization=organization).exclude(
        status=Project.Status.DRAFT
    )
    views = projects.aggregate(views=Sum("view_count"))["views"]
    steps = Organization.objects.filter(pk=organization.pk).aggregate(
        **_funnel_counts("projects__")
    )
    return _funnel({**steps, "views": views})


@dataclass(frozen=True)
class FirstAnswers:
    answered: int
    median_hours: float | None  # from the application to the organization's first answer
    waiting: int  # not answered yet
    overdue: int  # waiting longer than ANSWER_WITHIN


def first_answers(applications) -> FirstAnswers:
    """How long applicants wait for a first answer (shortlist, offer or rejection)."""
    now = timezone.now()
    waits = [
        (answered - sent).total_seconds() / 3600
        for sent, answered in applications.filter(answered_at__isnull=False).values_list(
            "created_at", "answered_at"
        )
    ]
    unanswered = applications.filter(answered_at__isnull=True, status__in=[AS.SUBMITTED])
    counts = unanswered.aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(created_at__lt=now - ANSWER_WITHIN))
    )
    return FirstAnswers(
        answered=len(waits),
        median_hours=round(statistics.median(waits), 1) if waits else None,
        waiting=counts["waiting"],
        overdue=counts["overdue"],
    )


def organization_first_answers(organization: Organization) -> FirstAnswers:
    return first_answers(Application.objects.filter(project__organization=organization))


def month_ends(now: datetime.datetime, months: int = MONTHS) -> list[datetime.datetime]:
    """The last `months` month ends up to now, the current month's being now."""
    ends = [now]
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(months - 1):
        ends.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(ends))


def month_label(moment: datetime.datetime) -> str:
    shown = moment - datetime.timedelta(microseconds=1) if moment.day == 1 else moment
    return f"{shown:%b %Y}"


@dataclass(frozen=True)
class OverTime:
    labels: list[str]
    index: list[float | None]  # the overall reciprocity index (None: not enough history)
    checkins: list[float | None]  # % of check-ins held as scheduled

    def series(self) -> dict[str, Series]:
        return {
            "reciprocity": Series("Reciprocity index", self.labels, self.index, "of 100"),
            "checkins": Series("Check-ins held as scheduled", self.labels, self.checkins, "%"),
        }


@dataclass(frozen=True)
class StudentProgress:
    labels: list[str]
    hours: list[float]
    engagements: list[int]
    skills_verified: list[int]
    rating: list[float | None]  # average score of the reviews received that month, of 5

    def series(self) -> dict[str, Series]:
        return {
            "hours": Series("Hours reported", self.labels, self.hours, "hours"),
            "engagements": Series("Engagements begun", self.labels, self.engagements),
            "skills": Series("Skills verified", self.labels, self.skills_verified),
            "ratings": Series("Average rating received", self.labels, self.rating, "of 5"),
        }


def _by_month(queryset, field: str, value) -> dict[str, float]:
    rows = (
        queryset.annotate(month=TruncMonth(field))
        .values("month")
        .annotate(value=value)
        .values_list("month", "value")
    )
    return {f"{month:%b %Y}": value for month, value in rows if month is not None}


def student_progress(student) -> StudentProgress:
    """The last months of a student's record: four queries whatever its length."""
    now = timezone.now()
    ends = month_ends(now)
    since = ends[0].replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    labels = [month_label(end) for end in ends]
    hours = _by_month(
        ProgressUpdate.objects.filter(author=student, created_at__gte=since),
        "created_at",
        Sum("hours"),
    )
    begun = _by_month(
        Engagement.objects.filter(student=student, created_at__gte=since),
        "created_at",
        Count("pk"),
    )
    skills = _by_month(
        VerifiedSkill.objects.filter(student=student, verified_at__gte=since),
        "verified_at",
        Count("pk"),
    )
    ratings: dict[str, list[float]] = {}
    received = Review.objects.filter(
        engagement__student=student,
        side=Side.ORGANIZATION,
        revealed_at__gte=since,
    ).values_list("revealed_at", "scores")
    for revealed_at, scores in received:
        values = [v for v in (scores or {}).values() if isinstance(v, int | float)]
        if values:
            ratings.setdefault(f"{revealed_at:%b %Y}", []).append(sum(values) / len(values))
    return StudentProgress(
        labels=labels,
        hours=[float(hours.get(label) or 0) for label in labels],
        engagements=[int(begun.get(label) or 0) for label in labels],
        skills_verified=[int(skills.get(label) or 0) for label in labels],
        rating=[
            round(statistics.mean(ratings[label]), 2) if label in ratings else None
            for label in labels
        ],
    )
