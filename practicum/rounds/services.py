"""Writes for match rounds. Each function is one transaction and checks once who may do it; the
round's state moves only through the table in transitions.py.

Every write locks the round's row first, so a run or a publication never interleaves with a
change to the round's projects, students or rankings: it sees all of one or none of it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format

from practicum.accounts.models import User
from practicum.core.errors import Conflict, Refused, ServiceError
from practicum.engagements import services as engagement_services
from practicum.matching.stable import deferred_acceptance, unmatched_reasons
from practicum.projects import selectors as project_selectors
from practicum.projects.models import Project
from practicum.rounds import selectors, transitions
from practicum.rounds.models import (
    MAX_CHOICES,
    ApplicantRank,
    MatchRound,
    ProjectChoice,
    RoundProject,
    RoundResult,
    RoundStudent,
)

State = MatchRound.State
NAME_MAX = MatchRound._meta.get_field("name").max_length
# How many addresses one "add students" request may carry.
EMAILS_MAX = 500


def _locked(match_round: MatchRound) -> MatchRound:
    return (
        MatchRound.objects.select_related("institution", "organization")
        .select_for_update(of=("self",))
        .get(pk=match_round.pk)
    )


def _check_staff(by, match_round: MatchRound) -> None:
    if not by.has_perm("rounds.manage_round", match_round):
        raise Refused("not_round_staff", f"Only the people who run “{match_round}” can do this.")


def _check_editable(match_round: MatchRound) -> None:
    if match_round.state not in transitions.EDITABLE:
        raise Conflict(
            "round_locked",
            "The round's projects, students and deadline can change only before it is run "
            f"(it is now “{match_round.get_state_display().lower()}”).",
        )


def _moment(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "j M Y, H:i")


def _clean_name(name, errors: dict) -> str:
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = [ValidationError("Give the round a name.", code="required")]
    elif len(name) > NAME_MAX:
        errors["name"] = [ValidationError(f"At most {NAME_MAX} characters.", code="max_length")]
    return name


def _clean_deadline(deadline, errors: dict, *, required: bool) -> datetime.datetime | None:
    if deadline is None:
        if required:
            errors["ranking_deadline"] = [
                ValidationError("Set the ranking deadline.", code="required")
            ]
        return None
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if deadline <= timezone.now():
        errors["ranking_deadline"] = [
            ValidationError("The ranking deadline must be in the future.", code="past")
        ]
    return deadline


def _move(match_round: MatchRound, action: str, **changes) -> MatchRound:
    return transitions.TABLE.move(match_round, action, state_changed_at=timezone.now(), **changes)


# --------------------------------------------------------------------------------------------
# The round itself
# --------------------------------------------------------------------------------------------


@transaction.atomic
def create_round(
    *, by, name: str, institution=None, organization=None, ranking_deadline=None
) -> MatchRound:
    """Start a round in draft, owned by exactly one body: an institution (only its career-center
    staff may) or an organization (only its owners may). The name is required (at most 200
    characters); a deadline, if given now, must be in the future."""
    if (institution is None) == (organization is None):
        raise ValidationError({"owner": ["A round is run by one institution or one organization."]})
    if institution is not None and not by.has_perm("rounds.create_institution_round", institution):
        raise Refused("not_institution_staff", f"Only the staff of {institution} can do this.")
    if organization is not None and not by.has_perm(
        "rounds.create_organization_round", organization
    ):
        raise Refused("not_org_owner", f"Only the owners of {organization} can do this.")
    errors: dict[str, list[ValidationError]] = {}
    name = _clean_name(name, errors)
    ranking_deadline = _clean_deadline(ranking_deadline, errors, required=False)
    if errors:
        raise ValidationError(errors)
    return MatchRound.objects.create(
        name=name,
        institution=institution,
        organization=organization,
        ranking_deadline=ranking_deadline,
        created_by=by,
    )


@transaction.atomic
def update_round(match_round: MatchRound, *, by, name: str, ranking_deadline) -> MatchRound:
    """Rename the round or move its ranking deadline; its staff, before it is run. The deadline
    must be in the future, and may be cleared only while the round is a draft."""
    _check_staff(by, match_round)
    match_round = _locked(match_round)
    _check_editable(match_round)
    errors: dict[str, list[ValidationError]] = {}
    name = _clean_name(name, errors)
    if ranking_deadline != match_round.ranking_deadline:
        ranking_deadline = _clean_deadline(
            ranking_deadline, errors, required=match_round.state != State.DRAFT
        )
    if errors:
        raise ValidationError(errors)
    match_round.name = name
    match_round.ranking_deadline = ranking_deadline
    match_round.save(update_fields=["name", "ranking_deadline"])
    return match_round


@transaction.atomic
def open_ranking(match_round: MatchRound, *, by) -> MatchRound:
    """Let the students rank; the round's staff. The round needs a project, a student and a
    ranking deadline in the future."""
    _check_staff(by, match_round)
    match_round = _locked(match_round)
    transitions.target_of(match_round, "open")
    if not match_round.projects.exists():
        raise Conflict("no_projects", "Add at least one project before opening ranking.")
    if not match_round.students.exists():
        raise Conflict("no_students", "Add at least one student before opening ranking.")
    if match_round.ranking_deadline is None or match_round.deadline_passed():
        raise Conflict("no_deadline", "Set a ranking deadline in the future first.")
    return _move(match_round, "open")


@transaction.atomic
def cancel_round(match_round: MatchRound, *, by) -> MatchRound:
    """Call the round off before its results are published; the round's staff."""
    _check_staff(by, match_round)
    return _move(_locked(match_round), "cancel")


