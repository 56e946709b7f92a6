"""Reads for career centers: a student's enrollments, consents and access log; a staff member's
institutions, the students who share with them, pending requests; and a student's **outcomes
record** — what staff see, and nothing else.

The record holds, per engagement: its state, dates, hours (agreed and reported), the agreed pay
as a band, how many deliverables were accepted, and the review ratings once revealed; and the
student's verified skills. Never messages, check-in notes, private notes, files, review texts
or payment references: they are not read here, so no page or endpoint built on this can leak
them. A fixed number of queries whatever the data.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from practicum.accounts.models import Institution
from practicum.careers.models import AccessLogEntry, Consent, Enrollment
from practicum.careers.rules import sharing_consents
from practicum.engagements.models import AgreementVersion, Engagement, Side
from practicum.projects import money
from practicum.reviews.models import Review
from practicum.reviews.selectors import verified_skills_of
from practicum.workspace.deliverables.models import Submission
from practicum.workspace.progress.models import ProgressUpdate

PAGE_SIZE = 20
# The upper bounds of the pay bands, in major units of the agreed currency.
PAY_BANDS = (250, 500, 1_000, 2_500)

WHAT_IS_SHARED = (
    "the state of each engagement and its dates",
    "hours agreed and hours reported",
    "the agreed pay, as a band (for example 500–1,000 EUR), never the exact amount",
    "how many deliverables were accepted",
    "review ratings (1–5), once both sides' reviews are revealed",
    "your verified skills",
)
WHAT_IS_NEVER_SHARED = (
    "messages and questions",
    "check-in agendas and notes",
    "progress update texts and comments",
    "files, links and notes of deliverables",
    "review texts and private notes",
    "payments and their references",
    "your profile beyond your name",
)


# --- students ---------------------------------------------------------------------------


def enrollments_of(student) -> list[Enrollment]:
    """The student's enrollments with whether a consent is in force for each. One query."""
    consenting = Consent.objects.filter(
        student=OuterRef("student"), institution=OuterRef("institution"), withdrawn_at__isnull=True
    )
    return list(
        Enrollment.objects.filter(student=student)
        .select_related("institution")
        .annotate(consents=Exists(consenting))
        .order_by("institution__name", "pk")
    )


def enrollment_of(student, pk: int) -> Enrollment | None:
    return Enrollment.objects.filter(student=student, pk=pk).select_related("institution").first()


def access_log_of(student) -> QuerySet[AccessLogEntry]:
    """Every look at the student's record, newest first (paginate it)."""
    return AccessLogEntry.objects.filter(student=student).select_related("institution")


# --- staff ------------------------------------------------------------------------------


def institutions_of(user) -> list[Institution]:
    return list(Institution.objects.filter(staff__user=user).order_by("name"))


def shared_students(user) -> QuerySet[Consent]:
    """The consents in force of students verified at the user's institutions, by student name,
    with their engagement counts (paginate it)."""
    return (
        sharing_consents(user)
        .select_related("student", "institution")
        .annotate(
            engagements_total=Count("student__engagements", distinct=True),
        )
        .order_by("student__name", "pk")
    )


def sharing_consent(user, student_id: int) -> Consent | None:
    """The consent in force through which `user` (staff) may read the student's record."""
    return (
        sharing_consents(user).filter(student_id=student_id).select_related("institution").first()
    )


def pending_enrollments_for(user) -> QuerySet[Enrollment]:
    """Requests waiting for the user's decision (they are staff of the institution), oldest
    first (paginate it)."""
    return (
        Enrollment.objects.filter(state=Enrollment.State.PENDING, institution__staff__user=user)
        .select_related("student", "institution")
        .order_by("requested_at", "pk")
    )


def enrollment_for_staff(user, pk: int) -> Enrollment | None:
    return (
        Enrollment.objects.filter(pk=pk, institution__staff__user=user)
        .select_related("student", "institution")
        .first()
    )


# --- the outcomes record -----------------------------------------------------------------


