"""Top-k recommendations in both directions, vectorised over prebuilt indexes.

Scoring one student against 20,000 projects one pair at a time takes the better part of a
second. So what the scores need of each project (or student) is turned into arrays once:

* :class:`ProjectIndex` for :func:`recommend`: TF-IDF rows of every project's text and learning
  outcomes as ``scipy.sparse`` CSR matrices (rows are L2-normalised, so a sparse dot product is
  the cosine), the required and preferred skills as sparse matrices (skill id -> column, value
  the minimum level), and start dates, end dates, working days and weekly hours as numpy arrays;
* :class:`StudentIndex` for :func:`suggest_candidates`: the same for students (interests and
  goals, skill levels, merged availability windows, weekly hours).

One student is then scored against every indexed project with a handful of array operations:
two sparse matrix-vector products for the text components, a gather and a ``bincount`` over the
skill requirements, ``np.busday_count`` over the date arrays for the working days in common,
and boolean masks for the hard constraints. The ``k`` best are picked with
``np.argpartition``, and only they get a :class:`~practicum.matching.scoring.FitScore` with its
reasons, made by the per-pair code of :mod:`practicum.matching.scoring`: what the rankings return
is exactly what :func:`~practicum.matching.scoring.score_fit` gives.

The vectorised scores equal the per-pair ones, not just nearly: every sum is taken in the same
order (text: over the shared terms by ascending term id, as ``TextIndex.similarities`` does;
the weighted mean: component by component in :data:`COMPONENTS` order), so the id tie-break
sees the same numbers. Tests hold them to 1e-9.

An index is a snapshot: rebuild it when the projects (students) change. Projects passed to
:func:`recommend` with an index are found in it by identity when they are the indexed objects
(the fast case), otherwise by id, and one that differs from the indexed project of that id is
an error rather than a silently stale score.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, repeat
from typing import Any

import numpy as np
from scipy import sparse

from practicum.matching.scoring import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    MIN_HOURS_FRACTION,
    MIN_WORKING_DAYS,
    PARTIAL_CREDIT,
    CorpusTextIndex,
    FitScore,
    ProjectInput,
    StudentInput,
    TextIndex,
    Weights,
    _availability,
    _failures,
    _merged,
    _score_pair,
)

__all__ = [
    "ProjectIndex",
    "Scores",
    "StudentIndex",
    "recommend",
    "suggest_candidates",
]

_EPOCH = date(1970, 1, 1).toordinal()
#: Scores closer than this to the k-th best are ranked by the exact key (rounded score, id).
_NEAR = 1e-9


def _days(dates: Iterable[date], count: int) -> np.ndarray:
    """``datetime64[D]`` array of dates, converted through ordinals (faster than parsing)."""
    ordinals = np.fromiter(map(date.toordinal, dates), dtype=np.int64, count=count)
    return (ordinals - _EPOCH).astype("datetime64[D]")


def _day(value: date) -> np.datetime64:
    return np.datetime64(value.toordinal() - _EPOCH, "D")


def _days_in_common(
    starts: np.ndarray | np.datetime64,
    ends: np.ndarray | np.datetime64,
    window_starts: np.ndarray | np.datetime64,
    window_ends: np.ndarray | np.datetime64,
    calendar: np.ndarray | bool,
) -> np.ndarray:
    """Working days (calendar days where ``calendar``) in both ranges, all ends included."""
    lo = np.maximum(starts, window_starts)
    hi = np.minimum(ends, window_ends)
    overlap = hi >= lo
    # busday_count counts [lo, hi + 1); it is negative when the ranges do not meet (masked).
    working = np.busday_count(lo, hi + 1)
    calendar_days = (hi - lo).astype(np.int64) + 1
    return np.where(overlap, np.where(calendar, calendar_days, working), 0)


def _text_matrix(index: TextIndex, texts: Iterable[str]) -> sparse.csr_array:
    """CSR matrix of the TF-IDF vectors of ``texts`` (one row each, term ids as columns).

    The rows keep each vector's ascending term order: a matrix-vector product then sums the
    shared terms in the order :meth:`TextIndex.similarities` does, giving the same floats.
    """
    vectors = [index.vector(t) for t in texts]
    indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
    np.cumsum([ids.size for ids, _ in vectors], out=indptr[1:])
    if indptr[-1]:
        indices = np.concatenate([ids for ids, _ in vectors])
        data = np.concatenate([weights for _, weights in vectors])
    else:
        indices = np.zeros(0, dtype=np.int64)
        data = np.zeros(0)
    return sparse.csr_array((data, indices, indptr), shape=(len(vectors), index.vocabulary_size))


def _cosines(matrix: sparse.csr_array, index: TextIndex, text: str) -> np.ndarray:
    """Cosine similarity of ``text`` with every row of ``matrix``, in ``[0, 1]``."""
    width = matrix.shape[1]
    ids, weights = index.vector(text)
    query = np.zeros(width)
    known = ids < width  # terms the rows never use (added to the index later) add nothing
    query[ids[known]] = weights[known]
    return np.clip(matrix @ query, 0.0, 1.0)


def _credit(held: np.ndarray, asked: np.ndarray | int) -> np.ndarray:
    """1 for a level held at or above the one asked, PARTIAL_CREDIT one level short, else 0.

    ``held`` is 0 for a skill not held at all.
    """
    short = (held > 0) & (held == asked - 1)
    return np.where(held >= asked, 1.0, np.where(short, PARTIAL_CREDIT, 0.0))


def _combine(components: Mapping[str, np.ndarray], weights: Weights) -> np.ndarray:
    """The weighted mean, summed in the order of the per-pair code (``scoring._combine``)."""
    total: Any = 0
    for name in COMPONENTS:
        total = total + getattr(weights, name) * components[name]
    return np.clip(total / weights.total, 0.0, 1.0)


@dataclass(frozen=True)
class Scores:
    """Fit of one student (project) with every indexed project (student), in index order."""

    #: The fit score of each pair, equal to ``score_fit(...).score``.
    score: np.ndarray
    #: Each component (see :data:`COMPONENTS`) for each pair.
    components: dict[str, np.ndarray]
    #: Whether each pair passes the hard constraints.
    eligible: np.ndarray


class _Index:
    """What both indexes share: the items, their ids, the text index, and row look-up."""

    kind = "item"

    def __init__(self, items: Iterable[Any], text_index: TextIndex) -> None:
        self.items: tuple[Any, ...] = tuple(items)
        self.text_index = text_index
        self.ids = np.fromiter((item.id for item in self.items), dtype=np.int64)
        self._row_of_id: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.items)

    def _rows(self, items: Sequence[Any]) -> np.ndarray | None:
        """Rows of ``items`` in the index; None when they are the indexed items, in order."""
        if len(items) == len(self.items) and all(map(operator.is_, items, self.items)):
            return None
        if self._row_of_id is None:
            row_of_id: dict[int, int] = {}
            for row, item in enumerate(self.items):
                row_of_id[item.id] = -1 if item.id in row_of_id else row
            self._row_of_id = row_of_id
        rows = np.empty(len(items), dtype=np.int64)
        for i, item in enumerate(items):
            row = self._row_of_id.get(item.id)
            if row is None:
                raise ValueError(f"{self.kind} {item.id!r} is not in the index")
            if row < 0:  # several indexed items have this id: only the same object will do
                same = [r for r, other in enumerate(self.items) if other is item]
                if not same:
                    raise ValueError(
                        f"several indexed {self.kind}s have id {item.id!r}: "
                        f"pass the indexed {self.kind}s themselves"
                    )
                row = same[0]
            indexed = self.items[row]
            if indexed is not item and indexed != item:
                raise ValueError(
                    f"{self.kind} {item.id!r} has changed since the index was built: rebuild it"
                )
            rows[i] = row
        return rows

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays (not the inputs nor the text index's cache)."""
        total = 0
        for value in vars(self).values():
            arrays = (value.data, value.indices, value.indptr) if sparse.issparse(value) else ()
            if isinstance(value, np.ndarray):
                arrays = (value,)
            total += sum(a.nbytes for a in arrays)
        return total