# --------------------------------------------------------------------------------------------
# Projects and students
# --------------------------------------------------------------------------------------------


def _check_capacity(capacity, remaining: int) -> int:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise ValidationError({"capacity": ["Give at least one place."]})
    if capacity > remaining:
        places = "place is" if remaining == 1 else "places are"
        raise ValidationError({"capacity": [f"Only {remaining} {places} left on this project."]})
    return capacity


@transaction.atomic
def add_project(
    match_round: MatchRound, *, by, project: Project, capacity: int | None = None
) -> RoundProject:
    """Put a project that takes applications into the round, with its remaining places or
    fewer; the round's staff, before the run. An organization's round takes only that
    organization's projects."""
    _check_staff(by, match_round)
    match_round = _locked(match_round)
    _check_editable(match_round)
    if match_round.organization_id is not None and (
        project.organization_id != match_round.organization_id
    ):
        raise ValidationError(
            {"project": [f"This round takes only projects of {match_round.organization}."]}
        )
    reason = project_selectors.closed_reason(project)
    if reason:
        raise ValidationError({"project": [f"“{project}” is not taking applications: {reason}"]})
    if match_round.projects.filter(project=project).exists():
        raise Conflict("already_in_round", f"“{project}” is already in this round.")
    remaining = selectors.remaining_places(project)
    if remaining == 0:
        raise ValidationError({"project": [f"Every place on “{project}” is taken."]})
    capacity = _check_capacity(remaining if capacity is None else capacity, remaining)
    return RoundProject.objects.create(round=match_round, project=project, capacity=capacity)


@transaction.atomic
def set_capacity(round_project: RoundProject, *, by, capacity: int) -> RoundProject:
    """Change the places a project offers in the round: at least one, at most the project's
    places left now; the round's staff, before the run."""
    _check_staff(by, round_project.round)
    _check_editable(_locked(round_project.round))
    round_project.capacity = _check_capacity(
        capacity, selectors.remaining_places(round_project.project)
    )
    round_project.save(update_fields=["capacity"])
    return round_project


