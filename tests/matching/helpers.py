"""Random instances and slow, obviously-correct references for the matching tests."""

from __future__ import annotations

import itertools
from collections import deque

import numpy as np
from hypothesis import strategies as st

from practicum.matching.stable import UNRANKED

GHOST_PROJECT = "ghost"  # ranked by students but not part of the round
GHOST_STUDENT = 999  # ranked by projects but not part of the round


@st.composite
def instances(draw, max_students=8, max_projects=5, max_capacity=3, ghosts=True):
    """(student_prefs, project_prefs, capacities) with ints for students, "pN" for projects."""
    n = draw(st.integers(0, max_students))
    m = draw(st.integers(0, max_projects))
    students = list(range(n))
    projects = [f"p{j}" for j in range(m)]
    project_pool = projects + ([GHOST_PROJECT] if ghosts else [])
    student_pool = students + ([GHOST_STUDENT] if ghosts else [])

    def ranking(pool):
        if not pool:
            return st.just([])
        return st.lists(st.sampled_from(pool), unique=True, max_size=len(pool))

    student_prefs = {s: draw(ranking(project_pool)) for s in students}
    project_prefs = {p: draw(ranking(student_pool)) for p in projects}
    capacities = {p: draw(st.integers(0, max_capacity)) for p in projects}
    return student_prefs, project_prefs, capacities


def shuffled(mapping: dict, rng) -> dict:
    keys = list(mapping)
    rng.shuffle(keys)
    return {k: mapping[k] for k in keys}


def reference_da(student_prefs, project_prefs, capacities):
    """Textbook one-proposal-at-a-time deferred acceptance, written independently."""
    rank = {p: {s: i for i, s in enumerate(prefs)} for p, prefs in project_prefs.items()}
    acceptable = {
        s: [p for p in prefs if p in rank and s in rank[p] and capacities[p] > 0]
        for s, prefs in student_prefs.items()
    }
    nxt = dict.fromkeys(student_prefs, 0)
    held: dict = {p: [] for p in project_prefs}
    queue = deque(s for s in student_prefs if acceptable[s])
    while queue:
        s = queue.popleft()
        p = acceptable[s][nxt[s]]
        nxt[s] += 1
        held[p].append(s)
        held[p].sort(key=rank[p].__getitem__)
        if len(held[p]) > capacities[p]:
            out = held[p].pop()
            if nxt[out] < len(acceptable[out]):
                queue.append(out)
    result = dict.fromkeys(student_prefs)
    for p, ss in held.items():
        for s in ss:
            result[s] = p
    return result


def local_is_stable(matching, student_prefs, project_prefs, capacities) -> bool:
    """Stability straight from the definition, for cross-checking ``is_stable``."""
    rank = {p: {s: i for i, s in enumerate(prefs)} for p, prefs in project_prefs.items()}
    held = {p: [s for s, q in matching.items() if q == p] for p in project_prefs}
    for s, p in matching.items():
        if p is not None and (p not in rank or s not in rank[p] or p not in student_prefs[s]):
            return False
    if any(len(ss) > capacities[p] for p, ss in held.items()):
        return False
    for s, prefs in student_prefs.items():
        current = matching.get(s)
        for p in prefs:
            if p == current:
                break
            if p not in rank or s not in rank[p] or capacities[p] == 0:
                continue
            if len(held[p]) < capacities[p]:
                return False
            if any(rank[p][s] < rank[p][t] for t in held[p]):
                return False
    return True


def all_stable_matchings(student_prefs, project_prefs, capacities) -> list[dict]:
    """Every stable matching, by brute force (tiny instances only)."""
    rank = {p: set(prefs) for p, prefs in project_prefs.items()}
    students = list(student_prefs)
    options = [
        [None, *(p for p in student_prefs[s] if p in rank and s in rank[p])] for s in students
    ]
    found = []
    for combo in itertools.product(*options):
        matching = dict(zip(students, combo, strict=True))
        if local_is_stable(matching, student_prefs, project_prefs, capacities):
            found.append(matching)
    return found


def to_arrays(student_prefs, project_prefs, capacities):
    """Independent conversion of a dict instance to (lists, dense ranks, compact ranks, caps)."""
    students = sorted(student_prefs)
    projects = sorted(project_prefs)
    s_index = {s: i for i, s in enumerate(students)}
    p_index = {p: j for j, p in enumerate(projects)}
    width = max((len(v) for v in student_prefs.values()), default=0)
    lists = np.full((len(students), width), -1, dtype=np.int64)
    for s, prefs in student_prefs.items():
        known = [p_index[p] for p in prefs if p in p_index]
        lists[s_index[s], : len(known)] = known
    dense = np.full((len(projects), len(students)), UNRANKED, dtype=np.int64)
    for p, prefs in project_prefs.items():
        for r, s in enumerate(prefs):
            if s in s_index:
                dense[p_index[p], s_index[s]] = r
    compact = np.full(lists.shape, UNRANKED, dtype=np.int64)
    for i in range(lists.shape[0]):
        for c in range(lists.shape[1]):
            if lists[i, c] >= 0:
                compact[i, c] = dense[lists[i, c], i]
    caps = np.array([capacities[p] for p in projects], dtype=np.int64)
    return students, projects, lists, dense, compact, caps
