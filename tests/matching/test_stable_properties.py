"""Properties of deferred acceptance on random instances (hypothesis)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from practicum.matching import (
    UnmatchedReason,
    blocking_pairs,
    deferred_acceptance,
    is_stable,
    unmatched_reasons,
)
from tests.matching.helpers import (
    all_stable_matchings,
    instances,
    local_is_stable,
    reference_da,
    shuffled,
)

EXAMPLES = settings(max_examples=150, deadline=None)


@EXAMPLES
@given(instances())
def test_result_is_stable_and_valid(instance):
    students, projects, capacities = instance
    result = deferred_acceptance(students, projects, capacities)

    assert set(result) == set(students)
    assert is_stable(result, students, projects, capacities)
    assert local_is_stable(result, students, projects, capacities)
    assert blocking_pairs(result, students, projects, capacities) == []

    load: dict = {}
    for s, p in result.items():
        if p is None:
            continue
        # Only mutually acceptable pairs.
        assert p in students[s]
        assert s in projects[p]
        load[p] = load.get(p, 0) + 1
    for p, count in load.items():
        assert count <= capacities[p]


@EXAMPLES
@given(instances(), st.randoms(use_true_random=False))
def test_deterministic_under_repetition_and_insertion_order(instance, rnd):
    students, projects, capacities = instance
    first = deferred_acceptance(students, projects, capacities)
    again = deferred_acceptance(students, projects, capacities)
    other = deferred_acceptance(
        shuffled(students, rnd), shuffled(projects, rnd), shuffled(capacities, rnd)
    )
    assert first == again == other
    assert list(first.items()) == list(again.items()) == list(other.items())


@EXAMPLES
@given(instances(max_students=25, max_projects=8, max_capacity=4))
def test_agrees_with_sequential_reference(instance):
    students, projects, capacities = instance
    assert deferred_acceptance(students, projects, capacities) == reference_da(
        students, projects, capacities
    )


@settings(max_examples=100, deadline=None)
@given(instances(max_students=5, max_projects=3, max_capacity=2))
def test_student_optimal_among_all_stable_matchings(instance):
    students, projects, capacities = instance
    result = deferred_acceptance(students, projects, capacities)
    stable = all_stable_matchings(students, projects, capacities)
    assert result in stable

    def position(s, p):
        return len(students[s]) if p is None else students[s].index(p)

    for other in stable:
        for s in students:
            assert position(s, result[s]) <= position(s, other[s])
        # Rural hospitals theorem: the same students are matched in every stable matching.
        assert {s for s, p in other.items() if p is not None} == {
            s for s, p in result.items() if p is not None
        }


@settings(max_examples=100, deadline=None)
@given(instances(max_students=4, max_projects=3, max_capacity=2), st.data())
def test_is_stable_matches_the_definition_on_arbitrary_matchings(instance, data):
    students, projects, capacities = instance
    options = [None, *projects, "ghost"]
    matching = {s: data.draw(st.sampled_from(options)) for s in students}
    assert is_stable(matching, students, projects, capacities) == local_is_stable(
        matching, students, projects, capacities
    )


@EXAMPLES
@given(instances())
def test_every_unmatched_student_has_exactly_one_reason(instance):
    students, projects, capacities = instance
    result = deferred_acceptance(students, projects, capacities)
    reasons = unmatched_reasons(result, students, projects, capacities)
    assert set(reasons) == {s for s, p in result.items() if p is None}
    for s, reason in reasons.items():
        ranked_back = [p for p in students[s] if p in projects and s in projects[p]]
        if reason == UnmatchedReason.NO_RANKING:
            assert students[s] == []
        elif reason == UnmatchedReason.NOT_RANKED_BACK:
            assert students[s] and not ranked_back
        elif reason == UnmatchedReason.NO_PLACES:
            assert ranked_back and all(capacities[p] == 0 for p in ranked_back)
        else:
            assert reason == UnmatchedReason.FILLED_WITH_HIGHER
            for p in ranked_back:
                taken = [t for t, q in result.items() if q == p]
                assert len(taken) == capacities[p]
                assert all(projects[p].index(t) < projects[p].index(s) for t in taken)


def test_larger_random_round_is_stable():
    rng = random.Random(7)
    students = {f"s{i}": rng.sample(range(60), rng.randint(0, 10)) for i in range(600)}
    projects = {}
    for p in range(60):
        applicants = [s for s, prefs in students.items() if p in prefs]
        rng.shuffle(applicants)
        projects[p] = applicants[: int(len(applicants) * 0.9)]
    capacities = {p: rng.randint(0, 12) for p in projects}
    result = deferred_acceptance(students, projects, capacities)
    assert is_stable(result, students, projects, capacities)
    assert result == reference_da(students, projects, capacities)
