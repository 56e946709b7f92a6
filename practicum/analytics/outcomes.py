"""A career center's outcomes: what the students who share with it did on Practicum, counted
over consents in force only (careers.rules.sharing_consents), so a student who never consented
or withdrew is in no figure, no chart, no row of the export.

Every figure is one query whatever the number of students, and so is each column of the export.
The pay earned is shown only where at least PAY_MIN_STUDENTS students stand behind a sum, so
no single student's pay can be read from it.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from practicum.accounts.models import Institution, User
from practicum.analytics.charts import Series
from practicum.analytics.selectors import FirstAnswers, first_answers
from practicum.careers.rules import sharing_consents
from practicum.engagements.models import AgreementVersion, Application, Engagement, Side
from practicum.projects import money
from practicum.reviews.models import Review, VerifiedSkill
from practicum.workspace.progress.models import ProgressUpdate

ORGANIZATIONS_PER_PAGE = 10
TOP_SKILLS = 10
PAY_MIN_STUDENTS = 5
# The months chart shows at most the last five years of the range.
MONTHS_MAX = 60

ES = Engagement.State


@dataclass(frozen=True)
class Filters:
    """Which students and engagements count: a cohort and engagements begun within a range
    (both dates included, the platform's local days)."""

    institution: Institution | None = None
    graduation_year: int | None = None
    programme: str = ""
    begun_from: datetime.date | None = None
    begun_to: datetime.date | None = None


def consents(user, filters: Filters) -> QuerySet:
    """The consents in force, at the user's institutions, of the students in the cohort."""
    found = sharing_consents(user)
    if filters.institution is not None:
        found = found.filter(institution=filters.institution)
    if filters.graduation_year is not None:
        found = found.filter(student__student_profile__graduation_year=filters.graduation_year)
    if filters.programme:
        found = found.filter(student__student_profile__programme__iexact=filters.programme)
    return found


def _student_ids(user, filters: Filters) -> QuerySet:
    return consents(user, filters).values("student_id")


def engagements(user, filters: Filters) -> QuerySet[Engagement]:
    """The sharing students' engagements begun in the range."""
    found = Engagement.objects.filter(student_id__in=_student_ids(user, filters))
    if filters.begun_from is not None:
        found = found.filter(created_at__date__gte=filters.begun_from)
    if filters.begun_to is not None:
        found = found.filter(created_at__date__lte=filters.begun_to)
    return found


@dataclass(frozen=True)
class Pay:
    currency: str
    total: Decimal  # major units
    students: int


@dataclass
class Outcomes:
    students_sharing: int
    students_active: int
    by_state: list[tuple[str, int]]  # (state label, engagements), every state
    completed: int
    cancelled: int
    hours_reported: Decimal
    pay: list[Pay]  # only the currencies with PAY_MIN_STUDENTS students or more
    pay_withheld: bool  # some pay was left out: too few students behind it
    skills: list[tuple[str, int]]  # (skill, verifications), the TOP_SKILLS most verified
    rating_received: float | None  # organizations' reviews of the students, of 5
    ratings_received: int
    rating_given: float | None  # the students' reviews of organizations, of 5
    ratings_given: int
    answers: FirstAnswers
    by_month: list[tuple[str, int]] = field(default_factory=list)  # engagements begun

    @property
    def completion_rate(self) -> float | None:
        """Completed of the engagements that ended (completed or cancelled), in %."""
        ended = self.completed + self.cancelled
        return round(100 * self.completed / ended, 1) if ended else None

    def series(self) -> dict[str, Series]:
        return {
            "states": Series(
                "Engagements by state",
                [label for label, _ in self.by_state],
                [n for _, n in self.by_state],
            ),
            "skills": Series(
                "Verified skills by skill",
                [name for name, _ in self.skills],
                [n for _, n in self.skills],
            ),
            "months": Series(
                "Engagements begun by month",
                [label for label, _ in self.by_month],
                [n for _, n in self.by_month],
            ),
        }


def _mean(values: list[float]) -> float | None:
    return round(statistics.mean(values), 2) if values else None


def _pay(completed: QuerySet[Engagement]) -> tuple[list[Pay], bool]:
    terms = AgreementVersion.objects.filter(
        engagement__in=completed, status=AgreementVersion.Status.CURRENT
    ).values_list("engagement__student_id", "terms")
    totals: dict[str, Decimal] = defaultdict(Decimal)
    students: dict[str, set[int]] = defaultdict(set)
    for student_id, agreed in terms:
        amount, currency = (agreed or {}).get("compensation_amount"), (agreed or {}).get("currency")
        if amount and currency:
            totals[currency] += money.to_major(amount, currency)
            students[currency].add(student_id)
    shown = [
        Pay(currency, totals[currency], len(students[currency]))
        for currency in sorted(totals)
        if len(students[currency]) >= PAY_MIN_STUDENTS
    ]
    return shown, len(shown) < len(totals)


def _months(begun: QuerySet[Engagement]) -> list[tuple[str, int]]:
    """Engagements begun each month from the first month with one to the last, months without
    any included (a line chart must not skip them)."""
    counts = {
        (month.year, month.month): n
        for month, n in begun.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
        if month is not None
    }
    if not counts:
        return []
    (year, number), last = min(counts), max(counts)
    months = []
    while (year, number) <= last:
        months.append((f"{datetime.date(year, number, 1):%b %Y}", counts.get((year, number), 0)))
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return months[-MONTHS_MAX:]


def _ratings(revealed: QuerySet[Review]) -> dict[str, list[float]]:
    by_side: dict[str, list[float]] = {Side.STUDENT: [], Side.ORGANIZATION: []}
    for side, scores in revealed.values_list("side", "scores"):
        values = [v for v in (scores or {}).values() if isinstance(v, int | float)]
        if values:
            by_side[side].append(sum(values) / len(values))
    return by_side


def outcomes(user, filters: Filters) -> Outcomes:
    """The figures of the page, the API and the charts: eleven queries."""
    begun = engagements(user, filters)
    students = consents(user, filters).aggregate(n=Count("student_id", distinct=True))["n"]
    states = dict(begun.values("state").annotate(n=Count("pk")).values_list("state", "n"))
    active = begun.filter(state=ES.ACTIVE).aggregate(n=Count("student_id", distinct=True))["n"]
    hours = ProgressUpdate.objects.filter(engagement__in=begun).aggregate(total=Sum("hours"))
    pay, withheld = _pay(begun.filter(state=ES.COMPLETED))
    skills = list(
        VerifiedSkill.objects.filter(engagement__in=begun)
        .values("skill__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "skill__name")
        .values_list("skill__name", "n")[:TOP_SKILLS]
    )
    # The organization's review is of the student (received); the student's, of the
    # organization (given). Only revealed reviews: the others are nobody's to read yet.
    ratings = _ratings(Review.objects.filter(engagement__in=begun, revealed_at__isnull=False))
    applications = Application.objects.filter(student_id__in=_student_ids(user, filters))
    if filters.begun_from is not None:
        applications = applications.filter(created_at__date__gte=filters.begun_from)
    if filters.begun_to is not None:
        applications = applications.filter(created_at__date__lte=filters.begun_to)
    return Outcomes(
        students_sharing=students,
        students_active=active,
        by_state=[(state.label, states.get(state.value, 0)) for state in ES],
        completed=states.get(ES.COMPLETED, 0),
        cancelled=states.get(ES.CANCELLED, 0),
        hours_reported=_plain(hours["total"] or Decimal(0)),
        pay=pay,
        pay_withheld=withheld,
        skills=skills,
        rating_received=_mean(ratings[Side.ORGANIZATION]),
        ratings_received=len(ratings[Side.ORGANIZATION]),
        rating_given=_mean(ratings[Side.STUDENT]),
        ratings_given=len(ratings[Side.STUDENT]),
        answers=first_answers(applications),
        by_month=_months(begun),
    )


def organizations(user, filters: Filters) -> QuerySet:
    """The organizations the students worked with (engagements begun in the range), the most
    engagements first: rows of name, slug and engagements (paginate it)."""
    return (
        engagements(user, filters)
        .values("project__organization__name", "project__organization__slug")
        .annotate(
            engagements=Count("pk"),
            completed=Count("pk", filter=Q(state=ES.COMPLETED)),
        )
        .order_by("-engagements", "project__organization__name")
    )


# --- the export ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentRow:
    student_id: int
    name: str
    programme: str
    graduation_year: int | None
    engagements: int
    completed: int
    cancelled: int
    hours_reported: Decimal
    verified_skills: int
    rating_received: float | None


CSV_HEADER = (
    "Student",
    "Programme",
    "Graduation year",
    "Engagements",
    "Completed",
    "Cancelled",
    "Hours reported",
    "Verified skills",
    "Average rating received (of 5)",
)


def _plain(hours: Decimal) -> Decimal:
    """3.50 → 3.5, 2.00 → 2, 20 → 20: the same figure whichever database summed it
    (PostgreSQL keeps the column's two decimals, SQLite does not)."""
    return Decimal(format(hours.normalize(), "f"))


def student_rows(user, filters: Filters) -> list[StudentRow]:
    """One row per sharing student of the cohort, by name, with their engagements begun in the
    range: five queries whatever the number of students."""
    students = (
        User.objects.filter(pk__in=_student_ids(user, filters))
        .select_related("student_profile")
        .order_by("name", "pk")
    )
    begun = engagements(user, filters)
    counts = {
        row["student_id"]: row
        for row in begun.values("student_id").annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(state=ES.COMPLETED)),
            cancelled=Count("pk", filter=Q(state=ES.CANCELLED)),
        )
    }
    hours = dict(
        ProgressUpdate.objects.filter(engagement__in=begun)
        .values("engagement__student_id")
        .annotate(total=Sum("hours"))
        .values_list("engagement__student_id", "total")
    )
    skills = dict(
        VerifiedSkill.objects.filter(engagement__in=begun)
        .values("student_id")
        .annotate(n=Count("pk"))
        .values_list("student_id", "n")
    )
    received: dict[int, list[float]] = defaultdict(list)
    reviews = Review.objects.filter(
        engagement__in=begun, side=Side.ORGANIZATION, revealed_at__isnull=False
    ).values_list("engagement__student_id", "scores")
    for student_id, scores in reviews:
        values = [v for v in (scores or {}).values() if isinstance(v, int | float)]
        if values:
            received[student_id].append(sum(values) / len(values))
    rows = []
    for student in students:
        profile = getattr(student, "student_profile", None)
        count = counts.get(student.pk, {})
        rows.append(
            StudentRow(
                student_id=student.pk,
                name=student.name,
                programme=profile.programme if profile else "",
                graduation_year=profile.graduation_year if profile else None,
                engagements=count.get("total", 0),
                completed=count.get("completed", 0),
                cancelled=count.get("cancelled", 0),
                hours_reported=_plain(hours.get(student.pk) or Decimal(0)),
                verified_skills=skills.get(student.pk, 0),
                rating_received=_mean(received.get(student.pk, [])),
            )
        )
    return rows


def institution_of_students(user, filters: Filters, student_ids: list[int]) -> dict[int, int]:
    """The institution each student shares with (the first by name when they share with
    several of the user's). One query."""
    found: dict[int, int] = {}
    for student_id, institution_id in (
        consents(user, filters)
        .filter(student_id__in=student_ids)
        .order_by("institution__name", "pk")
        .values_list("student_id", "institution_id")
    ):
        found.setdefault(student_id, institution_id)
    return found
