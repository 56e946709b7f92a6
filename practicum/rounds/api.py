"""Match rounds over JSON: the same services, selectors and rules as the pages.

Outsiders get 404 for a round; participants who try what is not theirs get 403. State changes
the table does not allow are 409 illegal_transition.
"""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from practicum.accounts.models import Institution, Organization
from practicum.core.api import ErrorOut
from practicum.core.errors import Conflict, Refused
from practicum.core.loading import visible_or_404
from practicum.core.pagination import Pagination
from practicum.core.schemas import DateTime, Id, InputSchema, SingleLine, Slug
from practicum.matching.reasons import UnmatchedReason
from practicum.projects.models import Project
from practicum.projects.services import CAPACITY_MAX
from practicum.recommendations.reasons import Audience, sentence
from practicum.rounds import selectors, services
from practicum.rounds.models import (
    MAX_CHOICES,
    MatchRound,
    RoundProject,
)

router = Router(tags=["match rounds"])


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RoundOwnerOut(Schema):
    kind: str = Field(description="institution or organization")
    slug: str
    name: str


class RoundOut(Schema):
    id: int
    url: str = Field(description="The staff's page of the round")
    name: str
    owner: RoundOwnerOut
    state: str = Field(description="draft, ranking, matched (preview), published or cancelled")
    state_label: str
    ranking_deadline: datetime.datetime | None
    created_at: datetime.datetime
    matched_at: datetime.datetime | None
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_owner(obj) -> dict:
        kind = "institution" if obj.institution_id else "organization"
        return {"kind": kind, "slug": obj.owner.slug, "name": obj.owner.name}

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()


class RoundIn(InputSchema):
    name: SingleLine
    institution: Slug | None = Field(None, description="Slug; give this or organization")
    organization: Slug | None = Field(None, description="Slug; give this or institution")
    ranking_deadline: DateTime | None = None


class RoundPatchIn(InputSchema):
    name: SingleLine | None = None
    ranking_deadline: DateTime | None = Field(
        None, description="Send null to clear it (drafts only); leave it out to keep it"
    )


class RoundProjectRef(Schema):
    id: int
    title: str
    organization: str = Field(alias="organization.name")
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class RoundProjectOut(Schema):
    project: RoundProjectRef
    capacity: int = Field(description="Places in the round")
    places_at_run: int | None = Field(description="Places the run could fill, once it has run")
    ranking_method: str = Field(description='"manual", "fit" or "" (not ranked yet)')
    ranked_at: datetime.datetime | None


class RoundProjectIn(InputSchema):
    project_id: int
    capacity: int | None = Field(
        None, ge=0, le=CAPACITY_MAX, description="Default: the project's remaining places"
    )


class RoundCapacityIn(InputSchema):
    capacity: int = Field(ge=0, le=CAPACITY_MAX)


class RoundStudentRef(Schema):
    id: int
    name: str
    email: str


class RoundStudentOut(Schema):
    student: RoundStudentRef
    added_at: datetime.datetime


class RoundStudentsIn(InputSchema):
    emails: list[SingleLine] = Field(default_factory=list)
    all_of_institution: bool = Field(
        False, description="Add every student of the round's institution instead"
    )


class RoundStudentsAddedOut(Schema):
    added: int


class RoundRankingIn(InputSchema):
    project_ids: list[int] = Field(description=f"Best first, at most {MAX_CHOICES}")


class RoundRankingOut(Schema):
    projects: list[RoundProjectRef] = Field(description="Your ranking, best first")
    may_rank: bool = Field(description="Ranking is open and the deadline has not passed")
    ranking_deadline: datetime.datetime | None


class RoundApplicantRankingIn(InputSchema):
    student_ids: list[int] = Field(description="User ids, best first; left out = not acceptable")


class RoundPersonOut(Schema):
    id: int
    name: str


class RoundApplicantOut(Schema):
    student: RoundPersonOut
    position: int | None = Field(description="The project's rank for the student, if ranked")
    fit_percent: int | None


class RoundApplicantRankingOut(Schema):
    project: RoundProjectRef
    ranking_method: str
    ranked_at: datetime.datetime | None
    applicants: list[RoundApplicantOut] = Field(description="Ranked first, in order; then the rest")
    matches: list[RoundPersonOut] = Field(description="Students matched with it, once published")


class RoundRunIn(InputSchema):
    force: bool = Field(False, description="Run before the ranking deadline")


