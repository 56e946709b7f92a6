"""Feedback over JSON: the same selectors and services as the feedback page.

Double-blind in the API: the other side's review of a round answers 404 with the code "hidden"
until the round is revealed (both submitted, or the window closed), and 404 "not_submitted"
once revealed if that side wrote nothing. Private notes appear only in your own side's review
(`/mine`), never in `/other` or `/reviews`.
"""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from practicum.core import idempotency
from practicum.core.api import ErrorOut
from practicum.core.errors import ServiceError
from practicum.core.loading import visible_or_404
from practicum.core.pagination import Pagination
from practicum.core.schemas import Id, InputSchema, MultiLine
from practicum.profiles.models import StudentProfile
from practicum.reviews import rubric, selectors, services
from practicum.reviews.models import Review
from practicum.workspace import access

router = Router(tags=["reviews"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ReviewPersonRef(Schema):
    id: int
    name: str


class ReviewSkillRef(Schema):
    id: int
    slug: str
    name: str


class ReviewEndorsementOut(Schema):
    skill: ReviewSkillRef
    level: int = Field(description="1 Beginner, 2 Working, 3 Proficient, 4 Expert")
    level_name: str

    @staticmethod
    def resolve_level_name(obj) -> str:
        return obj.get_level_display()


class ReviewOut(Schema):
    """A review as the other side reads it once revealed."""

    id: int
    round: str = Field(description="midpoint or final")
    side: str = Field(description="The side that wrote it: student or organization")
    author: ReviewPersonRef | None
    scores: dict[str, int] = Field(description="Criterion key → 1–5 (see /feedback/rubric)")
    mean_score: float
    strengths: str = Field(description='Markdown; "What went well" for the student')
    to_improve: str = Field(description='Markdown; "Areas to grow" for the organization')
    recommend: bool | None = Field(
        description="Student: would recommend the organization; organization (final round "
        "only): would work with the student again"
    )
    endorsements: list[ReviewEndorsementOut] = Field(description="Final organization review")
    submitted_at: datetime.datetime
    updated_at: datetime.datetime
    revealed_at: datetime.datetime | None

    @staticmethod
    def resolve_endorsements(obj) -> list:
        return list(obj.endorsements.all())


class ReviewMineOut(ReviewOut):
    """Your own side's review, with your private note (only the Practicum team reads it)."""

    private_note: str


class ReviewRoundOut(Schema):
    round: str = Field(description="midpoint or final")
    label: str
    opens_at: datetime.datetime
    due_at: datetime.datetime
    state: str = Field(description="upcoming, open, revealed, or closed (closed with no review)")
    state_label: str
    side: str = Field(description="Your side")
    my_review_submitted: bool
    other_review_submitted: bool
    can_write: bool = Field(description="You may submit or edit your side's review now")

    @staticmethod
    def resolve_opens_at(obj) -> datetime.datetime:
        return obj.window.opens_at

    @staticmethod
    def resolve_due_at(obj) -> datetime.datetime:
        return obj.window.due_at

    @staticmethod
    def resolve_my_review_submitted(obj) -> bool:
        return obj.my_submitted

    @staticmethod
    def resolve_other_review_submitted(obj) -> bool:
        return obj.other_submitted


class ReviewEndorsementIn(InputSchema):
    skill: int = Field(description="A skill id of the taxonomy")
    level: int = Field(description="1 Beginner, 2 Working, 3 Proficient, 4 Expert")


class ReviewIn(InputSchema):
    scores: dict[str, int] = Field(description="Every criterion of your side → 1–5")
    strengths: MultiLine = ""
    to_improve: MultiLine = ""
    recommend: bool | None = Field(
        None, description="Required of the student, and of the organization in the final round"
    )
    endorsements: list[ReviewEndorsementIn] = Field(
        default_factory=list, description="Organization, final round only"
    )
    private_note: MultiLine = Field("", description="For the Practicum team only")


class ReviewCriterionOut(Schema):
    key: str
    label: str
    question: str
    levels: list[str] = Field(description="The rubric sentence for scores 1 to 5")


class ReviewRubricOut(Schema):
    organization: list[ReviewCriterionOut] = Field(description="The organization about the student")
    student: list[ReviewCriterionOut] = Field(description="The student about the organization")


class ReviewOrganizationRef(Schema):
    slug: str
    name: str


class ReviewVerifiedSkillOut(Schema):
    skill: ReviewSkillRef
    level: int = Field(description="The level observed: 1 Beginner … 4 Expert")
    level_name: str
    organization: ReviewOrganizationRef
    engagement_id: int
    project_title: str
    verified_at: datetime.datetime

    @staticmethod
    def resolve_level_name(obj) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_project_title(obj) -> str:
        return obj.engagement.project.title


def _row(request, engagement_id: Id, round: str):
    """The engagement and the round as the user sees it; 404 when the engagement has no such
    round (unknown name, engagement not active yet or cancelled)."""
    engagement = access.readable(request.user, engagement_id)
    if round not in Review.Round.values:
        raise Http404
    row = visible_or_404(
        selectors.row_of(selectors.review_rows_for(engagement, request.user), round),
        what="feedback round",
    )
    return engagement, row


@router.get(
    "/feedback/rubric",
    response={200: ReviewRubricOut, 401: ErrorOut},
    summary="The criteria of each side's review with the rubric sentence of every score",
)
def get_rubric(request):
    def described(criteria):
        return [
            {"key": c.key, "label": c.label, "question": c.question, "levels": list(c.levels)}
            for c in criteria
        ]

    return {
        "organization": described(rubric.ABOUT_STUDENT),
        "student": described(rubric.ABOUT_ORGANIZATION),
    }


@router.get(
    "/engagements/{int:engagement_id}/feedback",
    response={200: list[ReviewRoundOut], **READ_ERRORS},
    summary="The engagement's feedback rounds with their windows and reveal state",
    description="Empty until the engagement is active (and for cancelled ones).",
)
def list_rounds(request, engagement_id: Id):
    return selectors.review_rows_for(access.readable(request.user, engagement_id), request.user)


@router.get(
    "/engagements/{int:engagement_id}/feedback/{round}/mine",
    response={200: ReviewMineOut, **READ_ERRORS},
    summary="Your side's review of a round (the student, or the mentor and owners)",
    description="404 not_submitted before your side wrote one.",
)
def get_my_review(request, engagement_id: Id, round: str):
    engagement, row = _row(request, engagement_id, round)
    access.require_party(request.user, engagement)
    if row.mine is None:
        raise ServiceError("not_submitted", "Your side has not written this review.", status=404)
    return row.mine


@router.put(
    "/engagements/{int:engagement_id}/feedback/{round}/mine",
    response={200: ReviewMineOut, **ERRORS},
    summary="Submit or edit your side's review of a round",
    openapi_extra=idempotency.OPENAPI,
    description=(
        "404 when the engagement has no such round (not active yet, or cancelled). "
        "While the round is open: 409 round_not_open before it opens, 409 revealed once both "
        "sides submitted or the window closed, 409 round_closed after a window that closed "
        "empty. 422 for a missing or out-of-range score (1–5), a yes/no answer missing or not "
        "asked, or endorsements outside the organization's final review."
    ),
)
def put_my_review(request, engagement_id: Id, round: str, payload: ReviewIn):
    engagement, _ = _row(request, engagement_id, round)
    data = payload.model_dump()
    services.submit_review(
        engagement, round, by=request.user, idempotency_key=idempotency.key_of(request), **data
    )
    return selectors.row_of(selectors.review_rows_for(engagement, request.user), round).mine


@router.get(
    "/engagements/{int:engagement_id}/feedback/{round}/other",
    response={200: ReviewOut, **READ_ERRORS},
    summary="The other side's review of a round, once revealed",
    description="404 hidden until the round is revealed; 404 not_submitted if they wrote none.",
)
def get_other_review(request, engagement_id: Id, round: str):
    engagement, row = _row(request, engagement_id, round)
    access.require_party(request.user, engagement)
    if row.state != selectors.State.REVEALED:
        raise ServiceError(
            "hidden",
            "The other side's review stays hidden until both have submitted or the round closes.",
            status=404,
        )
    if row.other is None:
        raise ServiceError("not_submitted", "The other side wrote no review.", status=404)
    return row.other


@router.get(
    "/engagements/{int:engagement_id}/feedback/{round}/reviews",
    response={200: list[ReviewOut], **READ_ERRORS},
    summary="Both sides' reviews of a round once revealed (for the parties)",
    description="Empty until the round is revealed. Never includes private notes.",
)
def list_revealed_reviews(request, engagement_id: Id, round: str):
    _, row = _row(request, engagement_id, round)
    if row.state != selectors.State.REVEALED:
        return []
    return [r for r in (row.by_organization, row.by_student) if r is not None]


@router.get(
    "/students/{int:profile_id}/verified-skills",
    response={200: list[ReviewVerifiedSkillOut], 401: ErrorOut, 404: ErrorOut},
    summary="A student's verified skills: endorsements of revealed final reviews",
    description=(
        "`profile_id` is the profile's id (as in /students/<id>/). Visible to whoever may see "
        "the profile; 404 otherwise."
    ),
)
@paginate(Pagination)
def list_verified_skills(request, profile_id: Id):
    profile = visible_or_404(
        StudentProfile.objects.select_related("user").filter(pk=profile_id).first(),
        request.user,
        "profiles.view_profile",
        what="student",
    )
    return selectors.verified_skills_of(profile.user)