@transaction.atomic
def remove_project(round_project: RoundProject, *, by) -> None:
    """Take a project out of the round, with the students' choices of it and its ranking; the
    round's staff, before the run."""
    _check_staff(by, round_project.round)
    _check_editable(_locked(round_project.round))
    round_project.delete()


def _check_eligible(match_round: MatchRound, user: User | None, email: str) -> str:
    """Why the address cannot join the round, or ""."""
    if user is None or not user.is_active:
        return f"No student account uses {email}."
    if not user.is_student:
        return f"{email} is not a student account."
    if match_round.institution_id is not None:
        profile = getattr(user, "student_profile", None)
        if profile is None or profile.institution_id != match_round.institution_id:
            return f"{email} is not a student of {match_round.institution}."
    return ""


@transaction.atomic
def add_students(match_round: MatchRound, *, by, emails: list[str]) -> list[RoundStudent]:
    """Make students eligible by their account's email address; the round's staff, before the
    run. In an institution's round only the institution's students (their profile says so) may
    join. All or nothing: one unknown or ineligible address refuses the whole list. Students
    already in the round are skipped. Returns the entries added."""
    _check_staff(by, match_round)
    match_round = _locked(match_round)
    _check_editable(match_round)
    if not isinstance(emails, list | tuple) or not all(isinstance(e, str) for e in emails):
        raise ValidationError({"emails": ["Send the addresses as a list of texts."]})
    wanted = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    if not wanted:
        raise ValidationError({"emails": ["Give at least one email address."]})
    if len(wanted) > EMAILS_MAX:
        raise ValidationError({"emails": [f"At most {EMAILS_MAX} addresses at a time."]})
    # Addresses are stored as typed: compare them without case.
    users = {
        u.email_lower: u
        for u in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .select_related("student_profile")
    }
    errors = []
    for email in wanted:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"“{email}” is not an email address.")
            continue
        reason = _check_eligible(match_round, users.get(email), email)
        if reason:
            errors.append(reason)
    if errors:
        raise ValidationError({"emails": errors})
    return _add(match_round, [users[email].pk for email in wanted])


def _add(match_round: MatchRound, user_ids: list[int]) -> list[RoundStudent]:
    present = set(
        RoundStudent.objects.filter(round=match_round, student_id__in=user_ids).values_list(
            "student_id", flat=True
        )
    )
    now = timezone.now()
    new = [
        RoundStudent(round=match_round, student_id=pk, added_at=now)
        for pk in user_ids
        if pk not in present
    ]
    RoundStudent.objects.bulk_create(new)
    return new


@transaction.atomic
def add_institution_students(match_round: MatchRound, *, by) -> int:
    """Make every active student of the round's institution eligible in one action; the round's
    staff, before the run, in an institution's round only. Returns how many joined."""
    _check_staff(by, match_round)
    match_round = _locked(match_round)
    _check_editable(match_round)
    if match_round.institution_id is None:
        raise Conflict(
            "not_an_institution_round",
            "Only an institution's round can add all of an institution's students.",
        )
    ids = list(
        selectors.institution_students(match_round).order_by("pk").values_list("pk", flat=True)
    )
    return len(_add(match_round, ids))


@transaction.atomic
def remove_student(entry: RoundStudent, *, by) -> None:
    """Take a student out of the round, with their ranking; the round's staff, before the
    run."""
    _check_staff(by, entry.round)
    _check_editable(_locked(entry.round))
    entry.delete()


# --------------------------------------------------------------------------------------------
# Rankings
# --------------------------------------------------------------------------------------------


def _check_ids(values, field: str) -> list[int]:
    if not isinstance(values, list | tuple) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise ValidationError({field: ["Send a list of ids, best first."]})
    return list(values)


def _duplicates(ids: list[int]) -> list[int]:
    seen: set[int] = set()
    return [i for i in ids if i in seen or seen.add(i)]


