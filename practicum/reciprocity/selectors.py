"""Reads for the reciprocity index and the dashboards. The index of an organization or a
student sums the stored per-engagement rows (models.EngagementTally) in the database and
recomputes only rows that are not current, in a fixed number of queries whatever the number of
engagements; `recomputed_*` replays every history through index.py instead, to check.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from practicum.accounts.models import Membership, Organization
from practicum.core.loading import visible_or_404
from practicum.engagements.models import Application, Engagement
from practicum.interviews.selectors import InterviewCounts, interview_counts
from practicum.profiles.models import StudentProfile
from practicum.reciprocity import index as idx
from practicum.reciprocity import services
from practicum.reciprocity.histories import histories


def organization_histories(organization: Organization) -> list[idx.EngagementHistory]:
    return histories(Q(project__organization=organization))


def student_histories(student) -> list[idx.EngagementHistory]:
    return histories(Q(student=student))


def organization_ratings(organization: Organization) -> list[float]:
    """The 1–5 ratings students gave the organization (practicum.reviews)."""
    # Imported here: reviews builds on engagements as this app does, and reads nothing of it.
    from practicum.reviews.selectors import ratings_received_by_organization

    return [float(r) for r in ratings_received_by_organization(organization)]


def student_ratings(student) -> list[float]:
    """The 1–5 ratings organizations gave the student (practicum.reviews)."""
    from practicum.reviews.selectors import ratings_received_by_student

    return [float(r) for r in ratings_received_by_student(student)]


def applications_answered(organization: Organization, now: datetime.datetime) -> tuple[int, int]:
    """(answered within 14 days, due) of the applications to the organization's projects, as
    index.py defines them. One aggregate query."""
    window = datetime.timedelta(days=idx.APPLICATION_ANSWER_DAYS)
    in_time = Q(answered_at__isnull=False, answered_at__lte=F("created_at") + window)
    late = Q(answered_at__isnull=False, answered_at__gt=F("created_at") + window) | Q(
        answered_at__isnull=True, created_at__lt=now - window
    ) & (
        ~Q(status=Application.Status.WITHDRAWN) | Q(status_changed_at__gt=F("created_at") + window)
    )
    counts = Application.objects.filter(project__organization=organization).aggregate(
        kept=Count("pk", filter=in_time), late=Count("pk", filter=late)
    )
    return counts["kept"], counts["kept"] + counts["late"]


def _kept(counts: InterviewCounts) -> tuple[int, int]:
    """(kept, due) as index.py defines interviews kept or attended: held, over held plus this
    side's no-shows and moves with less than 24 hours' notice."""
    return counts.held, counts.held + counts.no_shows + counts.late_reschedules


def interviews_kept(organization: Organization) -> tuple[int, int]:
    """(held, due) of the interviews for the organization's projects, as they stand now. Two
    aggregate queries."""
    counts = interview_counts(organization_ids=[organization.pk])["organizations"]
    return _kept(counts[organization.pk])


def interviews_attended(student) -> tuple[int, int]:
    """(held, due) of the student's interviews, as they stand now. Two aggregate queries."""
    return _kept(interview_counts(student_ids=[student.pk])["students"][student.pk])


def organization_reciprocity(organization: Organization, *, now=None) -> idx.Index:
    """The index from the stored rows (those not current recomputed): six queries when all are
    current, ten otherwise."""
    totals = services.current_totals(
        Q(project__organization=organization),
        Q(organization=organization),
        idx.ORGANIZATION,
        now=now,
    )
    return idx.organization_index_from(
        totals,
        organization_ratings(organization),
        applications_answered(organization, now or timezone.now()),
        interviews_kept(organization),
    )


def recomputed_organization_reciprocity(organization: Organization, *, now=None) -> idx.Index:
    """The same index replayed from every history: what the stored one must equal."""
    now = now or timezone.now()
    return idx.organization_index(
        organization_histories(organization),
        organization_ratings(organization),
        now,
        applications_answered(organization, now),
        interviews_kept(organization),
    )


def visible_student_profile(user, pk: int) -> StudentProfile:
    """The profile whose index `user` may see, or Http404: they are not told it exists."""
    profile = visible_or_404(
        StudentProfile.objects.select_related("user").filter(pk=pk).first(),
        user,
        "reciprocity.view_student_index",
        what="student",
    )
    return profile


def student_reciprocity(student, *, now=None) -> idx.Index:
    """The index from the stored rows (those not current recomputed): five queries when all are
    current, nine otherwise."""
    totals = services.current_totals(Q(student=student), Q(student=student), idx.STUDENT, now=now)
    return idx.student_index_from(totals, student_ratings(student), interviews_attended(student))


def recomputed_student_reciprocity(student, *, now=None) -> idx.Index:
    """The same index replayed from every history: what the stored one must equal."""
    return idx.student_index(
        student_histories(student),
        student_ratings(student),
        now or timezone.now(),
        interviews_attended(student),
    )


# --- Dashboards --------------------------------------------------------------------------------


# Engagements listed on a page of a dashboard.
DASHBOARD_PAGE_SIZE = 25


@dataclass
class StateGroup:
    state: str
    label: str
    count: int  # in all
    engagements: list[Engagement]  # those on the page shown


@dataclass
class Dashboard:
    groups: list[StateGroup]
    page: Page  # of engagements, in lifecycle order of their state, newest first within it

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def by_state(engagements: QuerySet[Engagement], page_number) -> Dashboard:
    """The engagements counted by state (every state listed, even empty) and one page of them
    grouped by state, in lifecycle order: two queries whatever their number."""
    by_state_counts = engagements.order_by().values("state").annotate(n=Count("pk"))
    counts = {row["state"]: row["n"] for row in by_state_counts}
    states = [state for state, _ in Engagement.State.choices]
    in_order = engagements.alias(
        lifecycle=Case(*(When(state=s, then=Value(n)) for n, s in enumerate(states)))
    ).order_by("lifecycle", "-created_at", "-pk")
    paginator = Paginator(in_order, DASHBOARD_PAGE_SIZE)
    # The total is known from the counts: the paginator need not ask the database again.
    paginator.count = sum(counts.values())
    page = paginator.get_page(page_number)
    groups = {
        state: StateGroup(state, label, counts.get(state, 0), [])
        for state, label in Engagement.State.choices
    }
    for engagement in page:
        groups[engagement.state].engagements.append(engagement)
    return Dashboard(list(groups.values()), page)


def _dashboard_engagements() -> QuerySet[Engagement]:
    return Engagement.objects.select_related("project__organization", "student", "mentor")


def student_engagements(student) -> QuerySet[Engagement]:
    return _dashboard_engagements().filter(student=student)


def memberships_of(user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def organization_engagements_for(membership: Membership) -> QuerySet[Engagement]:
    """The organization's engagements this member may open: all of them for an owner, those
    they mentor for a mentor (as engagements.view_engagement decides)."""
    engagements = _dashboard_engagements().filter(
        project__organization_id=membership.organization_id
    )
    if membership.role != Membership.Role.OWNER:
        engagements = engagements.filter(mentor_id=membership.user_id)
    return engagements
