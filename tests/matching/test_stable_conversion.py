"""The dict API's vectorised conversion: integer ids, other keys, and every fallback path."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practicum.matching import deferred_acceptance, deferred_acceptance_compact, stable
from tests.matching.helpers import reference_da


@st.composite
def int_instances(draw):
    """Integer ids for both sides, dense or far apart, with ids outside the round."""
    spread = draw(st.sampled_from([1, 7, 10**9]))  # 10**9: too sparse for a look-up table
    offset = draw(st.integers(-(10**6), 10**6))
    n = draw(st.integers(0, 10))
    m = draw(st.integers(0, 5))
    students = [offset + spread * i for i in range(n)]
    projects = [-offset + spread * j for j in range(m)]
    ghost_student, ghost_project = offset - 3, 10**12
    s_pool = [*students, ghost_student]
    p_pool = [*projects, ghost_project]
    student_prefs = {
        s: draw(st.lists(st.sampled_from(p_pool), unique=True, max_size=len(p_pool)))
        for s in students
    }
    project_prefs = {
        p: draw(st.lists(st.sampled_from(s_pool), unique=True, max_size=len(s_pool)))
        for p in projects
    }
    capacities = {p: draw(st.integers(0, 3)) for p in projects}
    return student_prefs, project_prefs, capacities


@settings(max_examples=100, deadline=None)
@given(int_instances())
def test_integer_ids_agree_with_the_reference(instance):
    students, projects, capacities = instance
    assert deferred_acceptance(students, projects, capacities) == reference_da(
        students, projects, capacities
    )


def test_every_kind_of_key_gives_the_same_matching():
    students = {1: [10, 20], 2: [20, 10], 3: [10]}
    projects = {10: [3, 1, 2], 20: [1, 2]}
    capacities = {10: 1, 20: 1}
    expected = {1: 20, 2: None, 3: 10}
    assert deferred_acceptance(students, projects, capacities) == expected

    def relabel(s_of, p_of):
        return (
            {s_of(s): [p_of(p) for p in prefs] for s, prefs in students.items()},
            {p_of(p): [s_of(s) for s in prefs] for p, prefs in projects.items()},
            {p_of(p): c for p, c in capacities.items()},
        )

    for s_of, p_of in [
        (str, str),
        (str, int),
        (int, str),
        (np.int64, np.int32),  # numpy integers behave as the ints they equal
        (lambda s: (s, "x"), lambda p: (p,)),  # tuples as keys
        (lambda s: s * 10**25, lambda p: p * 10**25),  # beyond int64
    ]:
        result = deferred_acceptance(*relabel(s_of, p_of))
        assert result == {s_of(s): (None if p is None else p_of(p)) for s, p in expected.items()}


def test_lists_may_be_tuples_ranges_or_generators_and_capacities_numpy_ints():
    students = {1: (10, 20), 2: range(20, 9, -10), 3: (p for p in [10])}
    projects = {10: iter([3, 1, 2]), 20: [1, 2]}
    capacities = {10: np.int64(1), 20: np.uint8(1)}
    assert deferred_acceptance(students, projects, capacities) == {1: 20, 2: None, 3: 10}


def test_floats_equal_to_ids_are_those_ids_and_others_are_ghosts():
    # Dict semantics: 10.0 is the key 10; 10.5 is no project of the round.
    students = {1: [10.0], 2: [10.5, 10]}
    projects = {10: [2, 1.0]}
    assert deferred_acceptance(students, projects, {10: 2}) == {1: 10, 2: 10}
    assert deferred_acceptance(students, projects, {10: 1}) == {1: None, 2: 10}


@pytest.mark.parametrize(
    ("students", "projects", "capacities", "message"),
    [
        ({1: [5, 5]}, {5: [1]}, {5: 1}, "student 1 lists project 5 more than once"),
        ({1: [5]}, {5: [1, 1]}, {5: 1}, "project 5 lists student 1 more than once"),
        # Duplicates of ids outside the round are still duplicates.
        ({1: [9, 9]}, {5: [1]}, {5: 1}, "student 1 lists project 9 more than once"),
        ({1: [5]}, {5: [7, 7]}, {5: 1}, "project 5 lists student 7 more than once"),
        ({1: [5, 10**30, 10**30]}, {5: [1]}, {5: 1}, "lists project 10000"),
        ({1: [5, None]}, {5: [1]}, {5: 1}, "student 1 lists None as a project"),
        ({1: [5]}, {5: [1]}, {5: 2.0}, "capacity of project 5 must be an integer"),
        ({1: [5]}, {5: [1]}, {5: -1}, "capacity of project 5 must be 0 or more"),
        ({1: [5]}, {5: [1], 6: []}, {5: 1}, "project 6 has no capacity"),
        ({1: 5}, {5: [1]}, {5: 1}, "preferences of student 1 must be a list"),
    ],
)
def test_errors_found_by_the_vectorised_checks_are_the_precise_ones(
    students, projects, capacities, message
):
    with pytest.raises(ValueError, match=re.escape(message)):
        deferred_acceptance(students, projects, capacities)


def test_none_as_a_student_in_a_project_list_is_just_an_unknown_student():
    assert deferred_acceptance({1: [5]}, {5: [None, 1]}, {5: 1}) == {1: 5}


def _random_arrays(seed, n=400, m=60, width=6, rank_scale=1):
    rng = np.random.default_rng(seed)
    lists = np.argsort(rng.random((n, m)), axis=1)[:, :width]
    ranks = rng.integers(0, 30, size=(n, width)) * rank_scale  # ties: lower index wins
    caps = rng.integers(0, 6, size=m)
    return lists, ranks, caps


@pytest.mark.parametrize("bits", [62, 20, 12])
def test_keys_that_do_not_fit_fall_back_without_changing_the_result(monkeypatch, bits):
    # 62: bit fields; 20: ranks renumbered to fit; 12: keys are positions in a full sort.
    lists, ranks, caps = _random_arrays(5, rank_scale=10**6)
    expected = deferred_acceptance_compact(lists, ranks, caps)
    monkeypatch.setattr(stable._Keys, "BITS", bits)
    keys = stable._Keys(np.full(400, 6), lists.ravel(), ranks.ravel(), 60)
    assert (keys.tables is not None) == (bits == 12)
    for tail_below in (0, None, 10**9):
        assert np.array_equal(stable._run(lists, ranks, caps, tail_below=tail_below), expected)


def test_negative_ranks_are_ordered_like_any_others():
    lists, ranks, caps = _random_arrays(9)
    shifted = deferred_acceptance_compact(lists, ranks - 1000, caps)
    assert np.array_equal(shifted, deferred_acceptance_compact(lists, ranks, caps))
