"""Between the database and the pure matching engine (practicum.matching).

Rows become engine inputs here (:func:`student_input`, :func:`project_input`, from rows loaded
by :func:`profiles_for_matching` / :func:`projects_for_matching`, so no row costs a query of its
own), and the engine's FitScores come back as :class:`Fit`: a percentage, the reasons to show
first, and every reason with its sentence (:mod:`practicum.recommendations.reasons`), to the
student ("You have …") or, for organizations, about them ("Has …").

Both indexes are versioned by their rows: how many there are, the sum of their ids and their
latest ``updated_at`` (one cheap query a request). Publishing, closing, reopening or archiving a
project (or a deadline passing) changes which rows are in the set, hence the count or the id
sum; editing a project or a profile (skills and availability included: the services replace
them and stamp ``updated_at``) moves the latest ``updated_at``; a student turning
``discoverable`` on or off changes the set. Edits that skip the services (a raw ``update()``,
the admin) show once anything else changes (projects) or at the next full build (students).

* **Projects: rebuilt, shared.** :func:`project_index` is a ProjectIndex over the open
  projects (20,000 at most, half a second to build for 5,000). A built index goes into Django's
  cache (Redis when configured, so one web process builds it for all) under a random token,
  and the version's key points to the token; each process also keeps the last index it used
  with its token, so a request costs the version query and one small cache read. Clearing the
  cache drops the tokens, so nothing outlives it.
* **Students: kept per process, updated in place.** :func:`student_index` is a StudentIndex
  over the discoverable students (100,000 at a large university). It holds arrays only (a few
  tens of MB), is built from plain values (:func:`student_inputs`, no model instances), and
  follows the version edit by edit (:class:`_LiveStudents`): the profiles edited since the last
  version seen replace their rows in milliseconds, and students who left are taken out, so an
  edit never rebuilds it. A process builds it afresh when Django's cache loses its epoch key
  (cleared) and every :data:`REBUILD_SECONDS`.

The project index is shared by the threads of a process: scoring only adds to its text index's
cache of texts and words outside its corpus, which never meet the indexed columns. The student
index is used under a lock (:func:`student_index_in_use`), since an update replaces its arrays.

Text similarity weighs words by how rare they are among the rows of the index (projects for a
student's recommendations, students for a project's candidates), so the two directions can give
one pair scores a few points apart. One text index over both would tie every profile edit to a
rebuild of the project index; the difference is not worth that.
"""

from __future__ import annotations

import gc
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Count, F, Max, Prefetch, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from practicum.accounts.models import User
from practicum.matching import (
    FitScore,
    ProjectIndex,
    ProjectInput,
    Reason,
    StudentIndex,
    StudentInput,
)
from practicum.matching.scoring import COMPONENTS
from practicum.profiles.models import AvailabilityWindow, StudentProfile, StudentSkill
from practicum.projects.models import Project, ProjectSkill
from practicum.recommendations.reasons import Audience, ShownReason, show

if TYPE_CHECKING:
    import datetime

#: How many reasons a recommendation shows before "Why?" is opened.
TOP_REASONS = 3
#: What each fit component measures, in words.
COMPONENT_LABELS = {
    "required": "Required skills",
    "preferred": "Preferred skills",
    "text": "Interests and the project's description",
    "availability": "Dates and weekly hours",
    "learning": "Learning goals and what the project teaches",
}
#: Old versions' entries expire on their own; a shared cache would otherwise keep every one.
CACHE_SECONDS = 24 * 60 * 60
#: Rows a streamed query of the student index's build fetches at a time.
CHUNK = 10_000


# --------------------------------------------------------------------------------------------
# Rows → inputs
# --------------------------------------------------------------------------------------------


def open_projects(today: datetime.date | None = None) -> QuerySet[Project]:
    """The projects taking applications: the set discovery lists (projects.selectors).

    Publishing requires the dates; a row saved without them (only the admin can) cannot be
    scored and is left out.
    """
    return Project.objects.filter(
        status=Project.Status.OPEN,
        application_deadline__gte=today or timezone.localdate(),
        ends_on__gte=F("starts_on"),
    )


