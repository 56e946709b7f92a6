"""The vectorised core: agreement with the dict API, padding, validation."""

import numpy as np
import pytest
from hypothesis import given, settings

from practicum.matching import (
    UNRANKED,
    deferred_acceptance,
    deferred_acceptance_arrays,
    deferred_acceptance_compact,
    is_stable,
    stable,
)
from tests.matching.helpers import instances, reference_da, to_arrays


@settings(max_examples=150, deadline=None)
@given(instances(max_students=15, max_projects=6))
def test_array_cores_agree_with_dict_api(instance):
    students, projects, capacities = instance
    order, project_order, lists, dense, compact, caps = to_arrays(students, projects, capacities)
    expected = deferred_acceptance(students, projects, capacities)
    for result in (
        deferred_acceptance_arrays(lists, dense, caps),
        deferred_acceptance_compact(lists, compact, caps),
    ):
        assert result.shape == (len(order),)
        as_dict = {
            s: (project_order[j] if j >= 0 else None)
            for s, j in zip(order, result.tolist(), strict=True)
        }
        assert as_dict == expected


def test_classic_instance_on_arrays():
    # Students A, B, C and projects X, Y, Z of test_classic_marriage_is_student_optimal.
    lists = np.array([[0, 1, 2], [1, 0, 2], [0, 1, 2]])
    dense = np.array([[1, 0, 2], [0, 1, 2], [0, 1, 2]])
    caps = np.array([1, 1, 1])
    assert deferred_acceptance_arrays(lists, dense, caps).tolist() == [0, 1, 2]


def test_padding_anywhere_and_unacceptable_ranks_are_skipped():
    lists = np.array([[-1, 0, 1], [1, -1, -1], [-1, -1, -1]])
    dense = np.array([[UNRANKED, 0, 0], [0, 1, UNRANKED + 5]])
    caps = np.array([1, 1])
    # Student 0 applies to 0 (does not rank them) then 1 (ranks them first).
    assert deferred_acceptance_arrays(lists, dense, caps).tolist() == [1, -1, -1]


def test_equal_ranks_prefer_the_lower_student_index():
    lists = np.array([[0], [0], [0]])
    compact = np.array([[5], [5], [5]])
    assert deferred_acceptance_compact(lists, compact, np.array([2])).tolist() == [0, 0, -1]


def test_zero_capacity_and_empty_shapes():
    assert deferred_acceptance_compact(
        np.array([[0]]), np.array([[0]]), np.array([0])
    ).tolist() == [-1]
    empty = deferred_acceptance_compact(np.zeros((3, 0), int), np.zeros((3, 0), int), [2])
    assert empty.tolist() == [-1, -1, -1]
    none = deferred_acceptance_arrays(np.zeros((0, 0), int), np.zeros((0, 0), int), [])
    assert none.tolist() == []


@pytest.mark.parametrize(
    ("lists", "ranks", "caps", "message"),
    [
        ([[0, 0]], [[0]], [1], "student 0 lists project 0 more than once"),
        ([[2]], [[0], [0]], [1, 1], r"project indices in \[0, 2\)"),
        ([[-2]], [[0]], [1], r"project indices in \[0, 1\)"),
        ([[0]], [[0]], [-1], "capacity of project 0 must be 0 or more"),
        ([[0]], [[0, 1]], [1], "expected"),
        ([0], [[0]], [1], "must have 2 dimension"),
        ([[0.5]], [[0]], [1], "must hold integers"),
    ],
)
def test_dense_core_validation(lists, ranks, caps, message):
    with pytest.raises(ValueError, match=message):
        deferred_acceptance_arrays(np.array(lists), np.array(ranks), np.array(caps))


def test_compact_core_shape_mismatch():
    with pytest.raises(ValueError, match="choice_ranks has shape"):
        deferred_acceptance_compact(np.array([[0, 1]]), np.array([[0]]), np.array([1, 1]))


def test_medium_random_round_against_reference():
    rng = np.random.default_rng(11)
    n, m, width = 3000, 300, 10
    lists = np.argsort(rng.random((n, m)), axis=1)[:, :width]
    lists[rng.random((n, width)) < 0.05] = -1
    dense = np.argsort(rng.random((m, n)), axis=1).astype(np.int64)
    dense[rng.random((m, n)) < 0.2] = UNRANKED
    caps = rng.integers(0, 12, m)
    result = deferred_acceptance_arrays(lists, dense, caps)

    students = {i: [int(p) for p in row if p >= 0] for i, row in enumerate(lists)}
    projects = {
        j: [int(s) for s in np.argsort(dense[j]) if dense[j, s] < UNRANKED] for j in range(m)
    }
    capacities = {j: int(c) for j, c in enumerate(caps)}
    as_dict = {i: (int(j) if j >= 0 else None) for i, j in enumerate(result)}
    assert as_dict == reference_da(students, projects, capacities)
    assert as_dict == deferred_acceptance(students, projects, capacities)
    assert is_stable(as_dict, students, projects, capacities)


def _both_paths(lists, ranks, caps):
    """Results with numpy rounds only, with proposals one at a time only, and by default."""
    lists, ranks, caps = (np.asarray(a, dtype=np.int64) for a in (lists, ranks, caps))
    return (
        stable._run(lists, ranks, caps, tail_below=0),
        stable._run(lists, ranks, caps, tail_below=10**9),
        stable._run(lists, ranks, caps),
    )


@settings(max_examples=150, deadline=None)
@given(instances(max_students=20, max_projects=6, max_capacity=3))
def test_rounds_and_sequential_tail_agree(instance):
    students, projects, capacities = instance
    order, project_order, lists, _, compact, caps = to_arrays(students, projects, capacities)
    rounds, sequential, default = _both_paths(lists, compact, caps)
    assert rounds.tolist() == sequential.tolist() == default.tolist()
    expected = reference_da(students, projects, capacities)
    assert [project_order[j] if j >= 0 else None for j in rounds.tolist()] == [
        expected[s] for s in order
    ]


def test_long_rejection_chain():
    # Every student gets their first choice in the first round except one newcomer, who bumps
    # student 0, who bumps student 1, ... : n rounds with a single free student each.
    n = 3000
    lists = np.full((n + 1, 2), -1)
    ranks = np.full((n + 1, 2), UNRANKED)
    for i in range(n):
        lists[i] = [i, i + 1]
        ranks[i] = [1, 0]  # project i ranks student i second, project i + 1 ranks them first
    lists[n, 0], ranks[n, 0] = 0, 0
    caps = np.ones(n + 1, dtype=np.int64)
    expected = [*range(1, n + 1), 0]
    for result in _both_paths(lists, ranks, caps):
        assert result.tolist() == expected


def test_medium_random_round_both_paths():
    rng = np.random.default_rng(3)
    n, m, width = 2000, 150, 8
    lists = np.argsort(rng.random((n, m)), axis=1)[:, :width]
    ranks = rng.integers(0, 50, size=(n, width))  # many ties: lower index wins
    ranks[rng.random((n, width)) < 0.1] = UNRANKED
    caps = rng.integers(0, 15, m)
    rounds, sequential, default = _both_paths(lists, ranks, caps)
    assert np.array_equal(rounds, sequential)
    assert np.array_equal(rounds, default)
