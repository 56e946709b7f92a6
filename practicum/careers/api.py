"""Career centers over JSON: the same services and selectors as the pages.

Students: their enrollments, consent and access log. Staff: pending requests, the students who
share with them and one student's outcomes record (each read logged). Anybody else is told the
object does not exist (404)."""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from practicum.careers import selectors, services
from practicum.careers.models import AccessLogEntry
from practicum.core.api import ErrorOut
from practicum.core.pagination import Pagination
from practicum.core.schemas import Id, InputSchema, SingleLine

router = Router(tags=["careers"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class CareersInstitutionRef(Schema):
    id: int
    name: str


class CareersPersonRef(Schema):
    id: int
    name: str


class EnrollmentOut(Schema):
    id: int
    institution: CareersInstitutionRef
    state: str = Field(description="pending, verified or rejected")
    method: str = Field(description="email (a link to an institution address) or staff")
    email: str
    requested_at: datetime.datetime
    verified_at: datetime.datetime | None
    sharing: bool = Field(description="A consent to share with this institution is in force")

    @staticmethod
    def resolve_sharing(obj) -> bool:
        return bool(getattr(obj, "consents", False))


class EnrollmentIn(InputSchema):
    institution: int
    email: SingleLine = Field(
        "", max_length=254, description="An address at the institution, or empty"
    )


class ConfirmIn(InputSchema):
    token: SingleLine = Field(max_length=500, description="The token of the emailed link")


class ConsentIn(InputSchema):
    institution: int


class ConsentOut(Schema):
    institution: CareersInstitutionRef
    given_at: datetime.datetime
    withdrawn_at: datetime.datetime | None


class AccessLogEntryOut(Schema):
    staff_name: str
    institution: CareersInstitutionRef
    what: str
    at: datetime.datetime


class PendingOut(Schema):
    id: int
    student: CareersPersonRef
    institution: CareersInstitutionRef
    requested_at: datetime.datetime


class SharedStudentOut(Schema):
    student: CareersPersonRef
    institution: CareersInstitutionRef
    sharing_since: datetime.datetime = Field(alias="given_at")
    engagements_total: int


class PayBandOut(Schema):
    currency: str
    low: int = Field(description="Major units")
    high: int | None = Field(description="Major units; null: and more")
    label: str


class RatingOut(Schema):
    round: str
    about: str = Field(description="student: the organization's rating; organization")
    score: float = Field(description="Mean of the criteria, 1–5")


class OutcomeOut(Schema):
    engagement_id: int
    project_title: str
    organization_name: str
    state: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    hours_agreed: int | None
    hours_reported: Decimal
    pay: PayBandOut | None
    deliverables_accepted: int
    deliverables_total: int
    ratings: list[RatingOut]


class VerifiedSkillOut(Schema):
    skill: str
    level: int
    organization: str

    @staticmethod
    def resolve_skill(obj) -> str:
        return obj.skill.name

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name


class OutcomePage(Schema):
    items: list[OutcomeOut]
    count: int = Field(description="How many engagements there are over all pages")


class RecordOut(Schema):
    student: CareersPersonRef
    institution: CareersInstitutionRef
    engagements: OutcomePage = Field(description="Newest first; `page`, `page_size` as lists")
    verified_skills: list[VerifiedSkillOut]


def _require_student(request):
    if not request.user.is_student:
        raise Http404
    return request.user


# --- students ---------------------------------------------------------------------------


@router.get(
    "/careers/enrollments",
    response={200: list[EnrollmentOut], **READ_ERRORS},
    summary="Your enrollments at institutions (students)",
    description="One per institution you asked to be verified at.",
)
@paginate(Pagination)
def list_enrollments(request):
    return selectors.enrollments_of(_require_student(request))


def _enrollment_out(student, pk: int):
    return next(e for e in selectors.enrollments_of(student) if e.pk == pk)


@router.post(
    "/careers/enrollments",
    response={201: EnrollmentOut, **ERRORS},
    summary="Ask to be verified at an institution",
    description=(
        "With `email` at one of the institution's domains, a link is mailed there; following "
        "it (POST /careers/enrollments/confirm) verifies you. Without, the institution's "
        "career-center staff decide. 409 already_verified; 422 for an unknown institution or "
        "an address outside its domains."
    ),
)
def post_enrollment(request, payload: EnrollmentIn):
    student = _require_student(request)
    enrollment = services.request_enrollment(
        student, institution=payload.institution, email=payload.email
    )
    return Status(201, _enrollment_out(student, enrollment.pk))


@router.post(
    "/careers/enrollments/confirm",
    response={200: EnrollmentOut, **ERRORS},
    summary="Confirm your institution address with the emailed token",
    description="409 link_expired, link_invalid or link_replaced; 403 not_yours.",
)
def confirm_enrollment(request, payload: ConfirmIn):
    student = _require_student(request)
    enrollment = services.confirm_enrollment(payload.token, by=student)
    return _enrollment_out(student, enrollment.pk)


@router.post(
    "/careers/consents",
    response={201: ConsentOut, **ERRORS},
    summary="Share your outcomes with an institution",
    description=(
        "Staff of the institution see your outcomes (never your workspace) while you are "
        "verified there. 409 not_enrolled without an enrollment (or after a rejection)."
    ),
)
def post_consent(request, payload: ConsentIn):
    student = _require_student(request)
    return Status(201, services.give_consent(student, institution=payload.institution))


@router.delete(
    "/careers/consents/{int:institution_id}",
    response={204: None, **ERRORS},
    summary="Stop sharing with an institution (at once)",
)
def delete_consent(request, institution_id: Id):
    student = _require_student(request)
    services.withdraw_consent(student, institution=institution_id)
    return Status(204, None)


@router.get(
    "/careers/access-log",
    response={200: list[AccessLogEntryOut], **READ_ERRORS},
    summary="Every time career-center staff read your record, newest first",
)
@paginate(Pagination)
def access_log(request):
    return selectors.access_log_of(_require_student(request))


# --- staff ------------------------------------------------------------------------------


def _require_staff(request):
    if not selectors.institutions_of(request.user):
        raise Http404
    return request.user


@router.get(
    "/careers/pending",
    response={200: list[PendingOut], **READ_ERRORS},
    summary="Enrollment requests waiting for you (career-center staff)",
)
@paginate(Pagination)
def list_pending(request):
    return selectors.pending_enrollments_for(_require_staff(request))


def _decided(request, pk: int, decide):
    enrollment = selectors.enrollment_for_staff(request.user, pk)
    if enrollment is None:
        raise Http404
    decide(enrollment, by=request.user)
    return {
        "id": enrollment.pk,
        "student": enrollment.student,
        "institution": enrollment.institution,
        "requested_at": enrollment.requested_at,
    }


@router.post(
    "/careers/enrollments/{int:enrollment_id}/approve",
    response={200: PendingOut, **ERRORS},
    summary="Confirm that a student studies at your institution",
    description="404 unless you are staff of its institution; 409 once decided.",
)
def approve(request, enrollment_id: Id):
    return _decided(request, enrollment_id, services.approve_enrollment)


@router.post(
    "/careers/enrollments/{int:enrollment_id}/reject",
    response={200: PendingOut, **ERRORS},
    summary="Reject a student's request (they may ask again)",
    description="404 unless you are staff of its institution; 409 once decided.",
)
def reject(request, enrollment_id: Id):
    return _decided(request, enrollment_id, services.reject_enrollment)


@router.get(
    "/careers/students",
    response={200: list[SharedStudentOut], **READ_ERRORS},
    summary="Students verified at your institutions who share their outcomes with you",
)
@paginate(Pagination)
def list_students(request):
    return selectors.shared_students(_require_staff(request))


@router.get(
    "/careers/students/{int:student_id}",
    response={200: RecordOut, **READ_ERRORS},
    summary="A student's outcomes record (logged for the student to see)",
    description=(
        "Outcomes only: engagement states, dates, hours, pay band, deliverables accepted, "
        "revealed review ratings, verified skills. 404 unless the student is verified at one "
        "of your institutions and shares with it."
    ),
)
def get_record(request, student_id: Id, query: Query[Pagination.Input]):
    record = services.open_record(
        student_id,
        by=request.user,
        what=AccessLogEntry.What.RECORD_API,
        page=query.page,
        page_size=query.page_size,
    )
    past_the_end = query.page > record.page.paginator.num_pages
    return {
        "student": {"id": record.student_id, "name": record.student_name},
        "institution": record.institution,
        "engagements": {
            "items": [] if past_the_end else list(record.page.object_list),
            "count": record.page.paginator.count,
        },
        "verified_skills": record.verified_skills,
    }
