"""Vectorised scores over ProjectIndex / StudentIndex against the per-pair code, and rankings
against a brute-force ranking of score_fit results."""

import random
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practicum.matching import (
    ProjectIndex,
    ProjectInput,
    StudentIndex,
    StudentInput,
    TextIndex,
    Weights,
    passes_hard_constraints,
    recommend,
    score_fit,
    suggest_candidates,
)
from practicum.matching.ranking import _top
from practicum.matching.scoring import COMPONENTS, DEFAULT_WEIGHTS

TOLERANCE = 1e-9
MONDAY = date(2024, 6, 3)
WORDS = ["python", "sql", "design", "data", "video", "the", "c++", "node.js", "dashboards", "ux"]


def random_project(pid: int, rng: random.Random) -> ProjectInput:
    start = MONDAY + timedelta(days=rng.randint(0, 40))
    if rng.random() < 0.1:  # a weekend-only project, counted in calendar days
        start = MONDAY + timedelta(days=5 + 7 * rng.randint(0, 5))
        end = start + timedelta(days=rng.randint(0, 1))
    else:
        end = start + timedelta(days=rng.randint(0, 45))
    return ProjectInput(
        id=pid,
        required={rng.randint(1, 12): rng.randint(1, 4) for _ in range(rng.randint(0, 4))},
        preferred={rng.randint(1, 12): rng.randint(1, 4) for _ in range(rng.randint(0, 3))},
        text=" ".join(rng.choices(WORDS, k=rng.randint(0, 8))),
        learning_outcomes=rng.choices(WORDS, k=rng.randint(0, 3)),
        starts_on=start,
        ends_on=end,
        hours_per_week=rng.choice([0, 5, 10, 15, 20]),
    )


def random_student(sid: int, rng: random.Random) -> StudentInput:
    windows = []
    for _ in range(rng.choice([0, 0, 1, 2, 3])):  # no windows: dates not limited
        start = MONDAY + timedelta(days=rng.randint(-10, 60))
        windows.append((start, start + timedelta(days=rng.randint(0, 30))))
    return StudentInput(
        id=sid,
        skills={rng.randint(1, 14): rng.randint(1, 4) for _ in range(rng.randint(0, 5))},
        interests=rng.choices(WORDS, k=rng.randint(0, 3)),
        about=" ".join(rng.choices([*WORDS, "knitting", "pottery"], k=rng.randint(0, 5))),
        learning_goals=rng.choices(WORDS, k=rng.randint(0, 2)),
        weekly_hours=rng.randint(0, 20),
        windows=windows,
    )


def pool(seed: int, n: int = 50, m: int = 50):
    rng = random.Random(seed)
    students = [random_student(i, rng) for i in rng.sample(range(1, 10 * n), n)]
    projects = [random_project(i, rng) for i in rng.sample(range(1, 10 * m), m)]
    return students, projects


def assert_close_to_score_fit(scores, pairs, text_index, weights=DEFAULT_WEIGHTS):
    for row, (student, project) in enumerate(pairs):
        fit = score_fit(student, project, text_index, weights=weights)
        assert abs(scores.score[row] - fit.score) <= TOLERANCE
        for name in COMPONENTS:
            assert abs(scores.components[name][row] - fit.components[name]) <= TOLERANCE, name
        assert bool(scores.eligible[row]) == passes_hard_constraints(student, project)


def brute_force(pairs, k, text_index, key, weights=DEFAULT_WEIGHTS):
    """What recommend / suggest_candidates promise: score_fit on every eligible pair, sorted by
    rounded score then id."""
    fits = [
        score_fit(s, p, text_index, weights=weights)
        for s, p in pairs
        if passes_hard_constraints(s, p)
    ]
    fits.sort(key=lambda f: (-round(f.score, 9), getattr(f, key)))
    return fits if k is None else fits[: max(0, k)]


# --- vectorised scores ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_scores_equal_score_fit(seed):
    students, projects = pool(seed)
    text_index = TextIndex.from_inputs(students, projects)
    project_index = ProjectIndex(projects, text_index)
    student_index = StudentIndex(students, text_index)
    for student in students[:15]:
        scores = project_index.scores(student)
        assert scores.score.shape == (len(projects),)
        assert_close_to_score_fit(scores, [(student, p) for p in projects], text_index)
    for project in projects[:15]:
        scores = student_index.scores(project)
        assert_close_to_score_fit(scores, [(s, project) for s in students], text_index)