@dataclass(frozen=True)
class PayBand:
    currency: str
    low: int  # major units
    high: int | None  # None: and more

    @property
    def label(self) -> str:
        if self.low == 0 and self.high == 0:
            return "Unpaid"
        if self.high is None:
            return f"{self.low:,}+ {self.currency}"
        return f"{self.low:,}–{self.high:,} {self.currency}"


def pay_band(amount_minor, currency: str) -> PayBand | None:
    if amount_minor is None or not currency:
        return None
    if amount_minor == 0:
        return PayBand(currency, 0, 0)
    major = money.to_major(amount_minor, currency)
    low = 0
    for bound in PAY_BANDS:
        if major < bound:
            return PayBand(currency, low, bound)
        low = bound
    return PayBand(currency, low, None)


@dataclass(frozen=True)
class Rating:
    round: str
    about: str  # "student": the organization's rating of the student; "organization"
    score: float  # the mean of the criteria, 1–5


@dataclass
class Outcome:
    engagement_id: int
    project_title: str
    organization_name: str
    state: str
    state_label: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    hours_agreed: int | None
    hours_reported: Decimal
    pay: PayBand | None
    deliverables_accepted: int
    deliverables_total: int
    ratings: list[Rating] = field(default_factory=list)


@dataclass
class StudentRecord:
    student_id: int
    student_name: str
    institution: Institution
    page: object  # a Paginator page of Outcome rows
    verified_skills: list


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _outcomes(engagements: list[Engagement]) -> list[Outcome]:
    """Four queries whatever the number of engagements."""
    ids = [e.pk for e in engagements]
    terms = dict(
        AgreementVersion.objects.filter(
            engagement_id__in=ids, status=AgreementVersion.Status.CURRENT
        ).values_list("engagement_id", "terms")
    )
    hours = dict(
        ProgressUpdate.objects.filter(engagement_id__in=ids)
        .values("engagement_id")
        .annotate(total=Sum("hours"))
        .values_list("engagement_id", "total")
    )
    accepted = dict(
        Submission.objects.filter(engagement_id__in=ids, status=Submission.Status.ACCEPTED)
        .values("engagement_id")
        .annotate(n=Count("deliverable_key", distinct=True))
        .values_list("engagement_id", "n")
    )
    ratings: dict[int, list[Rating]] = {}
    revealed = Review.objects.filter(engagement_id__in=ids, revealed_at__isnull=False).only(
        "engagement_id", "round", "side", "scores"
    )
    for review in revealed.order_by("engagement_id", "round", "side"):
        about = Side.ORGANIZATION if review.side == Side.STUDENT else Side.STUDENT
        ratings.setdefault(review.engagement_id, []).append(
            Rating(review.round, about, round(review.mean_score, 2))
        )
    rows = []
    for engagement in engagements:
        agreed = terms.get(engagement.pk) or {}
        rows.append(
            Outcome(
                engagement_id=engagement.pk,
                project_title=engagement.project.title,
                organization_name=engagement.project.organization.name,
                state=engagement.state,
                state_label=engagement.get_state_display(),
                starts_on=_date(agreed.get("starts_on")),
                ends_on=_date(agreed.get("ends_on")),
                hours_agreed=agreed.get("estimated_hours"),
                hours_reported=hours.get(engagement.pk) or Decimal(0),
                pay=pay_band(agreed.get("compensation_amount"), agreed.get("currency", "")),
                deliverables_accepted=accepted.get(engagement.pk, 0),
                deliverables_total=len(agreed.get("deliverables") or []),
                ratings=ratings.get(engagement.pk, []),
            )
        )
    return rows


def record_of(
    student, institution: Institution, *, page_number=1, page_size=PAGE_SIZE
) -> StudentRecord:
    """The student's outcomes, their engagements newest first, `page_size` a page. Eight
    queries."""
    engagements = (
        Engagement.objects.filter(student=student)
        .select_related("project__organization")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(engagements, page_size).get_page(page_number)
    page.object_list = _outcomes(list(page.object_list))
    return StudentRecord(
        student_id=student.pk,
        student_name=student.name,
        institution=institution,
        page=page,
        verified_skills=verified_skills_of(student),
    )