def projects_for_matching(projects: QuerySet[Project]) -> QuerySet[Project]:
    """``projects`` with what :func:`project_input` reads: two queries in all."""
    return projects.prefetch_related(
        Prefetch("skills", ProjectSkill.objects.select_related("skill"))
    )


def discoverable_profiles() -> QuerySet[StudentProfile]:
    """Profiles of active students who chose to be discoverable by organizations."""
    return StudentProfile.objects.filter(
        discoverable=True, user__is_active=True, user__account_type=User.AccountType.STUDENT
    )


def profiles_for_matching(profiles: QuerySet[StudentProfile]) -> QuerySet[StudentProfile]:
    """``profiles`` with what :func:`student_input` reads: three queries in all."""
    # Skills unordered: the engine needs ids and levels, and the default order joins the skill.
    return profiles.prefetch_related(
        Prefetch("skills", StudentSkill.objects.order_by()), "availability"
    )


def project_input(project: Project) -> ProjectInput:
    """The engine's view of a project whose skills are prefetched."""
    required: dict[int, int] = {}
    preferred: dict[int, int] = {}
    for wanted in project.skills.all():
        (required if wanted.is_required else preferred)[wanted.skill_id] = wanted.min_level
    return ProjectInput(
        id=project.pk,
        required=required,
        preferred=preferred,
        text=" ".join([project.title, project.summary, project.description, *project.objectives]),
        learning_outcomes=list(project.learning_outcomes),
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        hours_per_week=project.hours_per_week or 0,
    )


def student_input(profile: StudentProfile) -> StudentInput:
    """The engine's view of a profile whose skills and availability are prefetched. The id is
    the profile's (the one profile pages use), not the user's."""
    return StudentInput(
        id=profile.pk,
        skills={held.skill_id: held.level for held in profile.skills.all()},
        interests=list(profile.interests),
        about=profile.about,
        learning_goals=list(profile.learning_goals),
        weekly_hours=profile.weekly_hours,
        windows=[(window.starts_on, window.ends_on) for window in profile.availability.all()],
    )


def is_blank(student: StudentInput) -> bool:
    """Nothing to match on: no skills and no words about interests, self or goals. Such a
    student would be ranked on availability alone, so they are asked to fill in the profile."""
    return not student.skills and not student.text.strip()


# --------------------------------------------------------------------------------------------
# Cached indexes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectCatalog:
    """The index over the open projects and the names its reasons use."""

    index: ProjectIndex
    #: Every skill the indexed projects ask for. A skill renamed later keeps its old name here
    #: until the index is next rebuilt.
    skill_names: dict[int, str]


def _version(rows: QuerySet) -> str:
    state = rows.order_by().aggregate(count=Count("pk"), ids=Sum("pk"), changed=Max("updated_at"))
    changed = state["changed"].isoformat() if state["changed"] else "-"
    return f"{state['count']}:{state['ids'] or 0}:{changed}"


# kind -> (token, index): the last index this process used. Replacing an entry is atomic, so
# threads need no lock; two of them may at worst both load the same index once.
_kept: dict[str, tuple[str, object]] = {}


def _cached(kind: str, rows: QuerySet, build):
    """The object ``build(rows)`` makes, from this process, Django's cache or a fresh build."""
    version_key = f"recommendations:{kind}:{_version(rows)}"
    token = cache.get(version_key)
    if token is not None:
        kept = _kept.get(kind)
        if kept is not None and kept[0] == token:
            return kept[1]
        built = cache.get(f"recommendations:{kind}:index:{token}")
        if built is None:  # evicted: the version's key alone is no use
            token = None
    if token is None:
        built = build(rows)
        token = uuid.uuid4().hex
        cache.set_many(
            {f"recommendations:{kind}:index:{token}": built, version_key: token}, CACHE_SECONDS
        )
    _kept[kind] = (token, built)
    return built


