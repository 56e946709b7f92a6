"""Recommendations over JSON: the same selectors and rules as the pages."""

import dataclasses
import datetime

from ninja import Field, Query, Router, Schema

from practicum.core.api import ErrorOut
from practicum.core.errors import Conflict, Refused
from practicum.core.loading import visible_or_404
from practicum.core.schemas import Id, InputSchema
from practicum.projects.api import FitOut, ProjectOrganizationRef
from practicum.projects.selectors import closed_reason
from practicum.recommendations import selectors
from practicum.recommendations.adapter import Fit

router = Router(tags=["recommendations"])


class RecommendedProjectRef(Schema):
    id: int
    url: str
    title: str
    summary: str
    organization: ProjectOrganizationRef
    starts_on: datetime.date
    ends_on: datetime.date
    hours_per_week: int | None
    application_deadline: datetime.date

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class RecommendationOut(FitOut):
    project: RecommendedProjectRef


class RecommendationsOut(Schema):
    profile_is_blank: bool = Field(
        description="The profile says nothing to match on (no skills, interests, about text "
        "or learning goals): results stay empty until it does"
    )
    results: list[RecommendationOut]


class StudentRef(Schema):
    profile_id: int
    url: str = Field(description="The student's profile page")
    name: str
    headline: str


class CandidateOut(FitOut):
    student: StudentRef


class CandidatesOut(Schema):
    results: list[CandidateOut]


class Limit(InputSchema):
    limit: int = Field(10, ge=1, le=50, description="How many results, 1 to 50")


def _fit(fit: Fit) -> dict:
    return {**dataclasses.asdict(fit), "percent": fit.percent}


@router.get(
    "/recommendations/projects",
    response={200: RecommendationsOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Open projects recommended to me (students)",
    description=(
        "The open projects whose dates and weekly hours the student can meet, best fit with "
        "their profile first, each with its score, the score's components and the reasons "
        "for it (codes with parameters, and their sentences). Other accounts get 403 "
        "not_a_student."
    ),
)
def recommended_projects(request, params: Query[Limit]):
    if not request.user.has_perm("recommendations.view_recommendations"):
        raise Refused("not_a_student", "Recommendations are for student accounts.")
    found = selectors.recommended_projects(request.user, limit=params.limit)
    return {
        "profile_is_blank": found.profile_is_blank,
        "results": [{"project": item.project, **_fit(item.fit)} for item in found.items],
    }


@router.get(
    "/projects/{int:project_id}/candidates",
    response={200: CandidatesOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Students suggested for a project (members of its organization)",
    description=(
        "Discoverable students who can meet the project's dates and weekly hours, best fit "
        "first; the reasons' sentences are written about the student. Only students who chose "
        "to be discoverable are ever suggested. Others than the organization's members get "
        "404; a project not taking applications gets 409 project_not_open."
    ),
)
def project_candidates(request, project_id: Id, params: Query[Limit]):
    project = visible_or_404(
        selectors.project_for_candidates(project_id),
        request.user,
        "recommendations.view_candidates",
        what="project",
    )
    not_open = closed_reason(project)
    if not_open:
        raise Conflict(
            "project_not_open", f"Candidates are suggested while it takes applications. {not_open}"
        )
    candidates = selectors.suggested_candidates(project, limit=params.limit)
    return {
        "results": [
            {
                "student": {
                    "profile_id": c.profile.pk,
                    "url": c.profile.get_absolute_url(),
                    "name": c.profile.user.name,
                    "headline": c.profile.headline,
                },
                **_fit(c.fit),
            }
            for c in candidates
        ]
    }