class RoundResultOut(Schema):
    student: RoundPersonOut
    project: RoundProjectRef | None
    choice: int | None = Field(description="1 = the student's first choice")
    reason: UnmatchedReason | Literal[""] = Field(description="Why unmatched; empty if matched")
    reason_text: str = Field(
        description="Why unmatched, in words (about the student, or to them in their own "
        "result); empty if matched"
    )
    application_id: int | None = Field(description="The offer, once published")

    @staticmethod
    def resolve_student(obj):
        return obj.round_student.student

    @staticmethod
    def resolve_project(obj):
        return obj.round_project.project if obj.round_project_id else None

    @staticmethod
    def resolve_reason_text(obj) -> str:
        return sentence(obj.reason, Audience.ABOUT_STUDENT) if obj.reason else ""


class RoundFillOut(Schema):
    project: RoundProjectRef
    places: int
    matched: int
    rate: int = Field(description="Percentage of the places filled")

    @staticmethod
    def resolve_project(obj):
        return obj.entry.project


class RoundPreviewOut(Schema):
    round: RoundOut
    matched_count: int
    results: list[RoundResultOut] = Field(description="Every student, by name")
    unmatched: list[RoundResultOut]
    projects: list[RoundFillOut] = Field(alias="fills")


class MyRoundResultOut(RoundResultOut):
    message: str

    @staticmethod
    def resolve_reason_text(obj) -> str:
        return sentence(obj.reason, Audience.STUDENT) if obj.reason else ""

    @staticmethod
    def resolve_message(obj) -> str:
        return selectors.result_message(obj)


def _visible(request, round_id: int) -> MatchRound:
    return visible_or_404(
        selectors.round_with_owner(round_id), request.user, "rounds.view_round", what="round"
    )


def _managed(request, round_id: int) -> MatchRound:
    match_round = _visible(request, round_id)
    if not request.user.has_perm("rounds.manage_round", match_round):
        raise Refused("not_round_staff", "Only the people who run this round can do this.")
    return match_round


def _round_project(match_round: MatchRound, project_id: int) -> RoundProject:
    return visible_or_404(selectors.round_project(match_round, project_id), what="entry")


@router.post(
    "/rounds",
    response={201: RoundOut, **ERRORS},
    summary="Start a match round (institution staff or organization owners)",
)
def create_round(request, payload: RoundIn):
    bodies = {}
    if payload.institution is not None:
        bodies["institution"] = Institution.objects.filter(slug=payload.institution).first()
    if payload.organization is not None:
        bodies["organization"] = Organization.objects.filter(slug=payload.organization).first()
    unknown = {name: ["No such " + name + "."] for name, body in bodies.items() if body is None}
    if unknown:
        raise ValidationError(unknown)
    match_round = services.create_round(
        by=request.user,
        name=payload.name,
        ranking_deadline=payload.ranking_deadline,
        **bodies,
    )
    return Status(201, match_round)


@router.get(
    "/rounds",
    response={200: list[RoundOut], 401: ErrorOut},
    summary="The rounds you run, newest first",
)
@paginate(Pagination)
def list_rounds(request):
    return list(selectors.rounds_run_by(request.user))


@router.get("/rounds/{int:round_id}", response={200: RoundOut, **ERRORS}, summary="A round")
def get_round(request, round_id: Id):
    return _visible(request, round_id)


@router.patch(
    "/rounds/{int:round_id}",
    response={200: RoundOut, **ERRORS},
    summary="Rename the round or move its ranking deadline (staff, before the run)",
)
def update_round(request, round_id: Id, payload: RoundPatchIn):
    match_round = _managed(request, round_id)
    sent = payload.model_dump(exclude_unset=True)
    return services.update_round(
        match_round,
        by=request.user,
        name=sent.get("name", match_round.name),
        ranking_deadline=sent.get("ranking_deadline", match_round.ranking_deadline),
    )


@router.get(
    "/rounds/{int:round_id}/projects",
    response={200: list[RoundProjectOut], **ERRORS},
    summary="The round's projects and their places (staff)",
)
@paginate(Pagination)
def list_projects(request, round_id: Id):
    return selectors.round_projects(_managed(request, round_id))


