"""Hand-built deferred acceptance instances with known answers, validation and reasons."""

import re

import pytest

from practicum.matching import (
    UnmatchedReason,
    blocking_pairs,
    deferred_acceptance,
    is_stable,
    unmatched_reasons,
)

# Two stable matchings exist: students get their first choices in the student-optimal one
# (A-X, B-Y), projects get theirs in the project-optimal one (A-Y, B-X).
MARRIAGE = (
    {"A": ["X", "Y", "Z"], "B": ["Y", "X", "Z"], "C": ["X", "Y", "Z"]},
    {"X": ["B", "A", "C"], "Y": ["A", "B", "C"], "Z": ["A", "B", "C"]},
    {"X": 1, "Y": 1, "Z": 1},
)


def test_classic_marriage_is_student_optimal():
    result = deferred_acceptance(*MARRIAGE)
    assert result == {"A": "X", "B": "Y", "C": "Z"}
    assert is_stable(result, *MARRIAGE)
    project_optimal = {"A": "Y", "B": "X", "C": "Z"}
    assert is_stable(project_optimal, *MARRIAGE)


def test_capacities_and_rejection_chain():
    # h1 (2 places) first holds r1, r2, r3 and keeps its two favourites r3, r1; r2 only wanted h1.
    # r4 is bumped from h2 by r5 and falls back to h1, bumping r1, who then takes h3.
    students = {
        "r1": ["h1", "h3"],
        "r2": ["h1"],
        "r3": ["h1", "h2"],
        "r4": ["h2", "h1"],
        "r5": ["h2"],
    }
    projects = {
        "h1": ["r4", "r3", "r1", "r2"],
        "h2": ["r5", "r3", "r4"],
        "h3": ["r1"],
    }
    capacities = {"h1": 2, "h2": 1, "h3": 1}
    result = deferred_acceptance(students, projects, capacities)
    assert result == {"r1": "h3", "r2": None, "r3": "h1", "r4": "h1", "r5": "h2"}
    assert is_stable(result, students, projects, capacities)
    assert unmatched_reasons(result, students, projects, capacities) == {
        "r2": UnmatchedReason.FILLED_WITH_HIGHER
    }


def test_one_to_one_cycle_with_three_stable_matchings():
    # Latin-square preferences: three stable matchings; students get their first choices.
    students = {1: ["a", "b", "c"], 2: ["b", "c", "a"], 3: ["c", "a", "b"]}
    projects = {"a": [2, 3, 1], "b": [3, 1, 2], "c": [1, 2, 3]}
    capacities = {"a": 1, "b": 1, "c": 1}
    assert deferred_acceptance(students, projects, capacities) == {1: "a", 2: "b", 3: "c"}
    for other in ({1: "c", 2: "a", 3: "b"}, {1: "b", 2: "c", 3: "a"}):
        assert is_stable(other, students, projects, capacities)


def test_only_mutually_acceptable_pairs_and_every_student_present():
    students = {"s1": ["p1", "ghost"], "s2": [], "s3": ["p1"], "s4": ["p2"]}
    projects = {"p1": ["s3", "s9"], "p2": ["s4"], "p3": ["s1"]}
    capacities = {"p1": 5, "p2": 0, "p3": 1}
    result = deferred_acceptance(students, projects, capacities)
    # s1 applied to p1, which does not rank them; p3 ranks s1 but s1 did not apply there.
    assert result == {"s1": None, "s2": None, "s3": "p1", "s4": None}
    assert list(result) == ["s1", "s2", "s3", "s4"]
    assert unmatched_reasons(result, students, projects, capacities) == {
        "s1": "not_ranked_back",
        "s2": "no_ranking",
        "s4": "no_places",
    }
    # The reasons are computed from the inputs alone when no matching is given.
    assert unmatched_reasons(None, students, projects, capacities) == {
        "s1": UnmatchedReason.NOT_RANKED_BACK,
        "s2": UnmatchedReason.NO_RANKING,
        "s4": UnmatchedReason.NO_PLACES,
    }


def test_empty_inputs():
    assert deferred_acceptance({}, {}, {}) == {}
    assert deferred_acceptance({"s": []}, {}, {}) == {"s": None}
    assert deferred_acceptance({"s": ["p"]}, {"p": []}, {"p": 3}) == {"s": None}
    assert is_stable({}, {}, {}, {})


