"""Student-proposing deferred acceptance with capacities (the hospitals/residents problem).

Students rank projects, projects rank students, and each project has a number of places. The
algorithm of Gale and Shapley, in its student-proposing form, gives the *student-optimal stable
matching*: no student and project would both rather be together than with what they got, and
every student gets the best project they can have in any stable matching. That matching is
unique, so the result never depends on the order in which the inputs are given.

A student can only be matched to a project that also ranks them (the pair is *mutually
acceptable*). Projects missing from ``project_prefs`` are unacceptable to everyone, and students
that a project ranks but that are not in ``student_prefs`` are ignored.

Two layers:

* :func:`deferred_acceptance` takes plain dicts keyed by any hashable ids and returns
  ``{student: project or None}``;
* :func:`deferred_acceptance_compact` / :func:`deferred_acceptance_arrays` run the same algorithm
  on integer arrays. Proposals are made in synchronous rounds: every free student proposes to
  their next choice at once, and each project keeps the best applicants among those it already
  holds and the new ones, up to its capacity. Each round is a handful of numpy operations, so a
  round of tens of thousands of students runs in well under a second. When only a few students
  are still free (a long rejection chain), the last proposals are made one at a time instead.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from enum import StrEnum
from itertools import repeat
from typing import Any, TypeVar

import numpy as np

S = TypeVar("S", bound=Hashable)
P = TypeVar("P", bound=Hashable)

#: Rank value meaning "this project does not rank this student". Any rank ``>= UNRANKED`` given
#: to the array functions is treated as unacceptable.
UNRANKED = 2**31 - 1

__all__ = [
    "UNRANKED",
    "UnmatchedReason",
    "blocking_pairs",
    "deferred_acceptance",
    "deferred_acceptance_arrays",
    "deferred_acceptance_compact",
    "is_stable",
    "unmatched_reasons",
]


class UnmatchedReason(StrEnum):
    """Why a student has no project in a stable matching (values are plain strings)."""

    #: The student ranked no project at all.
    NO_RANKING = "no_ranking"
    #: None of the projects the student ranked ranks them back.
    NOT_RANKED_BACK = "not_ranked_back"
    #: Every project that the student ranked and that ranks them back has no places at all
    #: (capacity 0). Rare: only when a project is in the round with no places.
    NO_PLACES = "no_places"
    #: Every project that the student ranked and that ranks them back filled all its places with
    #: applicants it ranked higher.
    FILLED_WITH_HIGHER = "filled_with_higher"


# --------------------------------------------------------------------------------------------
# Input checks and conversion
# --------------------------------------------------------------------------------------------


def _ordered(keys: Iterable[Any]) -> list[Any]:
    """Keys in a stable order that does not depend on dict insertion order."""
    keys = list(keys)
    try:
        return sorted(keys)
    except TypeError:
        # Mixed, non-comparable keys: order by type name then repr.
        return sorted(keys, key=lambda k: (type(k).__qualname__, repr(k)))


def _first_duplicate(items: Sequence[Any]) -> tuple[bool, Any]:
    seen: set[Any] = set()
    for item in items:
        if item in seen:
            return True, item
        seen.add(item)
    return False, None


def _check_list(prefs: list[Any], owner: str, entry: str) -> None:
    distinct = set(prefs)
    if len(distinct) != len(prefs):
        _, dup = _first_duplicate(prefs)
        raise ValueError(f"{owner} lists {entry} {dup!r} more than once")
    if entry == "project" and None in distinct:
        raise ValueError(f"{owner} lists None as a project")


def _as_list(prefs: Any, owner: str) -> list[Any]:
    if isinstance(prefs, (str, bytes)) or not isinstance(prefs, Iterable):
        raise ValueError(f"preferences of {owner} must be a list, got {prefs!r}")
    return list(prefs)


def _check_inputs(
    student_prefs: Mapping[Any, Sequence[Any]],
    project_prefs: Mapping[Any, Sequence[Any]],
    capacities: Mapping[Any, int],
) -> tuple[dict[Any, list[Any]], dict[Any, list[Any]], dict[Any, int]]:
    """Validate the dict inputs; return copies with lists and plain int capacities."""
    for name, value in (
        ("student_prefs", student_prefs),
        ("project_prefs", project_prefs),
        ("capacities", capacities),
    ):
        if not isinstance(value, Mapping):
            raise TypeError(f"{name} must be a mapping, got {type(value).__name__}")

    students: dict[Any, list[Any]] = {}
    for s, prefs in student_prefs.items():
        prefs = _as_list(prefs, f"student {s!r}")
        _check_list(prefs, f"student {s!r}", "project")
        students[s] = prefs

    projects: dict[Any, list[Any]] = {}
    caps: dict[Any, int] = {}
    for p, prefs in project_prefs.items():
        if p is None:
            raise ValueError("None cannot be a project: it means 'unmatched' in results")
        prefs = _as_list(prefs, f"project {p!r}")
        _check_list(prefs, f"project {p!r}", "student")
        if p not in capacities:
            raise ValueError(f"project {p!r} has no capacity (it is missing from capacities)")
        cap = capacities[p]
        if isinstance(cap, bool) or not isinstance(cap, (int, np.integer)):
            raise ValueError(f"capacity of project {p!r} must be an integer, got {cap!r}")
        if cap < 0:
            raise ValueError(f"capacity of project {p!r} must be 0 or more, got {cap}")
        projects[p] = prefs
        caps[p] = int(cap)
    return students, projects, caps


def _rank_maps(projects: Mapping[Any, list[Any]]) -> dict[Any, dict[Any, int]]:
    return {p: {s: i for i, s in enumerate(prefs)} for p, prefs in projects.items()}


def _to_arrays(
    student_order: list[Any],
    project_order: list[Any],
    students: Mapping[Any, list[Any]],
    projects: Mapping[Any, list[Any]],
    caps: Mapping[Any, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compact arrays for the core: each student's choices and the rank each choice gives them.

    Dict look-ups are done in bulk with ``map``; the pairing of a student's choice with the
    project's rank of that student is a sorted-key join in numpy. Unknown projects become -1
    entries, which the core skips.
    """
    n, m = len(student_order), len(project_order)
    s_index = {s: i for i, s in enumerate(student_order)}
    p_index = {p: j for j, p in enumerate(project_order)}

    chosen: list[int] = []
    lengths: list[int] = []
    for s in student_order:
        prefs = students[s]
        lengths.append(len(prefs))
        chosen.extend(map(p_index.get, prefs, repeat(-1)))
    ranked: list[int] = []
    ranked_lengths: list[int] = []
    for p in project_order:
        prefs = projects[p]
        ranked_lengths.append(len(prefs))
        ranked.extend(map(s_index.get, prefs, repeat(-1)))

    # Sorted keys project * n + student of every ranking, with the rank given.
    counts = np.asarray(ranked_lengths, dtype=np.int64)
    ranked_students = np.asarray(ranked, dtype=np.int64)
    rank = np.arange(ranked_students.size) - np.repeat(np.cumsum(counts) - counts, counts)
    known = ranked_students >= 0
    keys = np.repeat(np.arange(m, dtype=np.int64), counts)[known] * n + ranked_students[known]
    order = np.argsort(keys)
    keys, rank = keys[order], rank[known][order]

    counts = np.asarray(lengths, dtype=np.int64)
    width = int(counts.max()) if n else 0
    lists = np.full((n, width), -1, dtype=np.int64)
    choice_ranks = np.full((n, width), UNRANKED, dtype=np.int64)
    if chosen:
        rows = np.repeat(np.arange(n), counts)
        cols = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
        picked = np.asarray(chosen, dtype=np.int64)
        lists[rows, cols] = picked
        if keys.size:
            wanted = picked * n + rows
            pos = np.minimum(np.searchsorted(keys, wanted), keys.size - 1)
            found = (picked >= 0) & (keys[pos] == wanted)
            choice_ranks[rows, cols] = np.where(found, rank[pos], UNRANKED)
    capacities = np.fromiter((caps[p] for p in project_order), dtype=np.int64, count=m)
    return lists, choice_ranks, capacities