@router.post(
    "/rounds/{int:round_id}/projects",
    response={201: RoundProjectOut, **ERRORS},
    summary="Add a project taking applications (staff, before the run)",
    description="409 already_in_round; 422 for a project that is not taking applications or is "
    "full, or a capacity above its remaining places.",
)
def add_project(request, round_id: Id, payload: RoundProjectIn):
    match_round = _managed(request, round_id)
    project = Project.objects.select_related("organization").filter(pk=payload.project_id).first()
    # Another organization's draft does not exist for the caller.
    if project is None or not request.user.has_perm("projects.view_project", project):
        raise ValidationError({"project_id": ["No such project."]})
    entry = services.add_project(
        match_round, by=request.user, project=project, capacity=payload.capacity
    )
    return Status(201, entry)


@router.patch(
    "/rounds/{int:round_id}/projects/{int:project_id}",
    response={200: RoundProjectOut, **ERRORS},
    summary="Change a project's places in the round (staff, before the run)",
)
def set_capacity(request, round_id: Id, project_id: Id, payload: RoundCapacityIn):
    entry = _round_project(_managed(request, round_id), project_id)
    return services.set_capacity(entry, by=request.user, capacity=payload.capacity)


@router.delete(
    "/rounds/{int:round_id}/projects/{int:project_id}",
    response={204: None, **ERRORS},
    summary="Take a project out of the round (staff, before the run)",
)
def remove_project(request, round_id: Id, project_id: Id):
    entry = _round_project(_managed(request, round_id), project_id)
    services.remove_project(entry, by=request.user)
    return Status(204, None)


@router.get(
    "/rounds/{int:round_id}/students",
    response={200: list[RoundStudentOut], **ERRORS},
    summary="The round's students (staff)",
)
@paginate(Pagination)
def list_students(request, round_id: Id):
    return selectors.round_students(_managed(request, round_id))


@router.post(
    "/rounds/{int:round_id}/students",
    response={200: RoundStudentsAddedOut, **ERRORS},
    summary="Add students by email, or every student of the institution (staff, before the run)",
    description="All or nothing: 422 names every address that cannot join. Students already "
    "in the round are skipped.",
)
def add_students(request, round_id: Id, payload: RoundStudentsIn):
    match_round = _managed(request, round_id)
    if payload.all_of_institution:
        return {"added": services.add_institution_students(match_round, by=request.user)}
    added = services.add_students(match_round, by=request.user, emails=payload.emails)
    return {"added": len(added)}


@router.delete(
    "/rounds/{int:round_id}/students/{int:student_id}",
    response={204: None, **ERRORS},
    summary="Take a student out of the round (staff, before the run)",
)
def remove_student(request, round_id: Id, student_id: Id):
    match_round = _managed(request, round_id)
    entry = visible_or_404(selectors.round_student(match_round, student_id), what="entry")
    services.remove_student(entry, by=request.user)
    return Status(204, None)


@router.post(
    "/rounds/{int:round_id}/open",
    response={200: RoundOut, **ERRORS},
    summary="Open ranking (staff; needs a project, a student and a deadline ahead)",
)
def open_ranking(request, round_id: Id):
    return services.open_ranking(_managed(request, round_id), by=request.user)


@router.post(
    "/rounds/{int:round_id}/cancel",
    response={200: RoundOut, **ERRORS},
    summary="Cancel the round before publication (staff)",
)
def cancel_round(request, round_id: Id):
    return services.cancel_round(_managed(request, round_id), by=request.user)


@router.post(
    "/rounds/{int:round_id}/reopen",
    response={200: RoundOut, **ERRORS},
    summary="Throw the unpublished result away and re-open ranking (staff)",
)
def reopen_ranking(request, round_id: Id):
    return services.reopen_ranking(_managed(request, round_id), by=request.user)


@router.get(
    "/rounds/{int:round_id}/rankings/me",
    response={200: RoundRankingOut, **ERRORS},
    summary="Your ranking of the round's projects (students of the round)",
)
def my_ranking(request, round_id: Id):
    match_round = _visible(request, round_id)
    entry = selectors.round_entry(match_round, request.user)
    if entry is None:
        raise Refused("not_in_round", "Only the round's students rank its projects.")
    return _ranking_out(match_round, selectors.ranked_projects(entry))


def _ranking_out(match_round: MatchRound, ranking: list[RoundProject]) -> dict:
    return {
        "projects": [entry.project for entry in ranking],
        "may_rank": match_round.state == MatchRound.State.RANKING
        and not match_round.deadline_passed(),
        "ranking_deadline": match_round.ranking_deadline,
    }