def _build_project_catalog(rows: QuerySet[Project]) -> ProjectCatalog:
    with collection_paused():
        projects = list(projects_for_matching(rows).order_by("pk"))
        names = {w.skill_id: w.skill.name for p in projects for w in p.skills.all()}
        return ProjectCatalog(ProjectIndex([project_input(p) for p in projects]), names)


def project_index(today: datetime.date | None = None) -> ProjectCatalog:
    """The ProjectIndex over every open project, rebuilt only when they change."""
    return _cached("projects", open_projects(today), _build_project_catalog)


# --------------------------------------------------------------------------------------------
# The student index: one per process, following edits one profile at a time
# --------------------------------------------------------------------------------------------

#: A process builds its student index afresh this often, and follows edits in between; an
#: edit the version cannot see (saved with an older ``updated_at``) shows by then at the latest.
REBUILD_SECONDS = 6 * 60 * 60
#: The generation of the student indexes in Django's cache: clearing the cache (or a missing
#: key) makes every process build its index afresh.
EPOCH_KEY = "recommendations:students:epoch"
#: Moved by every save of an account and every deletion (:func:`students_changed`), which may
#: change who is in the index: while it and EDITED_KEY stay put, a request trusts its index
#: without the version query (a scan of the profiles, 40-60 ms for 80,000 students) for up to
#: VERIFY_SECONDS, so changes that skip the signals (a raw ``update()``), or made in another
#: process with a cache of its own (locmem, no Redis), show within that time.
CHANGED_KEY = "recommendations:students:changed"
#: Moved by every save of a profile (:func:`profile_edited`): the profiles saved since the
#: latest ``updated_at`` seen are found by their index, with no scan (:meth:`_LiveStudents.
#: _follow_edits`).
EDITED_KEY = "recommendations:students:edited"
VERIFY_SECONDS = 60


