"""Reads for match rounds: querysets with their joins, so pages do a fixed number of queries,
and the adapter that turns a round's rows into the matching engine's plain inputs."""

import datetime
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import ordinal
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from practicum.accounts.models import Membership, User
from practicum.engagements.lifecycle import APPLICATION_FINAL as FINAL
from practicum.engagements.models import Application
from practicum.matching.scoring import StudentInput, TextIndex, score_fit
from practicum.profiles.models import StudentProfile
from practicum.projects.models import Project
from practicum.recommendations import adapter
from practicum.recommendations.reasons import Audience, sentence
from practicum.rounds.models import (
    ApplicantRank,
    MatchRound,
    ProjectChoice,
    RoundProject,
    RoundResult,
    RoundStudent,
)

State = MatchRound.State


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


def _with_accepted(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.annotate(
        accepted=Count("applications", filter=Q(applications__status=Application.Status.ACCEPTED))
    )


def remaining_places(project: Project) -> int:
    """Places not yet taken by an accepted offer (an offer alone does not hold a place)."""
    accepted = getattr(project, "accepted", None)
    if accepted is None:
        accepted = project.applications.filter(status=Application.Status.ACCEPTED).count()
    return max(0, project.capacity - accepted)


def places_for_run(project: Project, capacity_in_round: int) -> int:
    """The places a run may fill: the round's capacity, less places taken outside the round
    since it was set; none once the project is archived."""
    if project.status == Project.Status.ARCHIVED:
        return 0
    return min(capacity_in_round, remaining_places(project))


def addable_projects(match_round: MatchRound, *, today: datetime.date | None = None):
    """Projects that could join the round: taking applications now, with a place left, not in
    it yet; for an organization's round, only that organization's projects."""
    today = today or timezone.localdate()
    projects = (
        _with_accepted(Project.objects.filter(status=Project.Status.OPEN))
        .filter(Q(application_deadline__isnull=True) | Q(application_deadline__gte=today))
        .filter(accepted__lt=F("capacity"))
        .exclude(round_entries__round=match_round)
        .select_related("organization")
        .order_by("organization__name", "title", "pk")
    )
    if match_round.organization_id is not None:
        projects = projects.filter(organization_id=match_round.organization_id)
    return projects


# --------------------------------------------------------------------------------------------
# Lists
# --------------------------------------------------------------------------------------------


def _rounds() -> QuerySet[MatchRound]:
    return MatchRound.objects.select_related("institution", "organization")


def round_with_owner(pk: int) -> MatchRound | None:
    return _rounds().filter(pk=pk).first()


def rounds_run_by(user) -> QuerySet[MatchRound]:
    """The rounds the user runs (as institution staff or organization owner), newest first,
    with their numbers of projects and students: one query."""
    if not user.is_authenticated:
        return MatchRound.objects.none()
    institutions = user.staff_roles.values("institution_id")
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER).values(
        "organization_id"
    )
    return (
        _rounds()
        .filter(Q(institution_id__in=institutions) | Q(organization_id__in=owned))
        .annotate(
            project_count=Count("projects", distinct=True),
            student_count=Count("students", distinct=True),
        )
    )


def bodies_of(user) -> tuple[list, list]:
    """The institutions and organizations the user may start a round for: two queries."""
    institutions = [role.institution for role in user.staff_roles.select_related("institution")]
    organizations = [
        m.organization
        for m in Membership.objects.filter(user=user, role=Membership.Role.OWNER).select_related(
            "organization"
        )
    ]
    return institutions, organizations


def round_projects_of_member(user) -> QuerySet[RoundProject]:
    """The user's organizations' projects in rounds past their draft, with their number of
    applicants (round students who ranked them): one query."""
    if not user.is_authenticated:
        return RoundProject.objects.none()
    organizations = Membership.objects.filter(user=user).values("organization_id")
    return (
        RoundProject.objects.filter(project__organization_id__in=organizations)
        .exclude(round__state=State.DRAFT)
        .select_related("round__institution", "round__organization", "project__organization")
        .annotate(applicant_count=Count("choices"))
        .order_by("-round__created_at", "-round_id", "project__title", "pk")
    )