# --------------------------------------------------------------------------------------------
# Array core
# --------------------------------------------------------------------------------------------


def _int_array(value: Any, name: str, ndim: int) -> np.ndarray:
    arr = np.asarray(value)
    if arr.size == 0:
        arr = arr.astype(np.int64)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def _check_rank_lists(lists: np.ndarray, n_projects: int) -> None:
    if lists.size == 0:
        return
    if lists.min() < -1 or lists.max() >= n_projects:
        raise ValueError(
            f"student_rank_lists entries must be project indices in [0, {n_projects}) "
            "or -1 for padding"
        )
    if lists.shape[1] > 1:
        ordered = np.sort(lists, axis=1)
        dup = (ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] >= 0)
        if dup.any():
            row = int(np.flatnonzero(dup.any(axis=1))[0])
            project = int(ordered[row, 1:][dup[row]][0])
            raise ValueError(f"student {row} lists project {project} more than once")


def _check_capacities(caps: np.ndarray) -> None:
    if caps.size and caps.min() < 0:
        bad = int(np.flatnonzero(caps < 0)[0])
        raise ValueError(f"capacity of project {bad} must be 0 or more, got {int(caps[bad])}")


def deferred_acceptance_compact(
    student_rank_lists: np.ndarray,
    choice_ranks: np.ndarray,
    capacities: np.ndarray,
) -> np.ndarray:
    """Deferred acceptance on compact integer arrays.

    ``student_rank_lists[i, j]`` is student ``i``'s ``j``-th choice (a project index, ``-1`` for
    padding); ``choice_ranks[i, j]`` is the rank that project gives student ``i`` (lower is
    better, ``>= UNRANKED`` means the project does not rank them); ``capacities[k]`` is the number
    of places of project ``k``. Memory is proportional to the number of choices, not to
    students x projects.

    Returns the project index of each student, ``-1`` when unmatched. If a project gives the same
    rank to several students, the one with the lower index is preferred.
    """
    lists = _int_array(student_rank_lists, "student_rank_lists", 2)
    ranks = _int_array(choice_ranks, "choice_ranks", 2)
    caps = _int_array(capacities, "capacities", 1)
    if ranks.shape != lists.shape:
        raise ValueError(
            f"choice_ranks has shape {ranks.shape}, expected {lists.shape} like student_rank_lists"
        )
    _check_rank_lists(lists, caps.shape[0])
    _check_capacities(caps)
    return _run(lists, ranks, caps)


