"""Reads for applications and engagements: querysets with their joins, so pages do a fixed number
of queries whatever the number of rows, and the skill match computed from prefetched rows."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from practicum.accounts.models import Membership
from practicum.core.loading import visible_or_404
from practicum.core.timezones import today_in
from practicum.engagements.models import (
    AgreementVersion,
    Application,
    Engagement,
    EngagementEvent,
    Signature,
)
from practicum.profiles.models import StudentSkill
from practicum.projects.models import Project, ProjectSkill
from practicum.projects.selectors import ANSWER_WITHIN

# An application nobody decided on this long after the project's deadline is flagged to the
# organization: students wait on it.
OVERDUE_AFTER_DEADLINE = datetime.timedelta(days=14)
PAGE_SIZE = 25


class Sort:
    NEWEST = "newest"
    OLDEST = "oldest"
    BEST_MATCH = "match"
    AVAILABILITY = "availability"
    CHOICES = [
        (NEWEST, "Newest first"),
        (OLDEST, "Waiting longest"),
        (BEST_MATCH, "Best skill match"),
        (AVAILABILITY, "Most hours a week"),
    ]


@dataclass(frozen=True)
class SkillCheck:
    """One skill the project asks for, against what the student holds."""

    wanted: ProjectSkill
    held_level: int | None  # None when the student does not list the skill

    @property
    def state(self) -> str:
        if self.held_level is None:
            return "missing"
        return "met" if self.held_level >= self.wanted.min_level else "below"

    @property
    def held_level_display(self) -> str:
        return "" if self.held_level is None else StudentSkill.Level(self.held_level).label


@dataclass(frozen=True)
class SkillMatch:
    checks: list[SkillCheck]

    def _count(self, *, required: bool, state: str | None = None) -> int:
        return sum(
            1
            for c in self.checks
            if c.wanted.is_required == required and (state is None or c.state == state)
        )

    @property
    def required_total(self) -> int:
        return self._count(required=True)

    @property
    def required_met(self) -> int:
        return self._count(required=True, state="met")

    @property
    def preferred_total(self) -> int:
        return self._count(required=False)

    @property
    def preferred_met(self) -> int:
        return self._count(required=False, state="met")

    @property
    def meets_required(self) -> bool:
        return self.required_met == self.required_total

    @property
    def summary(self) -> str:
        """For example "3 of 4 required skills at the level asked; 1 of 2 preferred skills"."""
        parts = []
        if self.required_total:
            parts.append(
                f"{self.required_met} of {self.required_total} required skill"
                f"{'' if self.required_total == 1 else 's'} at the level asked"
            )
        if self.preferred_total:
            parts.append(
                f"{self.preferred_met} of {self.preferred_total} preferred skill"
                f"{'' if self.preferred_total == 1 else 's'}"
            )
        return "; ".join(parts) or "No particular skills asked for"

    @property
    def sort_key(self) -> tuple:
        # Required skills at the level asked count most, then preferred ones; a skill held below
        # the level still beats a missing one.
        return (
            self.required_met,
            self.preferred_met,
            sum(1 for c in self.checks if c.state == "below"),
        )


def skill_match(wanted: list[ProjectSkill], held: list[StudentSkill]) -> SkillMatch:
    """The student's held skills against the project's wanted ones, required ones first."""
    levels = {s.skill_id: s.level for s in held}
    return SkillMatch([SkillCheck(w, levels.get(w.skill_id)) for w in wanted])


class Overdue:
    UNANSWERED = "unanswered"  # no first answer 14 days after applying
    UNDECIDED = "undecided"  # submitted or shortlisted 14 days after the project's deadline


def overdue_because(
    application: Application,
    *,
    now: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> str:
    """Why the organization owes this applicant an answer now (an Overdue code), or ""."""
    now = now or timezone.now()
    if (
        application.status == Application.Status.SUBMITTED
        and application.answered_at is None
        and application.created_at <= now - ANSWER_WITHIN
    ):
        return Overdue.UNANSWERED
    deadline = application.project.application_deadline
    if deadline is None or application.status not in UNDECIDED:
        return ""
    today = today or today_in(application.project.zone, now)
    return Overdue.UNDECIDED if today >= deadline + OVERDUE_AFTER_DEADLINE else ""


def is_overdue(application: Application, **when) -> bool:
    return bool(overdue_because(application, **when))


UNDECIDED = (Application.Status.SUBMITTED, Application.Status.SHORTLISTED)


def _overdue(project: Project, *, now: datetime.datetime, today: datetime.date) -> Q:
    """overdue_because() in SQL, for the applications of one project."""
    condition = Q(
        status=Application.Status.SUBMITTED,
        answered_at__isnull=True,
        created_at__lte=now - ANSWER_WITHIN,
    )
    deadline = project.application_deadline
    if deadline is not None and today >= deadline + OVERDUE_AFTER_DEADLINE:
        condition |= Q(status__in=UNDECIDED)
    return condition


def offer_is_expired(application: Application, *, now: datetime.datetime | None = None) -> bool:
    expires = application.offer_expires_at
    return (
        application.status == Application.Status.OFFERED
        and expires is not None
        and expires <= (now or timezone.now())
    )


def questions_and_answers(application: Application) -> list[tuple[str, str]]:
    """Each screening question of the project with the student's answer."""
    questions = application.project.screening_questions or []
    answers = application.answers or []
    return [(q, answers[i] if i < len(answers) else "") for i, q in enumerate(questions)]


