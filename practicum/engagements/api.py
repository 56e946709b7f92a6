"""Applications and engagements over JSON: the same services, selectors and rules as the pages."""

import datetime
from dataclasses import asdict
from typing import Annotated, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.pagination import Pagination
from practicum.core.schemas import ID_MAX, Id, InputSchema, MultiLine, SingleLine
from practicum.engagements import agreements, selectors, services, terms
from practicum.engagements.forms import ApplicantFilterForm
from practicum.engagements.models import Application
from practicum.engagements.selectors import Sort

router = Router(tags=["engagements"])


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OrganizationRef(Schema):
    slug: str
    name: str


class ApplicationProjectRef(Schema):
    id: int
    title: str
    url: str
    organization: OrganizationRef
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    hours_per_week: int | None
    application_deadline: datetime.date | None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class PersonRef(Schema):
    id: int
    name: str


class AnswerOut(Schema):
    question: str
    answer: str


class ApplicationOut(Schema):
    id: int
    url: str = Field(description="The application's page")
    project: ApplicationProjectRef
    student: PersonRef
    status: str = Field(
        description="submitted, shortlisted, offered, accepted, declined, rejected or withdrawn"
    )
    status_label: str = Field(description='For people, e.g. "Not selected" for rejected')
    pitch: str = Field(description="Markdown")
    availability_confirmed: bool
    answers: list[AnswerOut] = Field(description="One per screening question, in order")
    created_at: datetime.datetime
    status_changed_at: datetime.datetime
    offer_message: str
    offered_at: datetime.datetime | None
    offer_expires_at: datetime.datetime | None
    offer_expired: bool = Field(description="An offer whose time ran out; it cannot be accepted")
    rejection_message: str
    declined_reason: str = Field(
        description="Why Practicum declined it when nobody had decided: project_full, "
        "project_closed, project_archived; empty otherwise"
    )
    answered_at: datetime.datetime | None = Field(
        description="The organization's first answer (shortlist, offer or not selected)"
    )
    engagement_id: int | None = Field(description="Once the offer is accepted")

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("engagements:application", args=[obj.pk])

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_answers(obj) -> list[dict]:
        return [{"question": q, "answer": a} for q, a in selectors.questions_and_answers(obj)]

    @staticmethod
    def resolve_offer_expired(obj) -> bool:
        return selectors.offer_is_expired(obj)

    @staticmethod
    def resolve_engagement_id(obj) -> int | None:
        try:
            return obj.engagement.pk
        except ObjectDoesNotExist:
            return None


class ProfileSummaryOut(Schema):
    id: int
    url: str
    headline: str
    institution: str
    weekly_hours: int

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution_label


class SkillCheckOut(Schema):
    skill_id: int
    skill: str
    is_required: bool
    min_level: int = Field(description="1 Beginner, 2 Working, 3 Proficient, 4 Expert")
    held_level: int | None = Field(description="The student's level; null when missing")
    state: str = Field(description="met, below (held below the level asked) or missing")

    @staticmethod
    def resolve_skill_id(obj) -> int:
        return obj.wanted.skill_id

    @staticmethod
    def resolve_skill(obj) -> str:
        return obj.wanted.skill.name

    @staticmethod
    def resolve_is_required(obj) -> bool:
        return obj.wanted.is_required

    @staticmethod
    def resolve_min_level(obj) -> int:
        return obj.wanted.min_level


class SkillMatchOut(Schema):
    summary: str = Field(description='"3 of 4 required skills at the level asked"')
    required_total: int
    required_met: int
    preferred_total: int
    preferred_met: int
    meets_required: bool
    checks: list[SkillCheckOut]


class ApplicantOut(Schema):
    application: ApplicationOut
    profile: ProfileSummaryOut | None
    skill_match: SkillMatchOut = Field(alias="match")
    overdue: bool = Field(description="The organization owes this applicant an answer")
    overdue_because: str = Field(
        description="unanswered (no first answer 14 days after applying), undecided "
        "(submitted or shortlisted 14 days after the deadline), or empty"
    )