def deferred_acceptance_arrays(
    student_rank_lists: np.ndarray,
    project_rank_of_student: np.ndarray,
    capacities: np.ndarray,
) -> np.ndarray:
    """Deferred acceptance with a dense ``n_projects x n_students`` rank matrix.

    ``project_rank_of_student[k, i]`` is the rank project ``k`` gives student ``i`` (lower is
    better, ``>= UNRANKED`` means unacceptable). Other arguments and the result are as in
    :func:`deferred_acceptance_compact`, to which this delegates after looking up the ranks of
    each student's choices.
    """
    lists = _int_array(student_rank_lists, "student_rank_lists", 2)
    rank = _int_array(project_rank_of_student, "project_rank_of_student", 2)
    caps = _int_array(capacities, "capacities", 1)
    n_students, n_projects = lists.shape[0], caps.shape[0]
    if rank.shape != (n_projects, n_students):
        raise ValueError(
            f"project_rank_of_student has shape {rank.shape}, "
            f"expected (n_projects, n_students) = {(n_projects, n_students)}"
        )
    _check_rank_lists(lists, n_projects)
    _check_capacities(caps)
    valid = lists >= 0
    if valid.any():
        safe = np.where(valid, lists, 0)
        choice = rank[safe, np.arange(n_students)[:, None]]
        choice = np.where(valid, choice, UNRANKED)
    else:
        choice = np.full(lists.shape, UNRANKED, dtype=np.int64)
    return _run(lists, choice, caps)