def project_with_organization(pk: int) -> Project | None:
    return Project.objects.select_related("organization").filter(pk=pk).first()


def visible_project(user, pk: int, perm: str = "projects.view_project") -> Project:
    """The project with its organization if `user` has `perm` on it, else a 404 (drafts are
    unknown outside their organization; the applicants list to its members only)."""
    return visible_or_404(project_with_organization(pk), user, perm, what="project")


def application_of(user, project: Project) -> Application | None:
    if not user.is_authenticated:
        return None
    return Application.objects.filter(project=project, student=user).first()


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "project__organization", "project__mentor", "student", "engagement"
    )


def application_for_page(pk: int) -> Application | None:
    """The application with its project, student, profile and both sides' skills loaded."""
    return (
        _applications()
        .select_related("student__student_profile__institution")
        .prefetch_related(
            Prefetch("project__skills", ProjectSkill.objects.select_related("skill")),
            Prefetch("student__student_profile__skills", StudentSkill.objects.all()),
        )
        .filter(pk=pk)
        .first()
    )


def visible_application(user, pk: int) -> Application:
    return visible_or_404(
        application_for_page(pk), user, "engagements.view_application", what="application"
    )


# Applications a page of the student's list shows at a time.
MY_APPLICATIONS_PAGE_SIZE = 20


def applications_of_student(user) -> QuerySet[Application]:
    """Every application of the student, newest first: one query."""
    return _applications().filter(student=user).order_by("-created_at", "-pk")


@dataclass
class Applicant:
    """An application as the selecting organization sees it in the list."""

    application: Application
    match: SkillMatch
    overdue_because: str

    @property
    def overdue(self) -> bool:
        return bool(self.overdue_because)

    @property
    def profile(self):
        return getattr(self.application.student, "student_profile", None)

    @property
    def offer_expired(self) -> bool:
        return offer_is_expired(self.application)


_SKILLS = "student__student_profile__skills__"


def _held(wanted: list[ProjectSkill], *, required: bool | None, met: bool):
    """How many of the `wanted` skills (the required ones, the preferred ones, or all when
    `required` is None) the applicant holds at the level asked (`met`) or below it: a count
    the database sorts by, the same SkillMatch computes for the rows shown. The three counts
    share one join of the applicants' skills, grouped by application."""
    condition = Q()
    for w in wanted:
        if required is None or w.is_required == required:
            level = {f"{_SKILLS}level__gte" if met else f"{_SKILLS}level__lt": w.min_level}
            condition |= Q(**{f"{_SKILLS}skill_id": w.skill_id}, **level)
    if not condition:
        return Value(0)
    return Count(_SKILLS[:-2], filter=condition)


_ORDER = {
    Sort.NEWEST: ("-created_at", "-pk"),
    Sort.OLDEST: ("created_at", "pk"),
    # Required skills at the level asked count most, then preferred ones; a skill held below
    # the level still beats a missing one (SkillMatch.sort_key); then newest first.
    Sort.BEST_MATCH: ("-required_met", "-preferred_met", "-below", "-created_at", "-pk"),
    Sort.AVAILABILITY: (
        F("student__student_profile__weekly_hours").desc(nulls_last=True),
        "-created_at",
        "-pk",
    ),
}