@dataclass
class StudentRound:
    """A round as one of its students sees it: the result only once published."""

    entry: RoundStudent
    choice_count: int
    result: RoundResult | None

    @property
    def round(self) -> MatchRound:
        return self.entry.round


def rounds_of_student(user) -> list[StudentRound]:
    """The student's rounds past their draft, newest first: two queries."""
    if not user.is_authenticated:
        return []
    entries = list(
        RoundStudent.objects.filter(student=user)
        .exclude(round__state=State.DRAFT)
        .select_related("round__institution", "round__organization")
        .annotate(choice_count=Count("choices"))
        .order_by("-round__created_at", "-round_id")
    )
    published = [e.pk for e in entries if e.round.state == State.PUBLISHED]
    results = (
        {r.round_student_id: r for r in _results().filter(round_student_id__in=published)}
        if published
        else {}
    )
    return [StudentRound(e, e.choice_count, results.get(e.pk)) for e in entries]


# --------------------------------------------------------------------------------------------
# The staff's round page
# --------------------------------------------------------------------------------------------


def round_projects(match_round: MatchRound) -> list[RoundProject]:
    """The round's projects with their organization, number of applicants and of applicants
    ranked back: one query."""
    return list(
        RoundProject.objects.filter(round=match_round)
        .select_related("project__organization")
        .annotate(
            applicant_count=Count("choices", distinct=True),
            ranked_count=Count("applicant_ranks", distinct=True),
        )
        .order_by("project__organization__name", "project__title", "pk")
    )


def round_students(match_round: MatchRound) -> list[RoundStudent]:
    """The round's students with their profile and number of projects ranked: one query."""
    return list(
        RoundStudent.objects.filter(round=match_round)
        .select_related("student__student_profile__institution")
        .annotate(choice_count=Count("choices"))
        .order_by("student__name", "student__email", "pk")
    )


def round_student(match_round: MatchRound, student_id: int) -> RoundStudent | None:
    """The student's entry in the round (by user id), with the student and the round."""
    return (
        RoundStudent.objects.select_related("student", "round")
        .filter(round=match_round, student_id=student_id)
        .first()
    )


def institution_students(match_round: MatchRound) -> QuerySet[User]:
    """Active student accounts whose profile names the round's institution (none for an
    organization's round)."""
    if match_round.institution_id is None:
        return User.objects.none()
    return User.objects.filter(
        account_type=User.AccountType.STUDENT,
        is_active=True,
        student_profile__institution_id=match_round.institution_id,
    )


# --------------------------------------------------------------------------------------------
# Rankings
# --------------------------------------------------------------------------------------------


def round_entry(match_round: MatchRound, user) -> RoundStudent | None:
    if not user.is_authenticated:
        return None
    return RoundStudent.objects.filter(round=match_round, student=user).first()


def projects_to_rank(match_round: MatchRound) -> list[RoundProject]:
    """The round's projects with their organizations, by title: one query."""
    return list(
        RoundProject.objects.filter(round=match_round)
        .select_related("project__organization")
        .order_by("project__title", "pk")
    )


def ranked_projects(entry: RoundStudent) -> list[RoundProject]:
    """The student's ranking, best first, with each project and its organization: one query."""
    return [
        choice.round_project
        for choice in ProjectChoice.objects.filter(round_student=entry)
        .select_related("round_project__project__organization")
        .order_by("position")
    ]


def round_project(match_round: MatchRound, project_id: int) -> RoundProject | None:
    """The round's entry for the project, with the round and the project's organization."""
    return (
        RoundProject.objects.select_related(
            "round__institution", "round__organization", "project__organization"
        )
        .filter(round=match_round, project_id=project_id)
        .first()
    )


@dataclass
class Applicant:
    """A round student who ranked the project, with the project's rank for them, if any, and
    their fit score with the project (set by applicants_with_fit)."""

    entry: RoundStudent
    position: int | None
    fit: float | None = None

    @property
    def fit_percent(self) -> int | None:
        return None if self.fit is None else round(self.fit * 100)

    @property
    def student(self) -> User:
        return self.entry.student

    @property
    def profile(self):
        return getattr(self.entry.student, "student_profile", None)