def _run(
    lists: np.ndarray, ranks: np.ndarray, caps: np.ndarray, tail_below: int | None = None
) -> np.ndarray:
    """The synchronous-rounds loop. Inputs are already validated int64 arrays.

    ``tail_below``: switch to one-at-a-time proposals once fewer students than this are free
    (default ``max(8, n // 1000)``; tests force 0 or a huge value to cover both paths).
    """
    n, width = lists.shape
    m = caps.shape[0]
    match = np.full(n, -1, dtype=np.int64)
    if n == 0 or width == 0 or m == 0:
        return match

    # Drop padding and pairs that can never be matched, keeping each student's order.
    valid = lists >= 0
    safe = np.where(valid, lists, 0)
    usable = valid & (ranks < UNRANKED) & (caps[safe] > 0)
    order = np.argsort(~usable, axis=1, kind="stable")
    lists = np.take_along_axis(safe, order, axis=1)
    ranks = np.take_along_axis(ranks, order, axis=1)
    length = usable.sum(axis=1)

    next_choice = np.zeros(n, dtype=np.int64)
    held_rank = np.zeros(n, dtype=np.int64)
    # One extra slot: match == -1 indexes it, and it is always False.
    touched = np.zeros(m + 1, dtype=bool)
    free = np.flatnonzero(length > 0)

    # Few free students left: numpy rounds cost O(n) each, so a long rejection chain would be
    # quadratic. Finish one proposal at a time instead; the result is the same, since deferred
    # acceptance does not depend on the order in which proposals are made.
    if tail_below is None:
        tail_below = max(8, n // 1000)

    while free.size:
        if free.size < tail_below:
            _finish_sequentially(free, lists, ranks, length, caps, match, held_rank, next_choice)
            break
        col = next_choice[free]
        proposed = lists[free, col]
        proposed_rank = ranks[free, col]
        next_choice[free] = col + 1

        # Students currently held by a project that receives proposals this round.
        touched[proposed] = True
        held = np.flatnonzero(touched[match])
        touched[proposed] = False

        cand_s = np.concatenate((held, free))
        cand_p = np.concatenate((match[held], proposed))
        cand_r = np.concatenate((held_rank[held], proposed_rank))
        order = np.lexsort((cand_s, cand_r, cand_p))
        cand_s = cand_s[order]
        cand_p = cand_p[order]
        cand_r = cand_r[order]

        # Position of each candidate within its project's list, best first.
        k = cand_s.size
        idx = np.arange(k)
        starts = np.empty(k, dtype=bool)
        starts[0] = True
        np.not_equal(cand_p[1:], cand_p[:-1], out=starts[1:])
        first = np.maximum.accumulate(np.where(starts, idx, 0))
        keep = (idx - first) < caps[cand_p]

        kept = cand_s[keep]
        match[kept] = cand_p[keep]
        held_rank[kept] = cand_r[keep]
        rejected = cand_s[~keep]
        match[rejected] = -1
        free = rejected[next_choice[rejected] < length[rejected]]
    return match


def _finish_sequentially(
    free: np.ndarray,
    lists: np.ndarray,
    ranks: np.ndarray,
    length: np.ndarray,
    caps: np.ndarray,
    match: np.ndarray,
    held_rank: np.ndarray,
    next_choice: np.ndarray,
) -> None:
    """Run the remaining proposals one at a time, updating ``match`` in place.

    Each project's students are kept in a heap keyed so that its worst student (highest rank,
    then highest index, as in the rounds) is on top; heaps are built when first needed.
    """
    by_project = np.argsort(match, kind="stable")
    bounds = np.searchsorted(match[by_project], np.arange(caps.shape[0] + 1))
    heaps: dict[int, list[tuple[int, int]]] = {}
    queue = deque(free.tolist())
    while queue:
        s = queue.popleft()
        while next_choice[s] < length[s]:
            c = int(next_choice[s])
            next_choice[s] = c + 1
            p = int(lists[s, c])
            r = int(ranks[s, c])
            heap = heaps.get(p)
            if heap is None:
                held = by_project[bounds[p] : bounds[p + 1]].tolist()
                heap = [(-int(held_rank[t]), -t) for t in held]
                heapq.heapify(heap)
                heaps[p] = heap
            if len(heap) < caps[p]:
                heapq.heappush(heap, (-r, -s))
            elif (-r, -s) > heap[0]:
                _, worst = heapq.heapreplace(heap, (-r, -s))
                match[-worst] = -1
                queue.append(-worst)
            else:
                continue
            match[s] = p
            held_rank[s] = r
            break


# --------------------------------------------------------------------------------------------
# Dict API
# --------------------------------------------------------------------------------------------


def deferred_acceptance(
    student_prefs: Mapping[S, Sequence[P]],
    project_prefs: Mapping[P, Sequence[S]],
    capacities: Mapping[P, int],
) -> dict[S, P | None]:
    """Student-optimal stable matching of students to projects with capacities.

    ``student_prefs[s]`` lists the projects student ``s`` applies to, best first;
    ``project_prefs[p]`` lists the students project ``p`` would take, best first;
    ``capacities[p]`` is the number of places of ``p``. Every student key appears in the result,
    mapped to a project or to ``None``. The result is sorted by student key and does not depend
    on dict insertion order.

    Raises ``ValueError`` for a duplicate entry in a preference list, a project without a
    capacity, a capacity that is not an integer ``>= 0``, or ``None`` used as a project.
    """
    students, projects, caps = _check_inputs(student_prefs, project_prefs, capacities)
    student_order = _ordered(students)
    project_order = _ordered(projects)
    lists, ranks, cap_array = _to_arrays(student_order, project_order, students, projects, caps)
    result = _run(lists, ranks, cap_array)
    return {
        s: (project_order[j] if j >= 0 else None)
        for s, j in zip(student_order, result.tolist(), strict=True)
    }


def _assignments(
    matching: Mapping[Any, Any],
    students: Mapping[Any, list[Any]],
    project_ranks: Mapping[Any, dict[Any, int]],
    caps: Mapping[Any, int],
) -> dict[Any, list[int]] | None:
    """Ranks held by each project, or None if the matching is not even valid."""
    held: dict[Any, list[int]] = {p: [] for p in project_ranks}
    for s, p in matching.items():
        if s not in students:
            return None
        if p is None:
            continue
        ranks = project_ranks.get(p)
        if ranks is None or s not in ranks or p not in students[s]:
            return None
        held[p].append(ranks[s])
    if any(len(r) > caps[p] for p, r in held.items()):
        return None
    return held


def blocking_pairs(
    matching: Mapping[S, P | None],
    student_prefs: Mapping[S, Sequence[P]],
    project_prefs: Mapping[P, Sequence[S]],
    capacities: Mapping[P, int],
) -> list[tuple[S, P]]:
    """Every (student, project) pair that would both rather be together than as matched.

    A pair blocks when they rank each other, the student is unmatched or prefers the project to
    their match, and the project has a free place or prefers the student to one of its students.
    Students missing from ``matching`` count as unmatched. Raises ``ValueError`` if the matching
    is not valid (over capacity, a pair that is not mutually acceptable, an unknown student).
    """
    students, projects, caps = _check_inputs(student_prefs, project_prefs, capacities)
    project_ranks = _rank_maps(projects)
    held = _assignments(matching, students, project_ranks, caps)
    if held is None:
        raise ValueError(
            "matching is not valid: over capacity, unknown student or unacceptable pair"
        )
    worst = {p: max(r) if r else -1 for p, r in held.items()}
    pairs: list[tuple[S, P]] = []
    for s in _ordered(students):
        current = matching.get(s)
        for p in students[s]:
            if current is not None and p == current:
                break
            ranks = project_ranks.get(p)
            if ranks is None:
                continue
            r = ranks.get(s)
            if r is None or caps[p] == 0:
                continue
            if len(held[p]) < caps[p] or r < worst[p]:
                pairs.append((s, p))
    return pairs


def is_stable(
    matching: Mapping[S, P | None],
    student_prefs: Mapping[S, Sequence[P]],
    project_prefs: Mapping[P, Sequence[S]],
    capacities: Mapping[P, int],
) -> bool:
    """Whether ``matching`` respects capacities, only pairs students with projects that rank
    each other, and has no blocking pair. Students missing from ``matching`` count as unmatched;
    a key that is not a student makes it invalid. Invalid inputs raise ``ValueError``."""
    students, projects, caps = _check_inputs(student_prefs, project_prefs, capacities)
    if _assignments(matching, students, _rank_maps(projects), caps) is None:
        return False
    return not blocking_pairs(matching, students, projects, caps)


def unmatched_reasons(
    matching: Mapping[S, P | None] | None,
    student_prefs: Mapping[S, Sequence[P]],
    project_prefs: Mapping[P, Sequence[S]],
    capacities: Mapping[P, int],
) -> dict[S, UnmatchedReason]:
    """A reason code for each student left unmatched (see :class:`UnmatchedReason`).

    ``matching`` is usually the result of :func:`deferred_acceptance`; pass ``None`` to compute
    it. In a stable matching every unmatched student falls in exactly one case, checked in this
    order: ranked nothing, ranked only projects that do not rank them back, only projects with
    no places rank them back, or those projects filled with applicants they ranked higher.
    Raises ``ValueError`` if the matching is invalid, or if an unmatched student could still
    take a place (the matching is then not stable).
    """
    students, projects, caps = _check_inputs(student_prefs, project_prefs, capacities)
    if matching is None:
        matching = deferred_acceptance(students, projects, caps)
    project_ranks = _rank_maps(projects)
    held = _assignments(matching, students, project_ranks, caps)
    if held is None:
        raise ValueError(
            "matching is not valid: over capacity, unknown student or unacceptable pair"
        )
    reasons: dict[S, UnmatchedReason] = {}
    for s in _ordered(students):
        if matching.get(s) is not None:
            continue
        prefs = students[s]
        if not prefs:
            reasons[s] = UnmatchedReason.NO_RANKING
            continue
        ranked_back = [p for p in prefs if p in project_ranks and s in project_ranks[p]]
        if not ranked_back:
            reasons[s] = UnmatchedReason.NOT_RANKED_BACK
            continue
        open_ones = [p for p in ranked_back if caps[p] > 0]
        if not open_ones:
            reasons[s] = UnmatchedReason.NO_PLACES
            continue
        for p in open_ones:
            r = project_ranks[p][s]
            if len(held[p]) < caps[p] or any(h > r for h in held[p]):
                raise ValueError(
                    f"matching is not stable: student {s!r} could still take a place at {p!r}"
                )
        reasons[s] = UnmatchedReason.FILLED_WITH_HIGHER
    return reasons