class ApplicantSearch(InputSchema):
    status: SingleLine = Field("", description="Only applications in this status")
    meets_required: bool = Field(False, description="Only applicants with every required skill")
    overdue: bool = Field(False, description="Only applicants owed an answer (see overdue)")
    sort: SingleLine = Field(
        Sort.NEWEST,
        description="newest; oldest (waiting longest); match (best skill match: required "
        "skills at the level asked, then preferred ones, then skills held below the level); "
        "availability (most hours a week on the profile)",
    )


class BulkIn(InputSchema):
    action: SingleLine = Field(description=", ".join(services.BULK_ACTIONS))
    application_ids: list[Annotated[StrictInt, Field(ge=1, le=ID_MAX)]] = Field(
        min_length=1,
        max_length=services.BULK_MAX,
        description=f"1–{services.BULK_MAX} applications of this project",
    )
    message: MultiLine = Field(
        "",
        description="For reject (optional) and message (required), at most "
        f"{services.MESSAGE_MAX:,} characters; {{student}} (first name), {{project}} and "
        "{organization} are filled in for each applicant",
    )


class BulkSkippedOut(Schema):
    application_id: int
    code: str = Field(
        description="illegal_transition (its status does not allow the action), withdrawn "
        "(no message to a student who withdrew), invalid (the filled-in text is too long)"
    )
    status: str = Field(description="The application's status when it was skipped")


class BulkOut(Schema):
    action: str
    done: list[int] = Field(description="The applications the action was applied to")
    skipped: list[BulkSkippedOut]


class ApplicationIn(InputSchema):
    pitch: MultiLine = Field(description=f"Markdown, at most {services.PITCH_MAX:,} characters")
    availability_confirmed: bool = Field(
        description="The student can work the project's hours on its dates (must be true)"
    )
    answers: list[MultiLine] = Field(
        default_factory=list, description="One per screening question, in order"
    )


class OfferIn(InputSchema):
    message: MultiLine = ""
    expires_in_days: int = Field(
        services.OFFER_DAYS_DEFAULT,
        description=f"{services.OFFER_DAYS_MIN}–{services.OFFER_DAYS_MAX}",
    )


class RejectIn(InputSchema):
    message: MultiLine = ""


class EngagementOut(Schema):
    id: int
    url: str
    state: str = Field(description="agreement_pending, active, completed or cancelled")
    state_label: str
    project: ApplicationProjectRef
    student: PersonRef
    mentor: PersonRef | None
    application_id: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("engagements:detail", args=[obj.pk])

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()


@router.post(
    "/projects/{int:project_id}/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="Apply to a project (students)",
    description=(
        "One application per project (409 already_applied), while the project takes "
        "applications (409 not_accepting). Drafts are 404."
    ),
)
def apply(request, project_id: Id, payload: ApplicationIn):
    project = selectors.visible_project(request.user, project_id)
    application = services.apply_to_project(project, by=request.user, **payload.model_dump())
    return Status(201, selectors.application_for_page(application.pk))


@router.get(
    "/applications",
    response={200: list[ApplicationOut], 401: ErrorOut},
    summary="Your applications, newest first",
)
@paginate(Pagination)
def my_applications(request):
    return list(selectors.applications_of_student(request.user))


@router.get(
    "/applications/{int:application_id}",
    response={200: ApplicationOut, 401: ErrorOut, 404: ErrorOut},
    summary="An application (its student and the project's organization)",
)
def get_application(request, application_id: Id):
    return selectors.visible_application(request.user, application_id)


