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
  ``{student: project or None}``. Its conversion to arrays runs in C and numpy, with no Python
  code per preference entry: keys are mapped to indices once (by a numpy look-up table when
  they are integers, as database ids are, else by a dict), the lists are flattened with
  ``chain``, and each student's choice is paired with the rank the project gives them by one
  sort of both sides' (project, student) keys, which also finds duplicate entries. Anything
  unusual (lists that are not lists, numpy capacities, invalid input) takes a careful per-list
  path that raises precise errors.
* :func:`deferred_acceptance_compact` / :func:`deferred_acceptance_arrays` run the same algorithm
  on integer arrays. Proposals are made in synchronous rounds: every free student proposes to
  their next choice at once, and each project keeps the best applicants among those it already
  holds and the new ones, up to its capacity. Each (project, rank, student) triple is packed
  into one int64 key, so a round is one plain sort and a handful of numpy operations, and a
  full project turns down proposals below its worst student without re-sorting. 100,000
  students with 10 choices each take well under a tenth of a second. When only a few students
  are still free (a long rejection chain), the last proposals are made one at a time instead.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar

import numpy as np

from practicum.matching.reasons import UnmatchedReason

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


def _check_mappings(student_prefs: Any, project_prefs: Any, capacities: Any) -> None:
    for name, value in (
        ("student_prefs", student_prefs),
        ("project_prefs", project_prefs),
        ("capacities", capacities),
    ):
        if not isinstance(value, Mapping):
            raise TypeError(f"{name} must be a mapping, got {type(value).__name__}")


def _check_inputs(
    student_prefs: Mapping[Any, Sequence[Any]],
    project_prefs: Mapping[Any, Sequence[Any]],
    capacities: Mapping[Any, int],
) -> tuple[dict[Any, list[Any]], dict[Any, list[Any]], dict[Any, int]]:
    """Validate the dict inputs; return copies with lists and plain int capacities."""
    _check_mappings(student_prefs, project_prefs, capacities)
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


class _Indexer(dict):
    """Key -> index for the keys given, in their order. A key not given gets the next free
    index when first looked up, so entries outside the round stay distinct (duplicate checks
    still see them) and are recognisable as ``index >= known``."""

    def __init__(self, keys: list[Any]) -> None:
        super().__init__(zip(keys, range(len(keys)), strict=True))
        self.known = len(keys)

    def __missing__(self, key: Any) -> int:
        index = self[key] = len(self)
        return index


