"""Reads for credentials: what a completed engagement attests (the facts a credential is built
from), a credential as a given viewer may see it, the student's list, the status lists."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from practicum.completion.models import Completion
from practicum.core.loading import visible_or_404
from practicum.credentials.models import Credential
from practicum.engagements import lifecycle
from practicum.engagements.models import Engagement
from practicum.reviews.models import VerifiedSkill
from practicum.workspace.deliverables.selectors import State, deliverable_rows
from practicum.workspace.progress.selectors import hours_summary

PAGE_SIZE = 20


@dataclass(frozen=True)
class EndorsedSkill:
    skill_id: int
    slug: str
    name: str
    level: int
    level_label: str


@dataclass(frozen=True)
class DeliverableFact:
    title: str
    accepted_at: datetime.datetime | None  # None: not accepted


@dataclass(frozen=True)
class Facts:
    """What a completed engagement attests, read once when a credential is issued."""

    project_title: str
    project_summary: str
    organization_name: str
    organization_path: str  # the organization's page on the platform
    organization_website: str
    student_name: str
    student_email: str
    zone: datetime.tzinfo  # the project's: dates are days there
    starts_on: datetime.date | None
    completed_at: datetime.datetime
    partial: bool
    deliverables: list[DeliverableFact]
    hours_reported: Decimal
    hours_agreed: int | None
    skills: list[EndorsedSkill]

    @property
    def accepted(self) -> list[DeliverableFact]:
        return [d for d in self.deliverables if d.accepted_at is not None]


def endorsed_skills(engagement: Engagement) -> list[EndorsedSkill]:
    """The skills the organization endorsed in the revealed final review (verified skills),
    strongest first. One query."""
    verified = (
        VerifiedSkill.objects.filter(engagement=engagement)
        .select_related("skill")
        .order_by("-level", "skill__name")
    )
    return [
        EndorsedSkill(v.skill_id, v.skill.slug, v.skill.name, v.level, v.get_level_display())
        for v in verified
    ]


def facts_of(engagement: Engagement) -> Facts:
    """The facts of a completed engagement. A fixed number of queries."""
    engagement = Engagement.objects.select_related("project__organization", "student").get(
        pk=engagement.pk
    )
    project, organization = engagement.project, engagement.project.organization
    completion = Completion.objects.get(engagement=engagement)
    reported, agreed = hours_summary(engagement)
    deliverables = [
        DeliverableFact(
            row.title,
            row.latest.reviewed_at if row.state == State.ACCEPTED and row.latest else None,
        )
        for row in deliverable_rows(engagement)
    ]
    return Facts(
        project_title=project.title,
        project_summary=project.summary,
        organization_name=organization.name,
        organization_path=organization.get_absolute_url(),
        organization_website=organization.website,
        student_name=engagement.student.name,
        student_email=engagement.student.email,
        zone=project.zone,
        starts_on=lifecycle.starts_on(engagement),
        completed_at=completion.completed_at,
        partial=completion.partial,
        deliverables=deliverables,
        hours_reported=reported,
        hours_agreed=agreed,
        skills=endorsed_skills(engagement),
    )


def _credentials() -> QuerySet[Credential]:
    return Credential.objects.select_related("superseded_by")


def credential_for(user, credential_id) -> Credential:
    """The credential if `user` may see it: anybody while it is shown, only its student once
    hidden (404 for everyone else, as if it did not exist)."""
    credential = _credentials().filter(pk=credential_id).first()
    return visible_or_404(credential, user, "credentials.view_credential", what="credential")


def credentials_of(student) -> QuerySet[Credential]:
    """The student's current credentials, newest first (earlier versions are reached from the
    version that superseded them)."""
    return Credential.objects.filter(student=student, superseded_at__isnull=True).order_by(
        "-issued_at", "pk"
    )


def current_credential(engagement: Engagement) -> Credential | None:
    return Credential.objects.filter(engagement=engagement, superseded_at__isnull=True).first()


def revoked_indexes(status_list: int) -> set[int]:
    """The revoked bits of one status list. One query."""
    return set(
        Credential.objects.filter(status_list=status_list, revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    )


def status_list_exists(status_list: int) -> bool:
    return Credential.objects.filter(status_list=status_list).exists()