@transaction.atomic
def rank_projects(match_round: MatchRound, *, by, project_ids: list[int]) -> list[RoundProject]:
    """Set a student's ranking of the round's projects, best first (an empty list withdraws
    it). Only the round's students, only while ranking is open and before the deadline; at most
    10 projects, each once, each one of the round's. Returns the ranking."""
    if not by.has_perm("rounds.rank_projects", match_round):
        raise Refused("not_in_round", "Only the round's students rank its projects.")
    match_round = _locked(match_round)
    _check_ranking_open(match_round, for_students=True)
    project_ids = _check_ids(project_ids, "projects")
    entries = {e.project_id: e for e in match_round.projects.select_related("project")}
    errors = []
    if len(project_ids) > MAX_CHOICES:
        errors.append(f"Rank at most {MAX_CHOICES} projects (you ranked {len(project_ids)}).")
    for pk in dict.fromkeys(_duplicates(project_ids)):
        name = entries[pk].project.title if pk in entries else f"Project {pk}"
        errors.append(f"“{name}” is ranked more than once.")
    errors += [f"Project {pk} is not in this round." for pk in project_ids if pk not in entries]
    if errors:
        raise ValidationError({"projects": errors})
    student = RoundStudent.objects.get(round=match_round, student=by)
    ProjectChoice.objects.filter(round_student=student).delete()
    ProjectChoice.objects.bulk_create(
        ProjectChoice(round_student=student, round_project=entries[pk], position=position)
        for position, pk in enumerate(project_ids, start=1)
    )
    return [entries[pk] for pk in project_ids]


def _check_ranking_open(match_round: MatchRound, *, for_students: bool) -> None:
    if match_round.state != State.RANKING:
        raise Conflict(
            "ranking_closed",
            f"Ranking is not open in this round (it is “{match_round.get_state_display()}”).",
        )
    # Organizations rank their applicants until the run: they see the full list of applicants
    # only once the students' deadline has passed.
    if for_students and match_round.deadline_passed():
        raise Conflict(
            "ranking_closed",
            f"Ranking closed on {_moment(match_round.ranking_deadline)}.",
        )


def _check_ranks(by, round_project: RoundProject) -> MatchRound:
    if not by.has_perm("rounds.rank_applicants", round_project):
        raise Refused(
            "not_a_member", "Only members of the project's organization rank its applicants."
        )
    match_round = _locked(round_project.round)
    _check_ranking_open(match_round, for_students=False)
    return match_round


def _save_ranks(round_project: RoundProject, student_ids: list[int], *, by, method: str) -> None:
    entries = dict(
        RoundStudent.objects.filter(
            round_id=round_project.round_id, student_id__in=student_ids
        ).values_list("student_id", "pk")
    )
    ApplicantRank.objects.filter(round_project=round_project).delete()
    ApplicantRank.objects.bulk_create(
        ApplicantRank(round_project=round_project, round_student_id=entries[pk], position=position)
        for position, pk in enumerate(student_ids, start=1)
    )
    round_project.ranking_method = method
    round_project.ranked_at = timezone.now()
    round_project.ranked_by = by
    round_project.save(update_fields=["ranking_method", "ranked_at", "ranked_by"])


@transaction.atomic
def rank_applicants(round_project: RoundProject, *, by, student_ids: list[int]) -> list[int]:
    """Set the project's ranking of its applicants (user ids, best first); students left out
    are not acceptable to the project. Only members of the project's organization, only while
    ranking is open (until the run, after the students' deadline too), only students of the
    round who ranked the project, each once. Returns the ids as saved."""
    _check_ranks(by, round_project)
    student_ids = _check_ids(student_ids, "students")
    allowed = selectors.applicant_ids(round_project)
    errors = [
        f"Student {pk} is ranked more than once." for pk in dict.fromkeys(_duplicates(student_ids))
    ]
    errors += [
        f"Student {pk} did not rank this project in the round."
        for pk in student_ids
        if pk not in allowed
    ]
    if errors:
        raise ValidationError({"students": errors})
    _save_ranks(round_project, student_ids, by=by, method=RoundProject.RankingMethod.MANUAL)
    return student_ids