def _int_indices(entries: list[Any], keys: list[Any]) -> tuple[np.ndarray, int] | None:
    """:func:`_indices` in numpy when the keys and entries are all integers (database ids):
    a look-up table when the keys are dense enough, else a binary search. None otherwise."""
    try:
        values = np.array(entries) if entries else np.zeros(0, dtype=np.int64)
        known = np.array(keys) if keys else np.zeros(0, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        return None
    if values.ndim != 1 or known.ndim != 1 or values.dtype.kind != "i" or known.dtype.kind != "i":
        return None  # strings, floats, bools only, huge ints, tuples...
    values = values.astype(np.int64, copy=False)
    known = known.astype(np.int64, copy=False)  # sorted: keys come from _ordered
    index = np.full(values.size, -1, dtype=np.int64)
    if known.size:
        low, high = int(known[0]), int(known[-1])
        if high - low < 4 * known.size + 1024:
            table = np.full(high - low + 1, -1, dtype=np.int64)
            table[known - low] = np.arange(known.size)
            inside = (values >= low) & (values <= high)
            index[inside] = table[values[inside] - low]
        else:
            at = np.minimum(np.searchsorted(known, values), known.size - 1)
            index = np.where(known[at] == values, at, -1)
    unknown = index < 0
    if not unknown.any():
        return index, known.size
    distinct, inverse = np.unique(values[unknown], return_inverse=True)
    index[unknown] = known.size + inverse
    return index, known.size + distinct.size


def _indices(entries: list[Any], keys: list[Any]) -> tuple[np.ndarray, int, bool]:
    """Index in ``keys`` of each entry; an entry that is not a key gets an index from
    ``len(keys)`` on, one per distinct entry, so that duplicates among them still show.
    Returns the indices, how many distinct indices there are, and whether None is an entry.
    """
    found = _int_indices(entries, keys)
    if found is not None:
        return found[0], found[1], False
    index = _Indexer(keys)
    values = np.fromiter(map(index.__getitem__, entries), dtype=np.int64, count=len(entries))
    return values, len(index), None in index


@dataclass
class _Flat:
    """Preference lists of one side, flattened: list lengths, then every entry as an index."""

    lengths: np.ndarray
    entries: np.ndarray
    distinct: int  # indices used by entries: keys of the other side, then unknown entries
    has_none: bool


def _flatten(
    owners: list[Any], prefs: Mapping[Any, Sequence[Any]], keys: list[Any]
) -> _Flat | None:
    """The preference lists of ``owners``, in order, with entries as indices into ``keys``.

    The loops run in C (``map``, ``chain``, numpy): no Python code per entry. None when a list
    is not a list or tuple (the careful path converts it).
    """
    values = list(map(prefs.__getitem__, owners))
    if not set(map(type, values)) <= {list, tuple}:
        return None
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    entries, distinct, has_none = _indices(list(chain.from_iterable(values)), keys)
    return _Flat(lengths, entries, distinct, has_none)


@dataclass
class _Prepared:
    """A dict instance as flat arrays: each student's usable choices, in order."""

    student_order: list[Any]
    project_order: list[Any]
    lengths: np.ndarray  # usable choices per student
    projects: np.ndarray  # project index of each usable choice, student by student
    ranks: np.ndarray  # the rank that project gives the student
    capacities: np.ndarray


def _prepare(
    student_prefs: Mapping[Any, Sequence[Any]],
    project_prefs: Mapping[Any, Sequence[Any]],
    capacities: Mapping[Any, int],
) -> _Prepared | None:
    """Vectorised conversion of the dict inputs; None if anything is unusual or invalid.

    Keys are mapped to indices once, the lists are flattened in C (see :func:`_flatten`), and
    pairing each student's choice with the rank the project gives them is one sort of both
    sides' ``(project, student)`` keys, which also finds duplicates. On None the caller runs
    the careful per-list checks (:func:`_check_inputs`), which raise the precise error or
    return plain lists that this function then accepts.
    """
    if None in project_prefs:
        return None
    student_order = _ordered(student_prefs)
    project_order = _ordered(project_prefs)
    n, m = len(student_order), len(project_order)

    cap_values = list(map(capacities.get, project_order))
    if not set(map(type, cap_values)) <= {int}:  # missing (None), bool, float, numpy ints
        return None
    caps = np.array(cap_values, dtype=np.int64).reshape(m)
    if m and caps.min() < 0:
        return None

    by_students = _flatten(student_order, student_prefs, project_order)
    by_projects = _flatten(project_order, project_prefs, student_order)
    if by_students is None or by_projects is None or by_students.has_none:
        return None
    chosen = by_students.entries
    ranked = by_projects.entries

    # Keys (project, student, side) of both sides' entries: after one sort a student's choice
    # sits just before the project's ranking of that student, if there is one, and two equal
    # keys are a duplicate within one list.
    student_bits = (by_projects.distinct - 1).bit_length()
    s_rows = np.repeat(np.arange(n, dtype=np.int64), by_students.lengths)
    p_rows = np.repeat(np.arange(m, dtype=np.int64), by_projects.lengths)
    keys = np.concatenate(
        (
            ((chosen << student_bits) | s_rows) << 1,
            (((p_rows << student_bits) | ranked) << 1) | 1,
        )
    )
    order = np.argsort(keys)
    keys = keys[order]
    if keys.size > 1 and (keys[1:] == keys[:-1]).any():
        return None
    n_chosen = chosen.size
    pair = (keys[1:] - keys[:-1] == 1) & ((keys[:-1] & 1) == 0)
    choice_at = order[:-1][pair]
    ranking_at = order[1:][pair] - n_chosen
    p_starts = np.cumsum(by_projects.lengths) - by_projects.lengths
    ranks = np.full(n_chosen, UNRANKED, dtype=np.int64)
    ranks[choice_at] = ranking_at - p_starts[p_rows[ranking_at]]

    usable = ranks < UNRANKED  # implies a project of the round
    if m:
        usable &= caps[np.minimum(chosen, m - 1)] > 0
    lengths = np.bincount(s_rows[usable], minlength=n).astype(np.int64)
    return _Prepared(student_order, project_order, lengths, chosen[usable], ranks[usable], caps)


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
    """Deferred acceptance on validated int64 ``(n, width)`` arrays (see the compact API).

    Drops padding and pairs that can never be matched, keeping each student's order, and runs
    :func:`_core` on the flat result; ``tail_below`` is passed on.
    """
    n, width = lists.shape
    m = caps.shape[0]
    if n == 0 or width == 0 or m == 0:
        return np.full(n, -1, dtype=np.int64)
    valid = lists >= 0
    safe = np.where(valid, lists, 0)
    usable = valid & (ranks < UNRANKED) & (caps[safe] > 0)
    flat = usable.ravel()
    return _core(usable.sum(axis=1), safe.ravel()[flat], ranks.ravel()[flat], caps, tail_below)


class _Keys:
    """One int64 key per usable pair, ordered as ``(project, rank, student)``.

    Sorting a round's candidates by key groups them by project, best first, in one plain sort.
    Usually the key packs the three into bit fields, decoded with a shift and a mask; ranks
    are first replaced by their position among the distinct ranks if they need too many bits,
    and in the last resort the key is the pair's position in a full sort, decoded by look-up.
    """

    #: Bits a key may use (int64, and the cutoffs' "no cutoff" value stays above every key).
    BITS = 62

    def __init__(self, lengths: np.ndarray, projects: np.ndarray, ranks: np.ndarray, m: int):
        n = lengths.shape[0]
        students = np.repeat(np.arange(n, dtype=np.int64), lengths)
        self.tables: tuple[np.ndarray, np.ndarray] | None = None
        student_bits = (n - 1).bit_length()
        self.mask = (1 << student_bits) - 1
        self.shift = 0
        if ranks.size == 0:
            self.keys = np.empty(0, dtype=np.int64)
            return
        shifted = ranks - ranks.min()
        rank_bits = int(shifted.max()).bit_length()
        project_bits = (m - 1).bit_length()
        if project_bits + rank_bits + student_bits > self.BITS:
            distinct, shifted = np.unique(ranks, return_inverse=True)
            rank_bits = (distinct.size - 1).bit_length()
        if project_bits + rank_bits + student_bits <= self.BITS:
            self.shift = rank_bits + student_bits
            self.keys = (((projects << rank_bits) | shifted) << student_bits) | students
        else:
            order = np.lexsort((students, shifted, projects))
            self.keys = np.empty(ranks.size, dtype=np.int64)
            self.keys[order] = np.arange(ranks.size, dtype=np.int64)
            self.tables = (projects[order], students[order])

    def decode(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(projects, students) of these keys."""
        if self.tables is not None:
            return self.tables[0][keys], self.tables[1][keys]
        return keys >> self.shift, keys & self.mask


def _core(
    lengths: np.ndarray,
    projects: np.ndarray,
    ranks: np.ndarray,
    caps: np.ndarray,
    tail_below: int | None = None,
) -> np.ndarray:
    """The synchronous-rounds loop on flat arrays of usable pairs only.

    Student ``i``'s choices are the ``lengths[i]`` entries of ``projects`` / ``ranks`` after
    those of students ``0..i-1``, best first; every pair is mutually acceptable and every
    project has a place. ``tail_below``: switch to one-at-a-time proposals once fewer students
    than this are free (default ``max(8, n // 1000)``; tests force 0 or a huge value to cover
    both paths).
    """
    n = lengths.shape[0]
    m = caps.shape[0]
    match = np.full(n, -1, dtype=np.int64)
    if projects.size == 0:
        return match
    keyed = _Keys(lengths, projects, ranks, m)
    keys = keyed.keys
    first_choice = np.cumsum(lengths) - lengths
    end_choice = first_choice + lengths

    # Position of each student's next proposal in the flat arrays, and the key they are held by.
    nxt = first_choice.copy()
    held_key = np.zeros(n, dtype=np.int64)
    # One extra slot: match == -1 indexes it, and it is always False.
    touched = np.zeros(m + 1, dtype=bool)
    # Key of the worst student held by each full project (no proposal with a higher key can
    # get in); the largest int64 while the project has free places.
    cutoff = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    free = np.flatnonzero(lengths > 0)

    # Few free students left: numpy rounds cost O(n) each, so a long rejection chain would be
    # quadratic. Finish one proposal at a time instead; the result is the same, since deferred
    # acceptance does not depend on the order in which proposals are made.
    if tail_below is None:
        tail_below = max(8, n // 1000)

    while free.size:
        if free.size < tail_below:
            _finish_sequentially(free, nxt, end_choice, projects, keys, caps, match, held_key)
            break
        at = nxt[free]
        nxt[free] = at + 1
        proposed = projects[at]
        new_keys = keys[at]

        # A full project turns down at once whoever ranks below its worst student.
        hopeful = new_keys < cutoff[proposed]
        turned_down = free[~hopeful]
        free, proposed, new_keys = free[hopeful], proposed[hopeful], new_keys[hopeful]

        # Students currently held by a project that receives proposals this round.
        touched[proposed] = True
        held = np.flatnonzero(touched[match])
        touched[proposed] = False

        candidates = np.concatenate((held_key[held], new_keys))
        candidates.sort()
        cand_p, cand_s = keyed.decode(candidates)

        # Position of each candidate within its project's list, best first.
        k = candidates.size
        idx = np.arange(k)
        starts = np.empty(k, dtype=bool)
        starts[:1] = True
        np.not_equal(cand_p[1:], cand_p[:-1], out=starts[1:])
        position = idx - np.maximum.accumulate(np.where(starts, idx, 0))
        cap = caps[cand_p]
        keep = position < cap
        last = position == cap - 1  # the worst student of a project that is now full
        cutoff[cand_p[last]] = candidates[last]

        kept = cand_s[keep]
        match[kept] = cand_p[keep]
        held_key[kept] = candidates[keep]
        rejected = cand_s[~keep]
        match[rejected] = -1
        rejected = np.concatenate((rejected, turned_down))
        free = rejected[nxt[rejected] < end_choice[rejected]]
    return match


def _finish_sequentially(
    free: np.ndarray,
    nxt: np.ndarray,
    end_choice: np.ndarray,
    projects: np.ndarray,
    keys: np.ndarray,
    caps: np.ndarray,
    match: np.ndarray,
    held_key: np.ndarray,
) -> None:
    """Run the remaining proposals one at a time, updating ``match`` in place.

    Each project's students are kept in a heap whose top is its worst student (highest key);
    heaps are built when first needed.
    """
    by_project = np.argsort(match, kind="stable")
    bounds = np.searchsorted(match[by_project], np.arange(caps.shape[0] + 1))
    heaps: dict[int, list[tuple[int, int]]] = {}
    queue = deque(free.tolist())
    while queue:
        s = queue.popleft()
        while nxt[s] < end_choice[s]:
            at = int(nxt[s])
            nxt[s] = at + 1
            p = int(projects[at])
            key = int(keys[at])
            heap = heaps.get(p)
            if heap is None:
                held = by_project[bounds[p] : bounds[p + 1]].tolist()
                heap = [(-int(held_key[t]), t) for t in held]
                heapq.heapify(heap)
                heaps[p] = heap
            if len(heap) < caps[p]:
                heapq.heappush(heap, (-key, s))
            elif -key > heap[0][0]:
                _, worst = heapq.heapreplace(heap, (-key, s))
                match[worst] = -1
                queue.append(worst)
            else:
                continue
            match[s] = p
            held_key[s] = key
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
    _check_mappings(student_prefs, project_prefs, capacities)
    prepared = _prepare(student_prefs, project_prefs, capacities)
    if prepared is None:
        # Lists that are not lists, numpy capacities, or an error: check each list (raising a
        # precise error if one is wrong) and convert again from plain lists.
        prepared = _prepare(*_check_inputs(student_prefs, project_prefs, capacities))
        if prepared is None:  # pragma: no cover -- _check_inputs accepts only what _prepare does
            raise RuntimeError("deferred_acceptance could not convert valid inputs")
    result = _core(prepared.lengths, prepared.projects, prepared.ranks, prepared.capacities)
    # Index -1 (unmatched) picks the None at the end.
    labels = [*prepared.project_order, None]
    return dict(zip(prepared.student_order, map(labels.__getitem__, result.tolist()), strict=True))


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