@router.put(
    "/rounds/{int:round_id}/rankings/me",
    response={200: RoundRankingOut, **ERRORS},
    summary="Rank the round's projects, best first (students of the round)",
    description=f"At most {MAX_CHOICES}, each once, only the round's (422); only while ranking "
    "is open and before the deadline (409 ranking_closed).",
)
def rank_projects(request, round_id: Id, payload: RoundRankingIn):
    match_round = _visible(request, round_id)
    ranking = services.rank_projects(match_round, by=request.user, project_ids=payload.project_ids)
    return _ranking_out(match_round, ranking)


def _ranked_project(request, round_id: int, project_id: int) -> RoundProject:
    entry = visible_or_404(
        selectors.round_project(_visible(request, round_id), project_id),
        request.user,
        "rounds.rank_applicants",
        what="entry",
    )
    return entry


def _applicants_out(entry: RoundProject) -> dict:
    # Re-read: the ranking may have just changed.
    entry.refresh_from_db(fields=["ranking_method", "ranked_at"])
    return {
        "project": entry.project,
        "ranking_method": entry.ranking_method,
        "ranked_at": entry.ranked_at,
        "applicants": [
            {"student": a.student, "position": a.position, "fit_percent": a.fit_percent}
            for a in selectors.applicants_with_fit(entry)
        ],
        "matches": [r.round_student.student for r in selectors.matches_of(entry)],
    }


@router.get(
    "/rounds/{int:round_id}/projects/{int:project_id}/ranking",
    response={200: RoundApplicantRankingOut, **ERRORS},
    summary="The project's applicants in the round and its ranking (its organization)",
)
def applicant_ranking(request, round_id: Id, project_id: Id):
    return _applicants_out(_ranked_project(request, round_id, project_id))


@router.put(
    "/rounds/{int:round_id}/projects/{int:project_id}/ranking",
    response={200: RoundApplicantRankingOut, **ERRORS},
    summary="Rank the project's applicants, best first (its organization, until the run)",
    description="Only students of the round who ranked the project, each once (422).",
)
def rank_applicants(request, round_id: Id, project_id: Id, payload: RoundApplicantRankingIn):
    entry = _ranked_project(request, round_id, project_id)
    services.rank_applicants(entry, by=request.user, student_ids=payload.student_ids)
    return _applicants_out(entry)


@router.post(
    "/rounds/{int:round_id}/projects/{int:project_id}/ranking/adopt-fit",
    response={200: RoundApplicantRankingOut, **ERRORS},
    summary="Rank every applicant by fit score, best first; ties by student id",
)
def adopt_fit_order(request, round_id: Id, project_id: Id):
    entry = _ranked_project(request, round_id, project_id)
    services.adopt_fit_order(entry, by=request.user)
    return _applicants_out(entry)


@router.post(
    "/rounds/{int:round_id}/run",
    response={200: RoundOut, **ERRORS},
    summary="Run the stable match (staff; after the deadline unless forced)",
    description="409 deadline_not_passed before the deadline without force; 409 "
    "illegal_transition unless ranking is open.",
)
def run_round(request, round_id: Id, payload: RoundRunIn):
    match_round = _managed(request, round_id)
    services.run_round(match_round, by=request.user, force=payload.force)
    return selectors.round_with_owner(round_id)


@router.get(
    "/rounds/{int:round_id}/preview",
    response={200: RoundPreviewOut, **ERRORS},
    summary="Every student's outcome and each project's fill (staff, once run)",
)
def preview(request, round_id: Id):
    match_round = _managed(request, round_id)
    if match_round.state not in (MatchRound.State.MATCHED, MatchRound.State.PUBLISHED):
        raise Conflict("not_run", "The round has not been run yet.")
    return selectors.preview(match_round)


@router.post(
    "/rounds/{int:round_id}/publish",
    response={200: RoundOut, **ERRORS},
    summary="Publish: every match becomes an offer (staff, after the run)",
    description="All or nothing: 409 offer_failed names the offer that could not be made.",
)
def publish_round(request, round_id: Id):
    return services.publish_round(_managed(request, round_id), by=request.user)


@router.get(
    "/rounds/{int:round_id}/result/me",
    response={200: MyRoundResultOut, **ERRORS},
    summary="Your result (students of the round, once published)",
    description="409 not_published until the staff publish the round.",
)
def my_result(request, round_id: Id):
    match_round = _visible(request, round_id)
    if selectors.round_entry(match_round, request.user) is None:
        raise Refused("not_in_round", "Only the round's students have a result in it.")
    result = selectors.published_result(match_round, request.user)
    if result is None:
        raise Conflict("not_published", "The results of this round are not published yet.")
    return result