def applicants_of(round_project: RoundProject) -> list[Applicant]:
    """The round students who ranked the project: those it ranked first, in its order, then
    the others by name. Two queries."""
    positions = dict(
        ApplicantRank.objects.filter(round_project=round_project).values_list(
            "round_student_id", "position"
        )
    )
    entries = (
        RoundStudent.objects.filter(choices__round_project=round_project)
        .select_related("student__student_profile__institution")
        .order_by("student__name", "student__email", "pk")
    )
    applicants = [Applicant(e, positions.get(e.pk)) for e in entries]
    # Ranked first by their rank; students ranked before they dropped the project are not here.
    applicants.sort(key=lambda a: (a.position is None, a.position or 0))
    return applicants


def fit_scores(round_project: RoundProject, applicants: list[Applicant]) -> dict[int, float]:
    """Each applicant's fit score with the project (matching.scoring.score_fit on the
    recommendations adapter's inputs), by user id: five queries, whatever their number."""
    project = adapter.projects_for_matching(Project.objects.filter(pk=round_project.project_id))
    project_in = adapter.project_input(project.get())
    profiles = {
        p.user_id: p
        for p in adapter.profiles_for_matching(
            StudentProfile.objects.filter(user_id__in=[a.student.pk for a in applicants])
        )
    }
    # By user id, so the text index (and any float rounding) never depends on the page's order.
    students = {
        pk: adapter.student_input(profiles[pk]) if pk in profiles else StudentInput(id=pk)
        for pk in sorted(a.student.pk for a in applicants)
    }
    index = TextIndex.from_inputs(students.values(), [project_in])
    return {pk: score_fit(s, project_in, index).score for pk, s in students.items()}


def applicants_with_fit(round_project: RoundProject) -> list[Applicant]:
    applicants = applicants_of(round_project)
    scores = fit_scores(round_project, applicants)
    for applicant in applicants:
        applicant.fit = scores[applicant.student.pk]
    return applicants


def fit_order(round_project: RoundProject) -> list[int]:
    """The applicants' user ids by fit score, best first; equal scores by user id. Seven
    queries, whatever the number of applicants."""
    scores = fit_scores(round_project, applicants_of(round_project))
    return sorted(scores, key=lambda pk: (-scores[pk], pk))


def applicant_ids(round_project: RoundProject) -> set[int]:
    """User ids of the round students who ranked the project."""
    return set(
        RoundStudent.objects.filter(choices__round_project=round_project).values_list(
            "student_id", flat=True
        )
    )


# --------------------------------------------------------------------------------------------
# The adapter: rows -> engine inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchInputs:
    """A round in the engine's terms, keyed by RoundStudent and RoundProject ids.

    ``project_prefs`` holds only pairs that can still become an offer: the student ranks the
    project now, and has no application to it that is past answering (accepted, declined,
    rejected, withdrawn): for them the project does not rank the student back.
    """

    student_prefs: dict[int, list[int]]
    project_prefs: dict[int, list[int]]
    capacities: dict[int, int]

    def choice_number(self, student: int, project: int) -> int:
        return self.student_prefs[student].index(project) + 1