@pytest.mark.parametrize(
    "weights",
    [Weights(), Weights(required=0, preferred=3, text=0.5, availability=2, learning=0)],
)
def test_vectorised_scores_follow_the_weights(weights):
    students, projects = pool(4, 20, 20)
    text_index = TextIndex.from_inputs(students, projects)
    project_index = ProjectIndex(projects, text_index)
    for student in students[:5]:
        scores = project_index.scores(student, weights=weights)
        assert_close_to_score_fit(scores, [(student, p) for p in projects], text_index, weights)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 12), st.integers(1, 12))
def test_vectorised_scores_on_random_pools(seed, n, m):
    students, projects = pool(seed, n, m)
    # Texts the index never saw: their terms are new to it, and score as unseen terms do.
    text_index = TextIndex.from_inputs(students[: n // 2], projects[: m // 2])
    project_index = ProjectIndex(projects, text_index)
    student_index = StudentIndex(students, text_index)
    for student in students[:3]:
        scores = project_index.scores(student)
        assert_close_to_score_fit(scores, [(student, p) for p in projects], text_index)
    for project in projects[:3]:
        scores = student_index.scores(project)
        assert_close_to_score_fit(scores, [(s, project) for s in students], text_index)


def test_default_text_indexes_and_query_terms_unseen_by_the_index():
    students, projects = pool(6, 20, 20)
    project_index = ProjectIndex(projects)  # TF-IDF over the projects' texts only
    student = StudentInput(id=1, interests=["python", "zymurgy"], learning_goals=["quilting"])
    scores = project_index.scores(student)
    assert_close_to_score_fit(scores, [(student, p) for p in projects], project_index.text_index)
    student_index = StudentIndex(students)
    project = ProjectInput(id=1, text="sql zymurgy", learning_outcomes=["data"])
    scores = student_index.scores(project)
    assert_close_to_score_fit(scores, [(s, project) for s in students], student_index.text_index)


def test_empty_indexes():
    student, project = StudentInput(id=1), ProjectInput(id=1)
    assert ProjectIndex([]).scores(student).score.shape == (0,)
    assert StudentIndex([]).scores(project).score.shape == (0,)
    assert recommend(student, [], 5, ProjectIndex([])) == []
    assert suggest_candidates(project, [], 5, StudentIndex([])) == []


# --- rankings ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [11, 12])
@pytest.mark.parametrize("k", [None, 0, 1, 7, 1000])
def test_rankings_equal_brute_force_with_every_kind_of_index(seed, k):
    students, projects = pool(seed, 40, 40)
    text_index = TextIndex.from_inputs(students, projects)
    project_index = ProjectIndex(projects, text_index)
    student_index = StudentIndex(students, text_index)
    for student in students[:5]:
        expected = brute_force([(student, p) for p in projects], k, text_index, "project_id")
        assert recommend(student, projects, k, project_index) == expected
        assert recommend(student, projects, k, text_index) == expected
    for project in projects[:5]:
        expected = brute_force([(s, project) for s in students], k, text_index, "student_id")
        assert suggest_candidates(project, students, k, student_index) == expected
        assert suggest_candidates(project, students, k, text_index) == expected


def test_without_an_index_the_texts_are_the_student_and_the_eligible_projects():
    students, projects = pool(13, 10, 30)
    student = students[0]
    eligible = [p for p in projects if passes_hard_constraints(student, p)]
    text_index = TextIndex.from_inputs([student], eligible)
    expected = brute_force([(student, p) for p in projects], 5, text_index, "project_id")
    assert recommend(student, projects, 5) == expected

    project = projects[0]
    eligible = [s for s in students if passes_hard_constraints(s, project)]
    text_index = TextIndex.from_inputs(eligible, [project])
    expected = brute_force([(s, project) for s in students], 5, text_index, "student_id")
    assert suggest_candidates(project, students, 5) == expected


def test_a_subset_in_any_order_is_ranked_from_the_index():
    students, projects = pool(14, 30, 40)
    text_index = TextIndex.from_inputs(students, projects)
    project_index = ProjectIndex(projects, text_index)
    student_index = StudentIndex(students, text_index)
    rng = random.Random(3)
    some_projects = rng.sample(projects, 15)
    some_students = rng.sample(students, 12)
    student, project = students[0], projects[0]
    assert recommend(student, some_projects, 6, project_index) == brute_force(
        [(student, p) for p in some_projects], 6, text_index, "project_id"
    )
    assert suggest_candidates(project, some_students, 6, student_index) == brute_force(
        [(s, project) for s in some_students], 6, text_index, "student_id"
    )
    # Equal copies of indexed projects are found by id.
    copies = [ProjectInput(**vars(p)) for p in some_projects]
    assert recommend(student, copies, 6, project_index) == recommend(
        student, some_projects, 6, project_index
    )


def test_stale_unknown_and_ambiguous_items_raise():
    students, projects = pool(15, 5, 5)
    project_index = ProjectIndex(projects)
    changed = ProjectInput(**{**vars(projects[0]), "hours_per_week": 99})
    with pytest.raises(ValueError, match="has changed since the index was built"):
        recommend(students[0], [changed], 3, project_index)
    stranger = ProjectInput(id=10**6)
    with pytest.raises(ValueError, match=f"project {10**6} is not in the index"):
        recommend(students[0], [stranger], 3, project_index)
    with pytest.raises(ValueError, match=f"student {10**6} is not in the index"):
        suggest_candidates(projects[0], [StudentInput(id=10**6)], 3, StudentIndex(students))

    twins = [ProjectInput(id=1, text="python"), ProjectInput(id=1, text="sql")]
    twin_index = ProjectIndex(twins)
    student = StudentInput(id=1, interests=["sql"])
    # The indexed objects themselves are fine, one by one too; an equal copy is ambiguous.
    assert recommend(student, twins, 2, twin_index) == brute_force(
        [(student, p) for p in twins], 2, twin_index.text_index, "project_id"
    )
    assert len(recommend(student, twins[1:], 2, twin_index)) == 1
    with pytest.raises(ValueError, match="several indexed projects have id 1"):
        recommend(student, [ProjectInput(id=1, text="sql")], 2, twin_index)

    with pytest.raises(TypeError, match="ProjectIndex or a TextIndex"):
        recommend(student, twins, 2, StudentIndex([]))
    with pytest.raises(TypeError, match="StudentIndex or a TextIndex"):
        suggest_candidates(twins[0], [student], 2, ProjectIndex([]))


def test_ties_are_broken_by_id_with_an_index():
    common = dict(text="python data", starts_on=MONDAY, ends_on=MONDAY + timedelta(days=11))
    projects = [ProjectInput(id=i, **common) for i in (7, 3, 9, 1, 5)]
    student = StudentInput(id=1, interests=["python"], weekly_hours=10)
    index = ProjectIndex(projects)
    assert [f.project_id for f in recommend(student, projects, 3, index)] == [1, 3, 5]
    students = [StudentInput(id=i, interests=["python"]) for i in (5, 2, 8, 4)]
    result = suggest_candidates(projects[0], students, 3, StudentIndex(students))
    assert [f.student_id for f in result] == [2, 4, 5]


def test_scores_within_a_hair_of_each_other_tie_by_id():
    # Scores that differ only past the 9th decimal are ties; the id decides, as it always did.
    scores = np.array([0.5 + 2e-10, 0.5, 0.5 - 2e-10, 0.4, 0.9])
    ids = np.array([9, 5, 1, 2, 3])
    assert ids[_top(scores, ids, 3)].tolist() == [3, 1, 5]
    assert ids[_top(scores, ids, None)].tolist() == [3, 1, 5, 9, 2]
    assert _top(scores, ids, 0).tolist() == []


def test_index_reports_its_size():
    students, projects = pool(16, 10, 10)
    assert ProjectIndex(projects).nbytes > 0
    assert StudentIndex(students).nbytes > 0
    assert len(ProjectIndex(projects)) == 10


def test_texts_outside_the_corpus_are_cached_within_bounds(monkeypatch):
    index = TextIndex(["python sql", "design"])
    monkeypatch.setattr(TextIndex, "EXTRA_CACHE", 3)
    first = index.vector("rust python")
    for i in range(10):
        index.vector(f"query number{i}")
    assert len(index._extra) <= 3
    again = index.vector("rust python")  # vectorised anew: the same vector
    assert again is not first
    assert again[0].tolist() == first[0].tolist() and again[1].tolist() == first[1].tolist()
    assert index.vector("python sql") is index.vector("python sql")  # corpus texts stay