@transaction.atomic
def adopt_fit_order(round_project: RoundProject, *, by) -> list[int]:
    """Rank every applicant of the project by fit score, best first, ties by the student's id
    (see selectors.fit_order). The same rules as rank_applicants. Returns the user ids."""
    _check_ranks(by, round_project)
    student_ids = selectors.fit_order(round_project)
    _save_ranks(round_project, student_ids, by=by, method=RoundProject.RankingMethod.FIT)
    return student_ids


# --------------------------------------------------------------------------------------------
# Run and publish
# --------------------------------------------------------------------------------------------


@transaction.atomic
def run_round(match_round: MatchRound, *, by, force: bool = False) -> list[RoundResult]:
    """Run the student-proposing stable match and keep each student's result for the preview;
    the round's staff, while ranking is open and once the deadline has passed (or earlier when
    `force` is set). The same rankings and places always give the same result."""
    _check_staff(by, match_round)
    match_round = _locked(match_round)
    transitions.target_of(match_round, "run")
    if not force and not match_round.deadline_passed():
        raise Conflict(
            "deadline_not_passed",
            "Students may rank until "
            f"{_moment(match_round.ranking_deadline)}: wait for the deadline or run it now "
            "on purpose.",
        )
    inputs = selectors.match_inputs(match_round)
    matching = deferred_acceptance(inputs.student_prefs, inputs.project_prefs, inputs.capacities)
    reasons = unmatched_reasons(
        matching, inputs.student_prefs, inputs.project_prefs, inputs.capacities
    )
    now = timezone.now()
    results = RoundResult.objects.bulk_create(
        RoundResult(
            round_student_id=student,
            round_project_id=project,
            choice=None if project is None else inputs.choice_number(student, project),
            reason=reasons[student] if project is None else "",
            created_at=now,
        )
        for student, project in matching.items()
    )
    entries = list(match_round.projects.all())
    for entry in entries:
        entry.places_at_run = inputs.capacities[entry.pk]
    RoundProject.objects.bulk_update(entries, ["places_at_run"])
    _move(match_round, "run", matched_at=now)
    return results


@transaction.atomic
def reopen_ranking(match_round: MatchRound, *, by) -> MatchRound:
    """Throw the unpublished result away and let rankings change again; the round's staff.
    Students rank again only if the deadline is moved into the future."""
    _check_staff(by, match_round)
    match_round = _locked(match_round)
    transitions.target_of(match_round, "reopen")
    RoundResult.objects.filter(round_student__round=match_round).delete()
    match_round.projects.update(places_at_run=None)
    return _move(match_round, "reopen", matched_at=None)


@transaction.atomic
def publish_round(match_round: MatchRound, *, by) -> MatchRound:
    """Turn every match into an offer (engagements.services.offer_from_round) and let students
    and organizations see their results; the round's staff, after the run. All or nothing: if
    one offer cannot be made (the project filled up, the student answered the project
    meanwhile), nothing is published and the refusal says which."""
    _check_staff(by, match_round)
    match_round = _locked(match_round)
    transitions.target_of(match_round, "publish")
    results = list(
        RoundResult.objects.filter(round_student__round=match_round, round_project__isnull=False)
        .select_related("round_student__student", "round_project__project")
        .order_by("pk")
    )
    for result in results:
        project = result.round_project.project
        student = result.round_student.student
        try:
            result.application = engagement_services.offer_from_round(
                project, student, by=by, round_name=match_round.name
            )
        except ServiceError as exc:
            raise Conflict(
                "offer_failed",
                f"Nothing was published: the offer of “{project}” to {student} could not be "
                f"made. {exc.message} Re-open ranking and run the round again.",
            ) from exc
    RoundResult.objects.bulk_update(results, ["application"])
    return _move(match_round, "publish", published_at=timezone.now())