def match_inputs(match_round: MatchRound) -> MatchInputs:
    """Read the round's rankings and places: five queries, whatever the round's size. Lists are
    ordered by position, so the same rows always give the same inputs."""
    students = dict(RoundStudent.objects.filter(round=match_round).values_list("pk", "student_id"))
    student_prefs: dict[int, list[int]] = {pk: [] for pk in students}
    for student, project in (
        ProjectChoice.objects.filter(round_student__round=match_round)
        .order_by("round_student_id", "position")
        .values_list("round_student_id", "round_project_id")
    ):
        student_prefs[student].append(project)

    entries = list(
        RoundProject.objects.filter(round=match_round)
        .select_related("project")
        .annotate(
            accepted=Count(
                "project__applications",
                filter=Q(project__applications__status=Application.Status.ACCEPTED),
            )
        )
        .order_by("pk")
    )
    capacities = {}
    for entry in entries:
        entry.project.accepted = entry.accepted
        capacities[entry.pk] = places_for_run(entry.project, entry.capacity)

    closed = _closed_pairs(match_round, entries, students)
    chose = {(p, s) for s, projects in student_prefs.items() for p in projects}
    project_prefs: dict[int, list[int]] = {entry.pk: [] for entry in entries}
    for project, student in (
        ApplicantRank.objects.filter(round_project__round=match_round)
        .order_by("round_project_id", "position")
        .values_list("round_project_id", "round_student_id")
    ):
        if (project, student) in chose and (project, student) not in closed:
            project_prefs[project].append(student)
    return MatchInputs(student_prefs, project_prefs, capacities)


def _closed_pairs(
    match_round: MatchRound, entries: list[RoundProject], students: dict[int, int]
) -> set[tuple[int, int]]:
    """(RoundProject id, RoundStudent id) of students whose application to the project can no
    longer become an offer. ``students`` maps RoundStudent ids to user ids."""
    entry_of_project = {e.project_id: e.pk for e in entries}
    entry_of_student = {user: entry for entry, user in students.items()}
    finished = Application.objects.filter(
        project_id__in=entry_of_project,
        student__round_entries__round=match_round,
        status__in=FINAL,
    ).values_list("project_id", "student_id")
    return {(entry_of_project[p], entry_of_student[s]) for p, s in finished}


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


def _results() -> QuerySet[RoundResult]:
    return RoundResult.objects.select_related(
        "round_student__student", "round_project__project__organization", "application"
    )


@dataclass
class ProjectFill:
    entry: RoundProject
    matched: int

    @property
    def places(self) -> int:
        return self.entry.places_at_run if self.entry.places_at_run is not None else 0

    @property
    def rate(self) -> int:
        """Percentage of the places filled; 0 for a project with no place at the run."""
        return round(100 * self.matched / self.places) if self.places else 0


@dataclass
class Preview:
    round: MatchRound
    results: list[RoundResult]
    fills: list[ProjectFill]
    unmatched: list[RoundResult] = field(init=False)

    def __post_init__(self):
        self.unmatched = [r for r in self.results if not r.is_matched]

    @property
    def matched_count(self) -> int:
        return len(self.results) - len(self.unmatched)

    @property
    def places(self) -> int:
        return sum(f.places for f in self.fills)


def preview(match_round: MatchRound) -> Preview:
    """Every student's outcome and the fill of every project: two queries, any round size."""
    results = list(
        _results()
        .filter(round_student__round=match_round)
        .order_by("round_student__student__name", "round_student__student__email", "pk")
    )
    fills = [
        ProjectFill(entry, entry.matched)
        for entry in RoundProject.objects.filter(round=match_round)
        .select_related("project__organization")
        .annotate(matched=Count("results"))
        .order_by("project__organization__name", "project__title", "pk")
    ]
    return Preview(match_round, results, fills)


def published_result(match_round: MatchRound, user) -> RoundResult | None:
    """The student's result, only once the round is published."""
    if match_round.state != State.PUBLISHED or not user.is_authenticated:
        return None
    return _results().filter(round_student__round=match_round, round_student__student=user).first()


def matches_of(round_project: RoundProject) -> list[RoundResult]:
    """The students matched with the project, once the round is published (else none)."""
    if round_project.round.state != State.PUBLISHED:
        return []
    return list(
        _results().filter(round_project=round_project).order_by("round_student__student__name")
    )


def result_message(result: RoundResult) -> str:
    """The sentence a student reads about their result."""
    if not result.is_matched:
        return f"You were not matched: {sentence(result.reason, Audience.STUDENT).lower()}."
    project = result.round_project.project
    return (
        f"You were matched with “{project.title}” ({project.organization.name}), your "
        f"{ordinal(result.choice)} choice — accept the offer on My applications."
    )