class ApplicantList:
    """A project's applicants, filtered and sorted by the database: slicing it (the page's
    Paginator, the API's Pagination) loads only that slice, in two queries (the rows, their
    skills), and `count()` is one more; the skill match and the overdue flag of each row are
    computed from what was loaded.

    `ordered` is the sorted, filtered list of applications alone (kept as `sorted_rows`:
    Paginator tests an attribute named `ordered` for truth, which would load every row);
    `load(page)`, when given, loads a slice of it with everything shown, and `total` counts it.
    A sort on counted skills groups every applicant's skills: done on the narrow rows of
    `ordered` it stays cheap, and the wide rows are grouped for the 25 of the page only."""

    def __init__(self, ordered: QuerySet, wanted, *, now, today, load=None, total=None):
        self.sorted_rows, self.wanted, self.now, self.today = ordered, wanted, now, today
        self.load = load
        self.total = ordered if total is None else total

    def _row(self, application: Application) -> Applicant:
        profile = getattr(application.student, "student_profile", None)
        held = list(profile.skills.all()) if profile is not None else []
        return Applicant(
            application,
            skill_match(self.wanted, held),
            overdue_because(application, now=self.now, today=self.today),
        )

    def count(self) -> int:
        return self.total.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        rows = self.sorted_rows[index] if self.load is None else self.load(self.sorted_rows[index])
        return [self._row(a) for a in rows]

    def __iter__(self):
        return iter(self[:])


def applicants_of(
    project: Project,
    *,
    status: str = "",
    meets_required: bool = False,
    overdue: bool = False,
    sort: str = Sort.NEWEST,
    now: datetime.datetime | None = None,
) -> ApplicantList:
    """The project's applications with the applicant's profile and skill match, filtered (by
    status, every required skill met, overdue) and sorted (newest, waiting longest, best skill
    match, most hours a week) in the database, so a page of 25 among 2,000 loads 25."""
    now = now or timezone.now()
    today = today_in(project.zone, now)
    wanted = list(project.skills.select_related("skill"))
    order = _ORDER.get(sort, _ORDER[Sort.NEWEST])
    required = sum(1 for w in wanted if w.is_required)

    def counted(applications: QuerySet[Application]) -> QuerySet[Application]:
        return applications.annotate(
            required_met=_held(wanted, required=True, met=True),
            preferred_met=_held(wanted, required=False, met=True),
            below=_held(wanted, required=None, met=False),
        )

    def shown(applications: QuerySet[Application]) -> QuerySet[Application]:
        return (
            applications.select_related(
                "project__organization",
                "project__mentor",
                "student__student_profile__institution",
                "engagement",
            )
            .prefetch_related(
                Prefetch("student__student_profile__skills", StudentSkill.objects.all())
            )
            .order_by(*order)
        )

    applications = Application.objects.filter(project=project)
    if status:
        applications = applications.filter(status=status)
    if overdue:
        applications = applications.filter(_overdue(project, now=now, today=today))
    if not (sort == Sort.BEST_MATCH or (meets_required and required)):
        return ApplicantList(shown(applications), wanted, now=now, today=today)
    total = applications
    applications = counted(applications)
    if meets_required and required:
        applications = total = applications.filter(required_met=required)
    return ApplicantList(
        applications.order_by(*order),
        wanted,
        now=now,
        today=today,
        load=lambda page: shown(counted(Application.objects.filter(pk__in=page.values("pk")))),
        total=total,
    )


def applicant_page(project: Project, *, page=1, **filters) -> Page:
    """One page (25) of applicants_of(); a page number past the end or not a number gives the
    last or the first page."""
    return Paginator(applicants_of(project, **filters), PAGE_SIZE).get_page(page)


def application_match(application: Application) -> SkillMatch:
    """The match of an application loaded by application_for_page (no further query)."""
    profile = getattr(application.student, "student_profile", None)
    held = list(profile.skills.all()) if profile is not None else []
    return skill_match(list(application.project.skills.all()), held)


def _engagements() -> QuerySet[Engagement]:
    return Engagement.objects.select_related(
        "project__organization", "student__student_profile", "mentor", "application"
    )


def engagement_for_page(pk: int) -> Engagement | None:
    return _engagements().filter(pk=pk).first()


