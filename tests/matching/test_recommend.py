"""recommend() and suggest_candidates(): filtering, ordering, ties and determinism."""

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practicum.matching import (
    ProjectInput,
    StudentInput,
    TextIndex,
    passes_hard_constraints,
    recommend,
    score_fit,
    suggest_candidates,
)

START = date(2024, 6, 3)  # Monday
TOPICS = ["python", "sql", "design", "marketing", "data", "writing", "research", "video"]


def make_project(pid: int, rng: random.Random) -> ProjectInput:
    start = START + timedelta(days=rng.randint(0, 20))
    return ProjectInput(
        id=pid,
        required={rng.randint(1, 8): rng.randint(1, 4) for _ in range(rng.randint(0, 3))},
        preferred={rng.randint(1, 8): rng.randint(1, 4) for _ in range(rng.randint(0, 2))},
        text=" ".join(rng.choices(TOPICS, k=6)),
        learning_outcomes=rng.choices(TOPICS, k=2),
        starts_on=start,
        ends_on=start + timedelta(days=rng.randint(4, 30)),
        hours_per_week=rng.choice([5, 10, 15, 20]),
    )


def make_student(sid: int, rng: random.Random) -> StudentInput:
    start = START + timedelta(days=rng.randint(-10, 20))
    return StudentInput(
        id=sid,
        skills={rng.randint(1, 8): rng.randint(1, 4) for _ in range(rng.randint(0, 4))},
        interests=rng.choices(TOPICS, k=2),
        about=" ".join(rng.choices(TOPICS, k=4)),
        learning_goals=rng.choices(TOPICS, k=2),
        weekly_hours=rng.randint(0, 20),
        windows=[(start, start + timedelta(days=rng.randint(0, 40)))],
    )


@pytest.fixture(scope="module")
def pool():
    rng = random.Random(5)
    projects = [make_project(i, rng) for i in range(1, 121)]
    students = [make_student(i, rng) for i in range(1, 121)]
    return students, projects, TextIndex.from_inputs(students, projects)


def test_recommend_filters_ranks_and_matches_score_fit(pool):
    students, projects, index = pool
    student = students[0]
    eligible = [p for p in projects if passes_hard_constraints(student, p)]
    assert 0 < len(eligible) < len(projects)

    everything = recommend(student, projects, None, index)
    keys = [(-round(f.score, 9), f.project_id) for f in everything]
    assert keys == sorted(keys)
    assert {f.project_id for f in everything} == {p.id for p in eligible}
    scores = [f.score for f in everything]
    assert scores == sorted(scores, reverse=True)

    by_id = {p.id: p for p in projects}
    for fit in everything:
        alone = score_fit(student, by_id[fit.project_id], index)
        assert fit == alone

    top = recommend(student, projects, 5, index)
    assert top == everything[:5]
    assert recommend(student, projects, 0, index) == []


def test_suggest_candidates_filters_and_ranks(pool):
    students, projects, index = pool
    project = projects[3]
    everything = suggest_candidates(project, students, None, index)
    assert {f.student_id for f in everything} == {
        s.id for s in students if passes_hard_constraints(s, project)
    }
    keys = [(-round(f.score, 9), f.student_id) for f in everything]
    assert keys == sorted(keys)
    assert all(f.project_id == project.id for f in everything)
    by_id = {s.id: s for s in students}
    for fit in everything[:10]:
        assert fit == score_fit(by_id[fit.student_id], project, index)
    assert suggest_candidates(project, students, 3, index) == everything[:3]


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(1, 15))
def test_order_of_inputs_does_not_matter(pool, rnd, k):
    students, projects, index = pool
    shuffled_projects = projects[:]
    rnd.shuffle(shuffled_projects)
    assert recommend(students[1], shuffled_projects, k, index) == recommend(
        students[1], projects, k, index
    )
    shuffled_students = students[:]
    rnd.shuffle(shuffled_students)
    assert suggest_candidates(projects[1], shuffled_students, k, index) == suggest_candidates(
        projects[1], students, k, index
    )


def test_ties_are_broken_by_id():
    base = dict(
        required={1: 2},
        text="python data",
        learning_outcomes=["python"],
        starts_on=START,
        ends_on=START + timedelta(days=11),
        hours_per_week=10,
    )
    projects = [ProjectInput(id=i, **base) for i in (7, 3, 9, 1)]
    student = StudentInput(id=1, skills={1: 2}, interests=["python"], weekly_hours=10)
    result = recommend(student, projects, 3)
    assert [f.project_id for f in result] == [1, 3, 7]
    assert len({f.score for f in result}) == 1

    students = [
        StudentInput(id=i, skills={1: 2}, interests=["python"], weekly_hours=10) for i in (5, 2, 8)
    ]
    result = suggest_candidates(projects[0], students, 10)
    assert [f.student_id for f in result] == [2, 5, 8]


def test_better_fit_ranks_first():
    student = StudentInput(
        id=1,
        skills={1: 3, 2: 2},
        interests=["python", "data"],
        learning_goals=["sql"],
        weekly_hours=10,
    )
    common = dict(starts_on=START, ends_on=START + timedelta(days=11), hours_per_week=10)
    good = ProjectInput(
        id=2, required={1: 3, 2: 2}, text="python data", learning_outcomes=["sql"], **common
    )
    poor = ProjectInput(id=1, required={3: 2}, text="video editing", **common)
    unavailable = ProjectInput(id=3, required={1: 1}, text="python data", hours_per_week=40)
    result = recommend(student, [poor, unavailable, good], 10)
    assert [f.project_id for f in result] == [2, 1]
    assert result[0].score > result[1].score


def test_without_an_index_one_is_built_from_the_inputs(pool):
    students, projects, _ = pool
    first = recommend(students[2], projects, 5)
    assert first == recommend(students[2], list(reversed(projects)), 5)
    assert recommend(students[2], [], 5) == []
    assert suggest_candidates(projects[2], [], 5) == []