class ProjectIndex(_Index):
    """Arrays over projects, built once, to score one student against all of them at once.

    ``text_index`` gives the TF-IDF weights (build it once over the texts in play, e.g.
    :meth:`TextIndex.from_inputs`); by default, an index over these projects' texts. Project
    ids should be unique (they break ties). Building costs about as much as scoring every
    project once; reuse the index while the projects do not change.
    """

    kind = "project"

    def __init__(
        self, projects: Iterable[ProjectInput], text_index: TextIndex | None = None
    ) -> None:
        projects = tuple(projects)
        if text_index is None:
            text_index = TextIndex.from_inputs((), projects)
        super().__init__(projects, text_index)
        m = len(projects)
        self.hours = np.fromiter((p.hours_per_week for p in projects), dtype=np.int64, count=m)
        self.starts = _days((p.starts_on for p in projects), m)
        self.ends = _days((p.ends_on for p in projects), m)
        working = np.busday_count(self.starts, self.ends + 1)
        # A project with no working day at all is counted in calendar days.
        self.calendar = working == 0
        self.total_days = np.where(
            self.calendar, (self.ends - self.starts).astype(np.int64) + 1, working
        )

        skills = sorted({s for p in projects for s in chain(p.required, p.preferred)})
        self.skill_column = {skill: col for col, skill in enumerate(skills)}
        self.required = self._skill_matrix([p.required for p in projects])
        self.preferred = self._skill_matrix([p.preferred for p in projects])
        self._required_rows = np.repeat(np.arange(m), np.diff(self.required.indptr))
        self._preferred_rows = np.repeat(np.arange(m), np.diff(self.preferred.indptr))

        self.text = _text_matrix(self.text_index, (p.text for p in projects))
        self.outcomes = _text_matrix(self.text_index, (p.outcomes_text for p in projects))
        self.has_outcomes = np.fromiter(
            (bool(p.learning_outcomes) for p in projects), dtype=bool, count=m
        )

    def _skill_matrix(self, asked: list[dict[int, int]]) -> sparse.csr_array:
        counts = np.fromiter(map(len, asked), dtype=np.int64, count=len(asked))
        indptr = np.zeros(len(asked) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        total = int(indptr[-1])
        column = self.skill_column
        cols = np.fromiter(map(column.__getitem__, chain.from_iterable(asked)), np.int64, total)
        levels = np.fromiter(chain.from_iterable(a.values() for a in asked), np.int8, total)
        return sparse.csr_array((levels, cols, indptr), shape=(len(asked), len(column)))

    @staticmethod
    def _coverage(matrix: sparse.csr_array, rows: np.ndarray, held: np.ndarray) -> np.ndarray:
        """Mean credit over each project's skills in ``matrix`` (``rows``: the row of each
        entry); 1.0 for a project that lists none."""
        counts = np.diff(matrix.indptr)
        credit = _credit(held[matrix.indices], matrix.data.astype(np.int64))
        sums = np.bincount(rows, weights=credit, minlength=matrix.shape[0])
        return np.divide(sums, counts, out=np.ones(matrix.shape[0]), where=counts > 0)

    def scores(self, student: StudentInput, *, weights: Weights = DEFAULT_WEIGHTS) -> Scores:
        """The fit of ``student`` with every indexed project, and the hard constraints."""
        held = np.zeros(len(self.skill_column), dtype=np.int64)
        for skill, level in student.skills.items():
            col = self.skill_column.get(skill)
            if col is not None:
                held[col] = level

        if student.windows:
            covered = np.zeros(len(self), dtype=np.int64)
            for start, end in _merged(student.windows):
                covered += _days_in_common(
                    self.starts, self.ends, _day(start), _day(end), self.calendar
                )
        else:  # dates not limited
            covered = self.total_days
        day_share = covered / self.total_days
        asked = self.hours
        hours_share = np.where(
            asked > 0, np.minimum(1.0, student.weekly_hours / np.maximum(asked, 1)), 1.0
        )
        eligible = (covered >= np.minimum(MIN_WORKING_DAYS, self.total_days)) & ~(
            (asked > 0) & (student.weekly_hours < MIN_HOURS_FRACTION * asked)
        )

        text = _cosines(self.text, self.text_index, student.text)
        if student.learning_goals:
            learning = np.where(
                self.has_outcomes, _cosines(self.outcomes, self.text_index, student.goals_text), 0
            )
        else:
            learning = np.zeros(len(self))
        components = {
            "required": self._coverage(self.required, self._required_rows, held),
            "preferred": self._coverage(self.preferred, self._preferred_rows, held),
            "text": text,
            "availability": day_share * hours_share,
            "learning": learning,
        }
        components = {k: np.clip(v, 0.0, 1.0) for k, v in components.items()}
        return Scores(_combine(components, weights), components, eligible)


class _Rows:
    """Sparse rows as CSR arrays (``indptr``, ``indices``, ``data``) where one row can be
    replaced or added without rebuilding the others' arrays from Python objects."""

    def __init__(self, rows: Sequence[tuple[Sequence, Sequence]], dtype) -> None:
        self.indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(ids) for ids, _ in rows], out=self.indptr[1:])
        total = int(self.indptr[-1])
        self.indices = np.fromiter(chain.from_iterable(ids for ids, _ in rows), np.int64, total)
        self.data = np.fromiter(chain.from_iterable(values for _, values in rows), dtype, total)
        self._owner: np.ndarray | None = None
        #: Moves on every change, so what is derived from the rows knows when to recompute.
        self.version = 0

    @classmethod
    def from_arrays(cls, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray) -> _Rows:
        rows = cls([], data.dtype)
        rows.indptr, rows.indices, rows.data = indptr, indices, data
        return rows

    def __len__(self) -> int:
        return self.indptr.size - 1

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.indices[lo:hi], self.data[lo:hi]

    def replace(self, i: int, indices: np.ndarray, data: np.ndarray) -> None:
        lo, hi = int(self.indptr[i]), int(self.indptr[i + 1])
        if indices.size == hi - lo:  # same length: in place
            self.indices[lo:hi] = indices
            self.data[lo:hi] = data
        else:
            self.indices = np.concatenate((self.indices[:lo], indices, self.indices[hi:]))
            self.data = np.concatenate(
                (self.data[:lo], data.astype(self.data.dtype), self.data[hi:])
            )
            self.indptr[i + 1 :] += indices.size - (hi - lo)
            self._owner = None
        self.version += 1

    def append(self, indices: np.ndarray, data: np.ndarray) -> None:
        self.indices = np.concatenate((self.indices, indices))
        self.data = np.concatenate((self.data, data.astype(self.data.dtype)))
        self.indptr = np.append(self.indptr, self.indptr[-1] + indices.size)
        self._owner = None
        self.version += 1

    def owner(self) -> np.ndarray:
        """The row of each entry."""
        if self._owner is None:
            self._owner = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))
        return self._owner

    @property
    def nbytes(self) -> int:
        owner = 0 if self._owner is None else self._owner.nbytes
        return self.indptr.nbytes + self.indices.nbytes + self.data.nbytes + owner


