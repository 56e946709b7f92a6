"""Reads for the reciprocity index and the dashboards: the engagement histories of an
organization or a student in three queries whatever their number (engagements with their
project, agreement versions, events), handed to the pure functions of index.py.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from practicum.accounts.models import Membership, Organization
from practicum.core.loading import visible_or_404
from practicum.engagements.models import AgreementVersion, Engagement, EngagementEvent
from practicum.engagements.selectors import shown_version
from practicum.profiles.models import StudentProfile
from practicum.reciprocity import index as idx


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _hours(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _deliverables(terms: dict) -> tuple[idx.DeliverableTerm, ...]:
    items = terms.get("deliverables") or []
    return tuple(
        idx.DeliverableTerm(str(d.get("key")), _date(d.get("due_on")))
        for d in items
        if isinstance(d, dict) and d.get("key")
    )


def histories(engagements: Q) -> list[idx.EngagementHistory]:
    """The history of every engagement matching `engagements` (a Q on Engagement): the terms in
    force (or the draft, for one never signed) and the events the index reads. Three queries."""
    rows = list(
        Engagement.objects.filter(engagements)
        .select_related("project")
        .only("pk", "state", "project__timezone")
        .order_by("pk")
    )
    matching = Engagement.objects.filter(engagements).values("pk")
    versions: dict[int, list[AgreementVersion]] = defaultdict(list)
    for version in (
        AgreementVersion.objects.filter(engagement__in=matching)
        .only("engagement_id", "number", "status", "terms")
        .order_by("engagement_id", "number")
    ):
        versions[version.engagement_id].append(version)
    events: dict[int, list[idx.Event]] = defaultdict(list)
    for engagement_id, kind, at, details in (
        EngagementEvent.objects.filter(engagement__in=matching, kind__in=idx.KINDS)
        .order_by("at", "pk")
        .values_list("engagement_id", "kind", "at", "details")
    ):
        details = details if isinstance(details, dict) else {}
        events[engagement_id].append(idx.Event(kind, at, details.get("side"), details))
    result = []
    for engagement in rows:
        version = shown_version(versions[engagement.pk])
        terms = version.terms if version is not None and isinstance(version.terms, dict) else {}
        result.append(
            idx.EngagementHistory(
                engagement_id=engagement.pk,
                state=engagement.state,
                starts_on=_date(terms.get("starts_on")),
                ends_on=_date(terms.get("ends_on")),
                org_response_hours=_hours(terms.get("response_time_hours")),
                student_response_hours=_hours(terms.get("student_response_time_hours")),
                events=tuple(events[engagement.pk]),
                deliverables=_deliverables(terms),
                timezone=engagement.project.timezone,
            )
        )
    return result


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


def organization_reciprocity(organization: Organization, *, now=None) -> idx.Index:
    return idx.organization_index(
        organization_histories(organization),
        organization_ratings(organization),
        now or timezone.now(),
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
    return idx.student_index(
        student_histories(student), student_ratings(student), now or timezone.now()
    )


# --- Dashboards --------------------------------------------------------------------------------


@dataclass
class StateGroup:
    state: str
    label: str
    engagements: list[Engagement]

    @property
    def count(self) -> int:
        return len(self.engagements)


def by_state(engagements) -> list[StateGroup]:
    """Engagements grouped by state, in lifecycle order; every state listed, even empty."""
    groups = {state: StateGroup(state, label, []) for state, label in Engagement.State.choices}
    for engagement in engagements:
        groups[engagement.state].engagements.append(engagement)
    return list(groups.values())


def _dashboard_engagements() -> QuerySet[Engagement]:
    return Engagement.objects.select_related("project__organization", "student", "mentor").order_by(
        "-created_at", "-pk"
    )


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
