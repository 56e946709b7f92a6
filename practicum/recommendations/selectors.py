"""Reads for recommendations: the engine's rankings over the cached indexes, joined back to rows.

Every function does a fixed number of queries whatever the number of projects or students: the
index version (one), the index itself only when it changed (two or three), the student's
profile where needed (three) and the rows shown (one or two).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from practicum.matching import StudentInput, recommend, score_fit, suggest_candidates
from practicum.matching.scoring import hard_constraint_failures
from practicum.profiles.models import StudentProfile
from practicum.projects.models import Project
from practicum.recommendations import adapter
from practicum.recommendations.adapter import Fit


def _student_of(user) -> StudentInput:
    """The user's profile as the engine sees it (blank for an account without one yet)."""
    profile = adapter.profiles_for_matching(StudentProfile.objects.filter(user=user)).first()
    return StudentInput(id=0) if profile is None else adapter.student_input(profile)


@dataclass(frozen=True)
class Recommendation:
    project: Project  # with its organization
    fit: Fit


@dataclass(frozen=True)
class Recommendations:
    #: True when the profile says nothing to match on: ask the student to fill it in.
    profile_is_blank: bool
    items: list[Recommendation]


def recommended_projects(user, *, limit: int) -> Recommendations:
    """The ``limit`` open projects that fit the student best, best first.

    Projects whose dates or weekly hours the student cannot meet (the hard constraints) are
    left out before ranking; the fit score orders the rest.
    """
    student = _student_of(user)
    if adapter.is_blank(student):
        return Recommendations(profile_is_blank=True, items=[])
    catalog = adapter.project_index()
    index = catalog.index
    fits = recommend(student, index.items, limit, index, skill_names=catalog.skill_names)
    # Re-checked against the table: a project closed a moment ago is not recommended.
    rows = (
        adapter.open_projects()
        .select_related("organization")
        .in_bulk([fit.project_id for fit in fits])
    )
    return Recommendations(
        profile_is_blank=False,
        items=[
            Recommendation(rows[fit.project_id], adapter.to_fit(fit))
            for fit in fits
            if fit.project_id in rows
        ],
    )


@dataclass(frozen=True)
class Candidate:
    profile: StudentProfile  # with its user
    fit: Fit  # written about the student, for the organization


def project_for_candidates(pk: int) -> Project | None:
    """The project with its organization and what :func:`suggested_candidates` reads."""
    return (
        adapter.projects_for_matching(Project.objects.select_related("organization"))
        .filter(pk=pk)
        .first()
    )


def suggested_candidates(project: Project, *, limit: int) -> list[Candidate]:
    """The ``limit`` discoverable students who fit ``project`` best, best first.

    ``project`` must have its skills (with the skill) prefetched (:func:`project_for_candidates`).
    Students who cannot meet its dates or weekly hours are left out; the rest are ranked by fit
    score. Only students who chose to be discoverable are ever considered.
    """
    names = {wanted.skill_id: wanted.skill.name for wanted in project.skills.all()}
    wanted = adapter.project_input(project)
    with adapter.student_index_in_use() as index:
        ids = index.best(wanted, limit)
        # The few shown are read again (a student who just turned discovery off is left out)
        # and scored one by one for their reasons, over the index's word weights.
        profiles = adapter.profiles_for_matching(
            adapter.discoverable_profiles().select_related("user")
        ).in_bulk(ids)
        students = [adapter.student_input(profiles[pk]) for pk in ids if pk in profiles]
        fits = suggest_candidates(wanted, students, limit, index.text_index, skill_names=names)
    return [
        Candidate(profiles[fit.student_id], adapter.to_fit(fit, for_organization=True))
        for fit in fits
    ]


@dataclass
class FitRanking:
    """Discovery's results in best-fit order: the ids of every project found, and their fit
    for the page shown."""

    ids: list[int]
    profile_is_blank: bool
    projects: QuerySet[Project]
    student: StudentInput
    catalog: adapter.ProjectCatalog
    rows: dict[int, int]  # project id -> row in the index

    def page(self, ids: list[int]) -> list[Project]:
        """The projects of ``ids`` (one page), in that order, each with its ``fit`` (a
        :class:`Fit`, or None for a project published after the index was read)."""
        found = self.projects.in_bulk(ids)
        index = self.catalog.index
        shown = []
        for pk in ids:
            project = found.get(pk)
            if project is None:  # closed since the ids were read
                continue
            row = self.rows.get(pk)
            project.fit = None  # shown by the project card next to the project's own fields
            if row is not None:
                wanted = index.items[row]
                project.fit = adapter.to_fit(
                    score_fit(
                        self.student,
                        wanted,
                        index.text_index,
                        skill_names=self.catalog.skill_names,
                    ),
                    failures=hard_constraint_failures(self.student, wanted),
                )
            shown.append(project)
        return shown


def rank_by_fit(user, projects: QuerySet[Project]) -> FitRanking:
    """``projects`` (discovery's results) ordered by their fit with the student.

    Projects the student cannot take on (the hard constraints) come after the others, each
    group by fit score; ties keep the order of ``projects``. A project not in the index yet
    (published a moment ago) comes last, without a score. A student with a blank profile gets
    the same order with low scores, and ``profile_is_blank`` says so.
    """
    student = _student_of(user)
    catalog = adapter.project_index()
    index = catalog.index
    scored = index.scores(student)
    rows = {pk: row for row, pk in enumerate(index.ids.tolist())}
    score = scored.score.tolist()
    eligible = scored.eligible.tolist()

    def order(pk: int) -> tuple[int, float]:
        row = rows.get(pk)
        if row is None:
            return (2, 0.0)
        # Rounded so that float noise never reorders equal scores (as the engine does).
        return (0 if eligible[row] else 1, -round(score[row], 9))

    ids = sorted(projects.values_list("pk", flat=True), key=order)
    return FitRanking(ids, adapter.is_blank(student), projects, student, catalog, rows)