def _fingerprint(student: StudentInput, held: list | None = None) -> int:
    """What the index knows of a student, hashed: tells an edited copy from the indexed one.
    `held`: the skills sorted, when the caller sorted them already (a build sorts 100,000)."""
    return hash(
        (
            student.id,
            tuple(sorted(student.skills.items()) if held is None else held),
            tuple(student.interests),
            student.about,
            tuple(student.learning_goals),
            student.weekly_hours,
            tuple(student.windows),
        )
    )


class StudentIndex:
    """Arrays over students, to score one project against all of them at once, kept up to date
    one student at a time.

    As :class:`ProjectIndex`, the other way round, with two differences that let it hold a
    university's 100,000 students in a few tens of megabytes and follow their edits:

    * it keeps arrays only, never the :class:`StudentInput` objects: the texts as their term
      counts (``1 + ln(count)`` per term), weighed by the current idf and normalised when a
      project is scored, skill levels and availability windows as flat arrays;
    * :meth:`update` replaces (or adds) a student's row and :meth:`remove` takes one out, in
      milliseconds. Without a ``text_index`` the index owns a :class:`CorpusTextIndex` over its
      students' texts and keeps its document frequencies in step, so after any sequence of
      updates it scores exactly as an index built afresh over the students as they now are
      (to the last bits of float rounding: term ids differ, so sums run in another order).

    A ``text_index`` given is used as is (its idf does not follow updates). Student ids should
    be unique (they break ties).
    """

    kind = "student"

    def __init__(
        self, students: Iterable[StudentInput] = (), text_index: TextIndex | None = None
    ) -> None:
        self._owns_text = text_index is None
        self.text_index: TextIndex = CorpusTextIndex() if text_index is None else text_index
        # The sequence given, when it is one: suggest_candidates() passing it back is the fast
        # case (no look-up by id). Forgotten at the first update.
        self._source = students if isinstance(students, Sequence) else None
        ids, prints, hours, goals_flags, windows_of = [], [], [], [], []
        texts, goals, skills = [], [], []
        for student in students:
            held = sorted(student.skills.items())
            ids.append(student.id)
            prints.append(_fingerprint(student, held))
            hours.append(student.weekly_hours)
            goals_flags.append(bool(student.learning_goals))
            windows_of.append(_merged(student.windows))
            texts.append(student.text)
            goals.append(student.goals_text)
            skills.append(([s for s, _ in held], [level for _, level in held]))
        n = len(ids)
        self.ids = np.array(ids, dtype=np.int64)
        self._fingerprints = np.array(prints, dtype=np.int64)
        self._alive = np.ones(n, dtype=bool)
        self.weekly_hours = np.array(hours, dtype=np.int64)
        self.has_goals = np.array(goals_flags, dtype=bool)
        # The texts' term counts in bulk (TextIndex.term_matrix), not text by text.
        self._text = _Rows.from_arrays(*self.text_index.term_matrix(texts))
        self._goals = _Rows.from_arrays(*self.text_index.term_matrix(goals))
        del texts, goals
        self._skills = _Rows(skills, np.int64)
        counts = np.fromiter(map(len, windows_of), dtype=np.int64, count=n)
        self.has_windows = counts > 0
        self.window_owner = np.repeat(np.arange(n, dtype=np.int64), counts)
        flat = list(chain.from_iterable(windows_of))
        self.window_starts = _days((w[0] for w in flat), len(flat))
        self.window_ends = _days((w[1] for w in flat), len(flat))
        self._row_of: dict[int, int] = {}
        self._twins: dict[int, list[int]] = {}
        for row, student_id in enumerate(ids):
            if student_id in self._row_of or student_id in self._twins:
                self._twins.setdefault(student_id, [self._row_of.pop(student_id, -1)])
                self._twins[student_id].append(row)
            else:
                self._row_of[student_id] = row
        for rows in self._twins.values():
            rows[:] = [r for r in rows if r >= 0]
        if self._owns_text:
            size = self.text_index.vocabulary_size
            in_texts = np.bincount(self._text.indices, minlength=size)
            self.text_index.count_in(
                in_texts + np.bincount(self._goals.indices, minlength=size), 2 * n
            )
        self._norms: dict[str, tuple[tuple, np.ndarray]] = {}

    def _row(self, student: StudentInput) -> dict:
        """What the index keeps of a student, as lists (arrays are made once for all rows)."""
        skills = sorted(student.skills.items())
        return {
            "fingerprint": _fingerprint(student),
            "text": self.text_index.term_lists(student.text),
            "goals": self.text_index.term_lists(student.goals_text),
            "skills": ([s for s, _ in skills], [level for _, level in skills]),
            "windows": _merged(student.windows),
        }

    def __len__(self) -> int:
        return int(self._alive.sum())

    def student_ids(self) -> list[int]:
        """The ids of the students in the index, ascending."""
        return sorted(self.ids[self._alive].tolist())

    # -- keeping it up to date ----------------------------------------------------------------

    def update(self, students: Iterable[StudentInput]) -> None:
        """Put ``students`` in the index as they are now: an indexed student's row (found by
        id) is replaced, a new one added."""
        self._source = None
        added, removed = [], []
        for student in students:
            if student.id in self._twins:
                raise ValueError(f"several indexed students have id {student.id!r}")
            row_data = self._row(student)
            for key, dtype in (("text", np.float64), ("goals", np.float64), ("skills", np.int64)):
                ids, values = row_data[key]
                row_data[key] = (np.array(ids, dtype=np.int64), np.array(values, dtype=dtype))
            row = self._row_of.get(student.id)
            if row is None:
                row = len(self.ids)
                self._row_of[student.id] = row
                self.ids = np.append(self.ids, student.id)
                self._fingerprints = np.append(self._fingerprints, row_data["fingerprint"])
                self._alive = np.append(self._alive, True)
                self.weekly_hours = np.append(self.weekly_hours, student.weekly_hours)
                self.has_goals = np.append(self.has_goals, bool(student.learning_goals))
                self.has_windows = np.append(self.has_windows, False)
                for rows, key in ((self._text, "text"), (self._goals, "goals")):
                    rows.append(*row_data[key])
                self._skills.append(*row_data["skills"])
            else:
                removed += [self._text.row(row)[0].copy(), self._goals.row(row)[0].copy()]
                self._fingerprints[row] = row_data["fingerprint"]
                self.weekly_hours[row] = student.weekly_hours
                self.has_goals[row] = bool(student.learning_goals)
                for rows, key in ((self._text, "text"), (self._goals, "goals")):
                    rows.replace(row, *row_data[key])
                self._skills.replace(row, *row_data["skills"])
            added += [row_data["text"][0], row_data["goals"][0]]
            self._set_windows(row, row_data["windows"])
        if self._owns_text:
            self.text_index.change(added=added, removed=removed)

    def remove(self, student_ids: Iterable[int]) -> None:
        """Take these students out of the index (ids not in it are ignored)."""
        self._source = None
        removed = []
        empty_float, empty_int = np.zeros(0), np.zeros(0, dtype=np.int64)
        for student_id in student_ids:
            row = self._row_of.pop(student_id, None)
            if row is None:
                continue
            removed += [self._text.row(row)[0].copy(), self._goals.row(row)[0].copy()]
            self._alive[row] = False
            self._text.replace(row, empty_int, empty_float)
            self._goals.replace(row, empty_int, empty_float)
            self._skills.replace(row, empty_int, empty_int)
            self._set_windows(row, [])
        if self._owns_text:
            self.text_index.change(removed=removed)

    def _set_windows(self, row: int, windows: list[tuple[date, date]]) -> None:
        keep = self.window_owner != row
        self.window_owner = np.concatenate(
            (self.window_owner[keep], np.full(len(windows), row, dtype=np.int64))
        )
        self.window_starts = np.concatenate(
            (self.window_starts[keep], _days((w[0] for w in windows), len(windows)))
        )
        self.window_ends = np.concatenate(
            (self.window_ends[keep], _days((w[1] for w in windows), len(windows)))
        )
        self.has_windows[row] = bool(windows)

    # -- scoring -------------------------------------------------------------------------------

    def _rows(self, students: Sequence[StudentInput]) -> np.ndarray | None:
        """Rows of ``students``; None when they are the sequence the index was built from."""
        if students is self._source:
            return None
        rows = np.empty(len(students), dtype=np.int64)
        for i, student in enumerate(students):
            candidates = self._twins.get(student.id)
            if candidates is None:
                row = self._row_of.get(student.id)
                if row is None:
                    raise ValueError(f"student {student.id!r} is not in the index")
                candidates = [row]
            fingerprint = _fingerprint(student)
            same = [r for r in candidates if self._fingerprints[r] == fingerprint]
            if not same:
                raise ValueError(
                    f"student {student.id!r} has changed since the index was built: update it"
                )
            rows[i] = same[0]
        return rows

    def _weighed_norms(self, name: str, rows: _Rows, idf: np.ndarray) -> np.ndarray:
        """The L2 norm of each row's TF-IDF vector, kept until the rows or the idf change."""
        key = (rows.version, id(idf), idf.size)
        kept = self._norms.get(name)
        if kept is not None and kept[0] == key:
            return kept[1]
        weights = rows.data * idf[rows.indices]
        norms = np.sqrt(np.bincount(rows.owner(), weights=weights * weights, minlength=len(rows)))
        self._norms[name] = (key, norms)
        return norms

    def _cosines(self, name: str, rows: _Rows, text: str) -> np.ndarray:
        q_ids, q_weights = self.text_index.vector(text)  # may add terms: before the idf
        idf = self.text_index.idf_array()
        n = len(rows)
        if q_ids.size == 0 or rows.indices.size == 0:
            return np.zeros(n)
        query = np.zeros(idf.size)
        query[q_ids] = q_weights * idf[q_ids]
        dots = np.bincount(rows.owner(), weights=rows.data * query[rows.indices], minlength=n)
        norms = self._weighed_norms(name, rows, idf)
        out = np.divide(dots, norms, out=np.zeros(n), where=norms > 0)
        return np.clip(out, 0.0, 1.0)

    def _coverage(self, asked: Mapping[int, int]) -> np.ndarray:
        """Mean credit of each student over the skills ``asked``; 1.0 when none is asked."""
        n = len(self.ids)
        if not asked:
            return np.ones(n)
        keys = np.array(sorted(asked), dtype=np.int64)
        levels = np.array([asked[k] for k in keys.tolist()], dtype=np.int64)
        held = self._skills.indices
        position = np.minimum(np.searchsorted(keys, held), keys.size - 1)
        hit = keys[position] == held
        credit = _credit(self._skills.data[hit], levels[position[hit]])
        # Credits are 0, 0.5 or 1: their sum is exact in any order.
        total = np.bincount(self._skills.owner()[hit], weights=credit, minlength=n)
        return total / len(asked)

    def scores(self, project: ProjectInput, *, weights: Weights = DEFAULT_WEIGHTS) -> Scores:
        """The fit of every indexed student with ``project``, and the hard constraints (rows
        of students removed are never eligible)."""
        n = len(self.ids)
        starts, ends = _day(project.starts_on), _day(project.ends_on)
        working = int(np.busday_count(starts, ends + 1))
        calendar = working == 0
        total_days = (project.ends_on - project.starts_on).days + 1 if calendar else working

        per_window = _days_in_common(starts, ends, self.window_starts, self.window_ends, calendar)
        covered = np.bincount(self.window_owner, weights=per_window, minlength=n)
        covered = np.where(self.has_windows, covered, total_days)  # no windows: not limited
        day_share = covered / total_days
        asked = project.hours_per_week
        weekly = self.weekly_hours
        hours_share = np.minimum(1.0, weekly / asked) if asked > 0 else np.ones(n)
        eligible = (covered >= min(MIN_WORKING_DAYS, total_days)) & self._alive
        if asked > 0:
            eligible &= weekly >= MIN_HOURS_FRACTION * asked

        text = self._cosines("text", self._text, project.text)
        if project.learning_outcomes:
            learning = np.where(
                self.has_goals, self._cosines("goals", self._goals, project.outcomes_text), 0
            )
        else:
            learning = np.zeros(n)
        components = {
            "required": self._coverage(project.required),
            "preferred": self._coverage(project.preferred),
            "text": text,
            "availability": day_share * hours_share,
            "learning": learning,
        }
        components = {k: np.clip(v, 0.0, 1.0) for k, v in components.items()}
        return Scores(_combine(components, weights), components, eligible)

    def best(
        self, project: ProjectInput, k: int | None, *, weights: Weights = DEFAULT_WEIGHTS
    ) -> list[int]:
        """Ids of the ``k`` indexed students (all when None) who fit ``project`` best, best
        first, leaving out those failing the hard constraints; ties by id, as
        :func:`suggest_candidates` ranks them."""
        scored = self.scores(project, weights=weights)
        candidates = np.flatnonzero(scored.eligible)
        best = candidates[_top(scored.score[candidates], self.ids[candidates], k)]
        return self.ids[best].tolist()

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays (not the text index's vocabulary)."""
        arrays = (
            self.ids,
            self._fingerprints,
            self._alive,
            self.weekly_hours,
            self.has_goals,
            self.has_windows,
            self.window_owner,
            self.window_starts,
            self.window_ends,
        )
        rows = (self._text, self._goals, self._skills)
        return sum(a.nbytes for a in arrays) + sum(r.nbytes for r in rows)


# --------------------------------------------------------------------------------------------
# Rankings
# --------------------------------------------------------------------------------------------


def _top(scores: np.ndarray, ids: np.ndarray, k: int | None) -> np.ndarray:
    """Positions of the ``k`` best (all when None), best first, by ``(-round(score, 9), id)``.

    Rounding keeps float noise from beating the id tie-break. ``np.argpartition`` finds the
    k-th best score; only scores within :data:`_NEAR` of it or above can be among the k best
    once rounded, and only those are rounded (with Python's ``round``, as the per-pair
    ordering always did) and sorted.
    """
    count = scores.size
    near = np.arange(count)
    if k is not None:
        k = max(0, k)
        if k == 0:
            return near[:0]
        if k < count:
            kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
            near = np.flatnonzero(scores >= kth - _NEAR)
    rounded = np.fromiter(map(round, scores[near].tolist(), repeat(9)), float, near.size)
    order = np.lexsort((ids[near], -rounded))
    return near[order[:k]]


def _ranked(fits: list[FitScore], key: str) -> list[FitScore]:
    # Round before comparing so that float noise never beats the id tie-break.
    return sorted(fits, key=lambda f: (-round(f.score, 9), getattr(f, key)))


def recommend(
    student: StudentInput,
    projects: Sequence[ProjectInput],
    k: int | None = 10,
    index: ProjectIndex | TextIndex | None = None,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    skill_names: Mapping[int, str] | None = None,
) -> list[FitScore]:
    """The ``k`` best projects for a student (all when ``k`` is None), best first.

    Projects failing :func:`~practicum.matching.scoring.passes_hard_constraints` are left out;
    ties are broken by project id. Each result is what
    :func:`~practicum.matching.scoring.score_fit` gives for the pair, reasons included (made
    only for the projects returned).

    ``index`` is, fastest first: a :class:`ProjectIndex` built once over the projects (or a
    superset of them); a :class:`TextIndex`, from which a ProjectIndex over ``projects`` is
    built for this call; or None, for a TextIndex over this student and the projects that pass
    the hard constraints.
    """
    if not isinstance(projects, Sequence):
        projects = list(projects)
    if isinstance(index, ProjectIndex):
        rows = index._rows(projects)
    elif index is None or isinstance(index, TextIndex):
        rows = None
        if index is None:
            # As score_fit would see it: the texts of the student and of the eligible projects.
            merged = _merged(student.windows)
            eligible = [
                p for p in projects if not _failures(_availability(student, p, merged), student, p)
            ]
            index = TextIndex.from_inputs([student], eligible)
        index = ProjectIndex(projects, index)
    else:
        raise TypeError(f"index must be a ProjectIndex or a TextIndex, got {type(index).__name__}")

    scored = index.scores(student, weights=weights)
    score, eligible, ids = scored.score, scored.eligible, index.ids
    if rows is not None:
        score, eligible, ids = score[rows], eligible[rows], ids[rows]
    candidates = np.flatnonzero(eligible)
    best = candidates[_top(score[candidates], ids[candidates], k)]
    fits = [
        _score_pair(student, projects[i], index.text_index, weights, skill_names)
        for i in best.tolist()
    ]
    return _ranked(fits, "project_id")


def suggest_candidates(
    project: ProjectInput,
    students: Sequence[StudentInput],
    k: int | None = 10,
    index: StudentIndex | TextIndex | None = None,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    skill_names: Mapping[int, str] | None = None,
) -> list[FitScore]:
    """The ``k`` best students for a project (all when ``k`` is None), best first.

    Same filtering, scores and tie-break (by student id) as :func:`recommend`, with a
    :class:`StudentIndex` as the fast ``index``. The reasons are the same facts either way;
    the Django side words them about the student for the organization.
    """
    if not isinstance(students, Sequence):
        students = list(students)
    if isinstance(index, StudentIndex):
        rows = index._rows(students)
    elif index is None or isinstance(index, TextIndex):
        rows = None
        if index is None:
            eligible = [s for s in students if not _failures(_availability(s, project), s, project)]
            index = TextIndex.from_inputs(eligible, [project])
        index = StudentIndex(students, index)
    else:
        raise TypeError(f"index must be a StudentIndex or a TextIndex, got {type(index).__name__}")

    scored = index.scores(project, weights=weights)
    score, eligible, ids = scored.score, scored.eligible, index.ids
    if rows is not None:
        score, eligible, ids = score[rows], eligible[rows], ids[rows]
    candidates = np.flatnonzero(eligible)
    best = candidates[_top(score[candidates], ids[candidates], k)]
    fits = [
        _score_pair(students[i], project, index.text_index, weights, skill_names)
        for i in best.tolist()
    ]
    return _ranked(fits, "student_id")