def test_result_does_not_depend_on_insertion_order():
    students, projects, capacities = MARRIAGE
    reversed_inputs = (
        {k: students[k] for k in reversed(students)},
        {k: projects[k] for k in reversed(projects)},
        {k: capacities[k] for k in reversed(capacities)},
    )
    a = deferred_acceptance(*MARRIAGE)
    b = deferred_acceptance(*reversed_inputs)
    assert a == b
    assert list(a) == list(b)


def test_mixed_key_types_are_accepted():
    students = {1: ["x", 2], "one": [2]}
    projects = {"x": [1], 2: ["one", 1]}
    result = deferred_acceptance(students, projects, {"x": 1, 2: 1})
    assert result == {1: "x", "one": 2}


def test_is_stable_detects_blocking_pair():
    students, projects, capacities = MARRIAGE
    # A prefers X to Z, and X prefers A to C: (A, X) blocks.
    bad = {"A": "Z", "B": "Y", "C": "X"}
    assert not is_stable(bad, students, projects, capacities)
    assert ("A", "X") in blocking_pairs(bad, students, projects, capacities)


def test_is_stable_detects_free_place():
    students = {"s": ["p"]}
    projects = {"p": ["s"]}
    assert not is_stable({"s": None}, students, projects, {"p": 1})
    assert blocking_pairs({"s": None}, students, projects, {"p": 1}) == [("s", "p")]
    assert is_stable({"s": None}, students, projects, {"p": 0})


@pytest.mark.parametrize(
    "matching",
    [
        {"s1": "p", "s2": "p"},  # over capacity
        {"s1": "q", "s2": None},  # q does not rank s1
        {"s1": "r", "s2": None},  # r is not in the round
        {"s1": "p", "s2": None, "stranger": None},  # not a student
        {"s1": None, "s2": "p"},  # s2 did not apply to p
    ],
)
def test_is_stable_rejects_invalid_matchings(matching):
    students = {"s1": ["p", "q"], "s2": ["q"]}
    projects = {"p": ["s1", "s2"], "q": ["s2"]}
    capacities = {"p": 1, "q": 1}
    assert not is_stable(matching, students, projects, capacities)


def test_unmatched_reasons_refuses_unstable_matching():
    students = {"s": ["p"]}
    projects = {"p": ["s"]}
    with pytest.raises(ValueError, match="not stable"):
        unmatched_reasons({"s": None}, students, projects, {"p": 1})
    with pytest.raises(ValueError, match="not valid"):
        unmatched_reasons({"s": "q"}, students, projects, {"p": 1})


@pytest.mark.parametrize(
    ("students", "projects", "capacities", "message"),
    [
        ({"s": ["p", "p"]}, {"p": ["s"]}, {"p": 1}, "student 's' lists project 'p' more than once"),
        ({"s": ["p"]}, {"p": ["s", "s"]}, {"p": 1}, "project 'p' lists student 's' more than once"),
        ({"s": ["p"]}, {"p": ["s"]}, {}, "project 'p' has no capacity"),
        ({"s": ["p"]}, {"p": ["s"]}, {"p": -1}, "must be 0 or more, got -1"),
        ({"s": ["p"]}, {"p": ["s"]}, {"p": 1.5}, "must be an integer"),
        ({"s": ["p"]}, {"p": ["s"]}, {"p": True}, "must be an integer"),
        ({"s": [None]}, {"p": ["s"]}, {"p": 1}, "lists None as a project"),
        ({"s": []}, {None: ["s"]}, {None: 1}, "None cannot be a project"),
        ({"s": "p"}, {"p": ["s"]}, {"p": 1}, "must be a list"),
    ],
)
def test_invalid_inputs_raise_clear_errors(students, projects, capacities, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        deferred_acceptance(students, projects, capacities)
    with pytest.raises(ValueError):
        is_stable({}, students, projects, capacities)


def test_non_mapping_inputs_raise_type_error():
    with pytest.raises(TypeError, match="student_prefs must be a mapping"):
        deferred_acceptance([("s", ["p"])], {}, {})  # type: ignore[arg-type]


def test_inputs_are_not_modified():
    students = {"s1": ["p", "q"], "s2": ("q",)}
    projects = {"p": ["s1"], "q": ["s2", "s1"]}
    capacities = {"p": 1, "q": 1}
    before = repr((students, projects, capacities))
    deferred_acceptance(students, projects, capacities)
    unmatched_reasons(None, students, projects, capacities)
    assert repr((students, projects, capacities)) == before