def students_changed(sender, instance=None, update_fields=None, **kwargs) -> None:
    """Signal handler: an account was saved, or a profile or an account deleted. A sign-in
    (which saves only ``last_login``) changes nothing the index reads."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    cache.set(CHANGED_KEY, uuid.uuid4().hex, None)


def profile_edited(sender, **kwargs) -> None:
    """Signal handler: a profile was saved (the services stamp its ``updated_at``)."""
    cache.set(EDITED_KEY, uuid.uuid4().hex, None)


def student_inputs(profiles: QuerySet[StudentProfile]) -> Iterator[StudentInput]:
    """:func:`student_input` of each profile of ``profiles``, in id order, from three streamed
    queries of plain values (no model instances): what the index build reads."""
    ids = profiles.order_by().values("pk")
    # The JSON lists come as their text and are decoded a chunk at a time, in one call: decoding
    # 160,000 small lists one by one (as the JSONField does) took a quarter of the build's
    # reading at 80,000 students.
    rows = (
        profiles.order_by("pk")
        .values_list(
            "pk",
            Cast("interests", TextField()),
            "about",
            Cast("learning_goals", TextField()),
            "weekly_hours",
        )
        .iterator(chunk_size=CHUNK)
    )
    skills = iter(
        StudentSkill.objects.filter(profile__in=ids)
        .order_by("profile_id")
        .values_list("profile_id", "skill_id", "level")
        .iterator(chunk_size=CHUNK)
    )
    windows = iter(
        AvailabilityWindow.objects.filter(profile__in=ids)
        .order_by("profile_id", "starts_on", "pk")
        .values_list("profile_id", "starts_on", "ends_on")
        .iterator(chunk_size=CHUNK)
    )
    skill = next(skills, None)
    window = next(windows, None)
    while chunk := list(islice(rows, CHUNK)):
        lists = json.loads("[" + ",".join(f"{row[1]},{row[3]}" for row in chunk) + "]")
        for position, (pk, _, about, _, hours) in enumerate(chunk):
            held: dict[int, int] = {}
            # Rows of a profile that joined between the queries come first: skipped.
            while skill is not None and skill[0] <= pk:
                if skill[0] == pk:
                    held[skill[1]] = skill[2]
                skill = next(skills, None)
            spans = []
            while window is not None and window[0] <= pk:
                if window[0] == pk:
                    spans.append((window[1], window[2]))
                window = next(windows, None)
            yield StudentInput(
                id=pk,
                skills=held,
                interests=lists[2 * position],
                about=about,
                learning_goals=lists[2 * position + 1],
                weekly_hours=hours,
                windows=spans,
            )


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cycle collector paused for a bulk build. An index build makes a million small
    objects and no cycles; the collector, run again and again over the survivors, took a
    quarter of a student index's build (80,000 students: 2.6 s -> 2.0 s without it). It is
    process-wide: a thread that finds it paused leaves it to whoever paused it."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _indexed(index: StudentIndex) -> tuple[int, int]:
    """How many students the index holds and the sum of their ids: the first two parts of the
    version (:func:`_state`), read from the index instead of the rows."""
    alive = index.ids[index._alive]
    return alive.size, int(alive.sum())


def _state(rows: QuerySet) -> tuple:
    state = rows.order_by().aggregate(count=Count("pk"), ids=Sum("pk"), changed=Max("updated_at"))
    return state["count"], state["ids"] or 0, state["changed"]


class _LiveStudents:
    """This process's student index and the version of the rows it reflects."""

    def __init__(self) -> None:
        # Scoring reads the index's arrays and an update replaces them: one at a time.
        self.lock = threading.RLock()
        self.index: StudentIndex | None = None
        self.state: tuple = ()
        self.epoch: str | None = None
        self.built_at = 0.0
        self.changed: str | None = None
        self.edited: str | None = None
        self.checked_at = 0.0

    def current(self) -> StudentIndex:
        """The index, brought up to date: no query when nothing was saved since the last check
        (less than VERIFY_SECONDS ago); the profiles saved since (four indexed queries) when only
        profiles were; else the version (one query), the edited profiles (three more) when some
        changed, every id (one more) when students left or came back."""
        epoch = cache.get(EPOCH_KEY)
        if epoch is None:
            cache.add(EPOCH_KEY, uuid.uuid4().hex, None)
            epoch = cache.get(EPOCH_KEY)
        changed, edited = cache.get(CHANGED_KEY), cache.get(EDITED_KEY)
        now = time.monotonic()
        trusted = (
            self.index is not None
            and epoch == self.epoch
            and changed == self.changed
            and now - self.checked_at < VERIFY_SECONDS
            and now - self.built_at <= REBUILD_SECONDS
        )
        if trusted and edited == self.edited:
            return self.index
        rows = discoverable_profiles()
        if trusted:
            # The tokens read before the rows: a save meanwhile is followed at the next request.
            self.edited = edited
            self._follow_edits(rows)
            return self.index
        state = _state(rows)
        if self.index is None or epoch != self.epoch or now - self.built_at > REBUILD_SECONDS:
            with collection_paused():
                self.index = StudentIndex(student_inputs(rows))
            self.epoch, self.built_at = epoch, time.monotonic()
        elif state != self.state:
            self._catch_up(rows, state)
        self.state, self.changed, self.edited, self.checked_at = state, changed, edited, now
        return self.index

    def _follow_edits(self, rows: QuerySet[StudentProfile]) -> None:
        """Only profiles were saved: those saved after the latest ``updated_at`` seen replace
        their rows, or leave the index when they are no longer discoverable. The version kept is
        the index's own (its count and id sum, the latest stamp read), which the next check
        compares with the rows'."""
        saved = self._saved_since(StudentProfile.objects.all())
        stamps = dict(saved.values_list("pk", "updated_at"))
        if not stamps:
            return
        present = list(student_inputs(rows.filter(pk__in=stamps)))
        self.index.update(present)
        self.index.remove(stamps.keys() - {student.id for student in present})
        self.state = (*_indexed(self.index), max(stamps.values()))

    def _saved_since(self, profiles: QuerySet[StudentProfile]) -> QuerySet[StudentProfile]:
        """``profiles`` saved after the latest ``updated_at`` the index has seen. Two edits
        stamped in the same microsecond, one before and one after that stamp was read, would
        miss the second until the rebuild."""
        seen = self.state[2]
        return profiles if seen is None else profiles.filter(updated_at__gt=seen)

    def _catch_up(self, rows: QuerySet[StudentProfile], state: tuple) -> None:
        index = self.index
        index.update(student_inputs(self._saved_since(rows)))
        if _indexed(index) != state[:2]:
            # Students left (hidden, deactivated) or came back without an edit.
            present = set(rows.values_list("pk", flat=True))
            indexed = set(index.ids[index._alive].tolist())
            index.remove(indexed - present)
            if present - indexed:
                index.update(student_inputs(rows.filter(pk__in=present - indexed)))