def readable_engagement(user, pk: int) -> Engagement:
    """The engagement (project, organization, student and mentor loaded) for those who may
    read it; a 404 for everyone else, as if it did not exist."""
    return visible_or_404(
        engagement_for_page(pk), user, "engagements.view_engagement", what="engagement"
    )


def engagements_of(user) -> QuerySet[Engagement]:
    """The engagements the user may see: as the student, as the mentor or as an owner of the
    project's organization (the same people engagements.view_engagement lets in)."""
    if not user.is_authenticated:
        return Engagement.objects.none()
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER).values(
        "organization_id"
    )
    # A union of three index lookups rather than one OR across the project join, which the
    # database can only answer by scanning every engagement.
    mine = Engagement.objects.order_by().values("pk")
    ids = (
        mine.filter(student=user)
        .union(mine.filter(mentor=user))
        .union(mine.filter(project__organization_id__in=owned))
    )
    return _engagements().filter(pk__in=ids).order_by("-created_at", "-pk")


def agreement_versions(engagement: Engagement) -> list[AgreementVersion]:
    """Every version of the agreement, oldest first, with its signatures and their signers:
    two queries whatever the number of versions."""
    return list(
        AgreementVersion.objects.filter(engagement=engagement)
        .select_related("created_by")
        .prefetch_related(Prefetch("signatures", Signature.objects.select_related("user")))
        .order_by("number")
    )


def agreement_version(engagement: Engagement, number: int) -> AgreementVersion:
    """One version with its signatures, or a 404."""
    version = (
        AgreementVersion.objects.filter(engagement=engagement, number=number)
        .select_related("created_by")
        .prefetch_related(Prefetch("signatures", Signature.objects.select_related("user")))
        .first()
    )
    return visible_or_404(version, what="version")


def shown_version(versions: list[AgreementVersion]) -> AgreementVersion | None:
    """The version that speaks for the agreement: the one in force, else the draft to sign,
    else (a cancelled engagement that never got one) the latest."""
    by_status = {v.status: v for v in versions}
    return (
        by_status.get(AgreementVersion.Status.CURRENT)
        or by_status.get(AgreementVersion.Status.DRAFT)
        or (versions[-1] if versions else None)
    )


def open_amendment(versions: list[AgreementVersion]) -> AgreementVersion | None:
    return next((v for v in versions if v.status == AgreementVersion.Status.PROPOSED), None)


def events_of(engagement: Engagement) -> QuerySet[EngagementEvent]:
    """The engagement's events, oldest first, with who acted: one query (sliced by the caller's
    pagination)."""
    return (
        EngagementEvent.objects.filter(engagement=engagement)
        .select_related("actor")
        .order_by("at", "pk")
    )


# The engagement page shows this many events at a time, newest first.
EVENTS_PER_PAGE = 20
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class EventsPage:
    events: list[EngagementEvent]
    next_cursor: str  # where the older events start; "" when there are none


def _cursor(event: EngagementEvent) -> str:
    return f"{(event.at - _EPOCH) // _MICROSECOND}-{event.pk}"


def _parse_cursor(value: str) -> tuple[datetime.datetime, int] | None:
    """(at, pk) from a cursor, or None for anything else (a bounded, digits-only format)."""
    moment, _, pk = (value or "").partition("-")
    if not (moment.isdigit() and pk.isdigit() and len(moment) <= 18 and len(pk) <= 18):
        return None
    try:
        return _EPOCH + int(moment) * _MICROSECOND, int(pk)
    except OverflowError:
        return None


def latest_events(engagement: Engagement, *, before: str = "") -> EventsPage:
    """The engagement's newest EVENTS_PER_PAGE events, or those just older than the cursor
    `before` (an unreadable cursor starts from the newest). Keyset paging on (at, pk), read
    from the (engagement, at) index: one query whatever the number of events."""
    events = EngagementEvent.objects.filter(engagement=engagement)
    cursor = _parse_cursor(before)
    if cursor is not None:
        at, pk = cursor
        events = events.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    rows = list(events.select_related("actor").order_by("-at", "-pk")[: EVENTS_PER_PAGE + 1])
    shown = rows[:EVENTS_PER_PAGE]
    return EventsPage(shown, _cursor(shown[-1]) if len(rows) > EVENTS_PER_PAGE else "")