@router.get(
    "/projects/{int:project_id}/applications",
    response={200: list[ApplicantOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A project's applicants with their skill match (members of the organization)",
)
@paginate(Pagination)
def list_applicants(request, project_id: Id, params: Query[ApplicantSearch]):
    project = selectors.visible_project(request.user, project_id, "engagements.list_applicants")
    # The page's filter form applies the same rules to the raw query string.
    form = ApplicantFilterForm(request.GET)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return selectors.applicants_of(project, **form.filters())


@router.post(
    "/projects/{int:project_id}/applications/bulk",
    response={200: BulkOut, **ERRORS},
    summary="Shortlist, reject or message several applicants at once (the organization)",
    description=(
        "Refused as a whole, nothing changed, for an unknown action, ids that are not "
        f"1–{services.BULK_MAX} applications of this project, or a message missing or too "
        "long (422). Then each application is answered on its own, with its notification; one "
        "whose status does not allow the action is skipped and listed with its code."
    ),
)
def bulk(request, project_id: Id, payload: BulkIn):
    project = selectors.visible_project(request.user, project_id, "engagements.list_applicants")
    result = services.bulk_act(project, by=request.user, **payload.model_dump())
    return {
        "action": result.action,
        "done": [a.pk for a in result.done],
        "skipped": [
            {"application_id": s.application.pk, "code": s.code, "status": s.status}
            for s in result.skipped
        ],
    }


def _acted(request, application_id: int, act) -> Application:
    application = selectors.visible_application(request.user, application_id)
    act(application)
    return selectors.application_for_page(application.pk)


@router.post(
    "/applications/{int:application_id}/shortlist",
    response={200: ApplicationOut, **ERRORS},
    summary="Shortlist a submitted application (the organization)",
)
def shortlist(request, application_id: Id):
    return _acted(request, application_id, lambda a: services.shortlist(a, by=request.user))


@router.post(
    "/applications/{int:application_id}/offer",
    response={200: ApplicationOut, **ERRORS},
    summary="Make an offer (the organization)",
    description="409 project_full once every place is taken.",
)
def offer(request, application_id: Id, payload: OfferIn):
    return _acted(
        request,
        application_id,
        lambda a: services.make_offer(a, by=request.user, **payload.model_dump()),
    )


@router.post(
    "/applications/{int:application_id}/reject",
    response={200: ApplicationOut, **ERRORS},
    summary="Tell the applicant they were not selected, or rescind an offer (the organization)",
)
def reject(request, application_id: Id, payload: RejectIn):
    return _acted(
        request,
        application_id,
        lambda a: services.reject(a, by=request.user, message=payload.message),
    )


@router.post(
    "/applications/{int:application_id}/withdraw",
    response={200: ApplicationOut, **ERRORS},
    summary="Withdraw your application (the student, until accepted)",
)
def withdraw(request, application_id: Id):
    return _acted(request, application_id, lambda a: services.withdraw(a, by=request.user))


@router.post(
    "/applications/{int:application_id}/accept",
    response={200: ApplicationOut, **ERRORS},
    summary="Accept an offer (the student); the engagement begins",
    description=(
        "409 offer_expired, project_full (every place taken) or schedule_clash (the hours a "
        "week of overlapping engagements exceed the profile's weekly hours)."
    ),
)
def accept(request, application_id: Id):
    return _acted(request, application_id, lambda a: services.accept_offer(a, by=request.user))


@router.post(
    "/applications/{int:application_id}/decline",
    response={200: ApplicationOut, **ERRORS},
    summary="Decline an offer (the student)",
)
def decline(request, application_id: Id):
    return _acted(request, application_id, lambda a: services.decline_offer(a, by=request.user))


@router.get(
    "/engagements",
    response={200: list[EngagementOut], 401: ErrorOut},
    summary="Your engagements: as the student, the mentor or an owner of the organization",
)
@paginate(Pagination)
def my_engagements(request):
    return selectors.engagements_of(request.user)


@router.get(
    "/engagements/{int:engagement_id}",
    response={200: EngagementOut, 401: ErrorOut, 404: ErrorOut},
    summary="An engagement (for its parties, as the page)",
)
def get_engagement(request, engagement_id: Id):
    return selectors.readable_engagement(request.user, engagement_id)


# The agreement: versions, signatures, edits, amendments, cancellation, events.


class AgreementSignatureOut(Schema):
    user: PersonRef
    full_name: str
    side: str = Field(description="student or organization")
    signed_at: datetime.datetime


class AgreementVersionOut(Schema):
    number: int
    status: str = Field(description="draft, proposed, current, superseded or rejected")
    terms: dict = Field(description="The terms as written; never changed once written")
    created_by: PersonRef | None
    side: str = Field(description="Who wrote it: student, organization, or empty for version 1")
    created_at: datetime.datetime
    reason: str
    signatures: list[AgreementSignatureOut]

    @staticmethod
    def resolve_signatures(obj) -> list:
        return list(obj.signatures.all())


class AgreementFieldChangeOut(Schema):
    field: str
    label: str
    before: Any
    after: Any


class AgreementDeliverableChangeOut(Schema):
    key: str
    title: str
    changes: list[AgreementFieldChangeOut]


class AgreementDiffOut(Schema):
    from_version: int
    to_version: int
    fields: list[AgreementFieldChangeOut]
    deliverables_added: list[dict]
    deliverables_removed: list[dict]
    deliverables_changed: list[AgreementDeliverableChangeOut]


class AgreementEditIn(InputSchema):
    changes: dict = Field(description='Only the terms that change, e.g. {"ends_on": "…"}')
    reason: MultiLine = ""


class AgreementSignIn(InputSchema):
    version: int = Field(description="The number of the draft read (409 outdated_version)")
    full_name: SingleLine = Field(description="As on the account, case aside")
    student_hours_per_week: int | None = Field(None, description="The student's commitment")
    student_response_time_hours: int | None = Field(None, description="The student's commitment")


class AgreementAmendmentIn(InputSchema):
    changes: dict
    reason: MultiLine = Field(description="Required")
    full_name: SingleLine = Field(description="The proposer signs the proposal")


class AgreementAcceptIn(InputSchema):
    full_name: SingleLine


class AgreementReasonIn(InputSchema):
    reason: MultiLine = ""


class AgreementEventOut(Schema):
    kind: str
    actor: PersonRef | None
    at: datetime.datetime
    details: dict


@router.get(
    "/engagements/{int:engagement_id}/agreement",
    response={200: AgreementVersionOut, 401: ErrorOut, 404: ErrorOut},
    summary="The agreement: the version in force, else the draft to sign",
)
def get_agreement(request, engagement_id: Id):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    shown = selectors.shown_version(selectors.agreement_versions(engagement))
    return visible_or_404(shown, what="agreement")


@router.get(
    "/engagements/{int:engagement_id}/agreement/versions",
    response={200: list[AgreementVersionOut], 401: ErrorOut, 404: ErrorOut},
    summary="Every version of the agreement, oldest first",
)
@paginate(Pagination)
def list_agreement_versions(request, engagement_id: Id):
    return selectors.agreement_versions(selectors.readable_engagement(request.user, engagement_id))


@router.get(
    "/engagements/{int:engagement_id}/agreement/versions/{int:number}",
    response={200: AgreementVersionOut, 401: ErrorOut, 404: ErrorOut},
    summary="One version of the agreement",
)
def get_agreement_version(request, engagement_id: Id, number: Id):
    return selectors.agreement_version(
        selectors.readable_engagement(request.user, engagement_id), number
    )


@router.get(
    "/engagements/{int:engagement_id}/agreement/diff",
    response={200: AgreementDiffOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="What changed between two versions, field by field (deliverables by key)",
)
def diff_agreement_versions(
    request,
    engagement_id: Id,
    from_version: int = Query(..., alias="from"),
    to_version: int = Query(..., alias="to"),
):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    before, after = (
        selectors.agreement_version(engagement, from_version),
        selectors.agreement_version(engagement, to_version),
    )
    diff = terms.diff(before.terms, after.terms)
    return {"from_version": before.number, "to_version": after.number, **asdict(diff)}


@router.post(
    "/engagements/{int:engagement_id}/agreement/edits",
    response={201: AgreementVersionOut, **ERRORS},
    summary="Propose changes to the draft before both sign; a new draft replaces it",
    description="409 not_pending once active (propose an amendment instead).",
)
def propose_agreement_edit(request, engagement_id: Id, payload: AgreementEditIn):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    version = agreements.propose_edit(
        engagement, by=request.user, changes=payload.changes, reason=payload.reason
    )
    return Status(201, selectors.agreement_version(engagement, version.number))


@router.post(
    "/engagements/{int:engagement_id}/agreement/sign",
    response={200: AgreementVersionOut, **ERRORS},
    summary="Sign the draft for your side",
    description=(
        "409 outdated_version when the version is not the latest draft; 422 when the typed "
        "name differs from the account's. The student states their hours a week and response "
        "time; the engagement is active once both sides signed the same version."
    ),
)
def sign_agreement(request, engagement_id: Id, payload: AgreementSignIn):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    version = agreements.sign(
        engagement,
        by=request.user,
        version_number=payload.version,
        full_name=payload.full_name,
        student_hours_per_week=payload.student_hours_per_week,
        student_response_time_hours=payload.student_response_time_hours,
    )
    return selectors.agreement_version(engagement, version.number)


@router.post(
    "/engagements/{int:engagement_id}/amendments",
    response={201: AgreementVersionOut, **ERRORS},
    summary="Propose an amendment while active (with a reason); the other side answers",
)
def propose_agreement_amendment(request, engagement_id: Id, payload: AgreementAmendmentIn):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    version = agreements.propose_amendment(engagement, by=request.user, **payload.model_dump())
    return Status(201, selectors.agreement_version(engagement, version.number))


@router.post(
    "/engagements/{int:engagement_id}/amendments/{int:number}/accept",
    response={200: AgreementVersionOut, **ERRORS},
    summary="Accept the other side's amendment: it becomes the current version",
)
def accept_agreement_amendment(request, engagement_id: Id, number: Id, payload: AgreementAcceptIn):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    agreements.accept_amendment(engagement, number, by=request.user, full_name=payload.full_name)
    return selectors.agreement_version(engagement, number)


@router.post(
    "/engagements/{int:engagement_id}/amendments/{int:number}/reject",
    response={200: AgreementVersionOut, **ERRORS},
    summary="Reject the other side's amendment; the current version stays in force",
)
def reject_agreement_amendment(request, engagement_id: Id, number: Id, payload: AgreementReasonIn):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    agreements.reject_amendment(engagement, number, by=request.user, reason=payload.reason)
    return selectors.agreement_version(engagement, number)


@router.post(
    "/engagements/{int:engagement_id}/cancel",
    response={200: EngagementOut, **ERRORS},
    summary="Cancel the engagement, with a reason (either side)",
)
def cancel_engagement(request, engagement_id: Id, payload: AgreementReasonIn):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    agreements.cancel(engagement, by=request.user, reason=payload.reason)
    return selectors.engagement_for_page(engagement.pk)


class MentorIn(InputSchema):
    mentor_id: int = Field(description="A member of the organization (owners choose)")


@router.post(
    "/engagements/{int:engagement_id}/mentor",
    response={200: EngagementOut, **ERRORS},
    summary="Give a live engagement a new mentor (the organization's owners)",
    description="The student, the new and the previous mentor are told; the timeline records it.",
)
def change_engagement_mentor(request, engagement_id: Id, payload: MentorIn):
    engagement = selectors.readable_engagement(request.user, engagement_id)
    services.reassign_mentor(engagement, by=request.user, mentor_id=payload.mentor_id)
    return selectors.engagement_for_page(engagement.pk)


@router.get(
    "/engagements/{int:engagement_id}/events",
    response={200: list[AgreementEventOut], 401: ErrorOut, 404: ErrorOut},
    summary="Everything that happened to the engagement, oldest first",
)
@paginate(Pagination)
def list_engagement_events(request, engagement_id: Id):
    return selectors.events_of(selectors.readable_engagement(request.user, engagement_id))