_students = _LiveStudents()


def student_index() -> StudentIndex:
    """The StudentIndex over every discoverable student, as they are now (see
    :class:`_LiveStudents`). Score with it inside :func:`student_index_in_use` when another
    thread of the process may update it meanwhile."""
    with _students.lock:
        return _students.current()


@contextmanager
def student_index_in_use() -> Iterator[StudentIndex]:
    """The up-to-date StudentIndex, which no other thread updates until the block ends."""
    with _students.lock:
        yield _students.current()


# --------------------------------------------------------------------------------------------
# FitScore → what people read
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """A fit score as pages and the API show it."""

    score: float
    components: dict[str, float]
    weights: dict[str, float]
    #: Every reason, in the engine's order, with its sentence for whoever reads it.
    reasons: list[ShownReason]
    #: The summaries of the components that add most to the score, most first.
    top_reasons: list[ShownReason]
    #: False when the pair fails the hard constraints (then ``reasons`` start with why).
    eligible: bool = True

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def parts(self) -> list[tuple[str, int, int]]:
        """(what it measures, its value in %, its share of the score in %) per component."""
        total = sum(self.weights.values())
        return [
            (
                COMPONENT_LABELS[name],
                round(self.components[name] * 100),
                round(self.weights[name] / total * 100),
            )
            for name in COMPONENTS
        ]


def to_fit(
    fit: FitScore, *, for_organization: bool = False, failures: list[Reason] | None = None
) -> Fit:
    """``fit`` for people: to the student, or about the student for an organization.

    The top reasons are the first summary (:attr:`Reason.is_summary`) of each of the
    :data:`TOP_REASONS` components that add most to the score (weight × value); details and
    remarks such as "This project lists no preferred skills" are never among them.
    ``failures`` (from ``hard_constraint_failures``) lead both lists when the pair is filtered
    out.
    """
    audience = Audience.ABOUT_STUDENT if for_organization else Audience.STUDENT
    failures = failures or []
    shown = show([*failures, *fit.reasons], audience)
    weights = fit.weights.as_dict()
    order = {name: position for position, name in enumerate(COMPONENTS)}
    summaries: dict[str, ShownReason] = {}
    for reason, explained in zip(fit.reasons, shown[len(failures) :], strict=True):
        if reason.is_summary:
            summaries.setdefault(reason.component, explained)
    ranked = sorted(summaries, key=lambda c: (-weights[c] * fit.components[c], order[c]))
    top = [summaries[c] for c in ranked[:TOP_REASONS]]
    return Fit(
        score=fit.score,
        components=dict(fit.components),
        weights=weights,
        reasons=shown,
        top_reasons=[*shown[: len(failures)], *top][:TOP_REASONS],
        eligible=not failures,
    )
