"""The engine explains itself in codes with parameters: each code has a case that gives it."""

import dataclasses
from datetime import date, timedelta

import pytest

from practicum.matching import (
    ProjectInput,
    Reason,
    ReasonCode,
    StudentInput,
    TextIndex,
    recommend,
    score_fit,
    suggest_candidates,
)
from practicum.matching.reasons import PARAMS, SUMMARIES
from practicum.matching.scoring import COMPONENTS, hard_constraint_failures

MON = date(2024, 3, 4)
SAT, SUN = date(2024, 3, 9), date(2024, 3, 10)
NAMES = {1: "Python", 2: "SQL", 3: "Figma"}


def project(**kwargs) -> ProjectInput:
    defaults = {
        "id": 1,
        "text": "survey dashboard",
        "learning_outcomes": ["data visualisation"],
        "starts_on": MON,
        "ends_on": MON + timedelta(days=4),
        "hours_per_week": 10,
    }
    return ProjectInput(**{**defaults, **kwargs})


def student(**kwargs) -> StudentInput:
    defaults = {
        "id": 1,
        "interests": ["dashboard"],
        "learning_goals": ["data visualisation"],
        "weekly_hours": 10,
        "windows": [(MON, MON + timedelta(days=4))],
    }
    return StudentInput(**{**defaults, **kwargs})


def codes(student_in: StudentInput, project_in: ProjectInput, **kwargs) -> list[ReasonCode]:
    fit = score_fit(student_in, project_in, skill_names=NAMES)
    failures = hard_constraint_failures(student_in, project_in, **kwargs)
    return [r.code for r in [*failures, *fit.reasons]]


#: (case, student, project, codes that case must give). Together they give every code.
CASES = [
    (
        "all skills met, all dates and hours, words in common",
        student(skills={1: 3, 2: 2}),
        project(required={1: 3}, preferred={2: 2}),
        [
            ReasonCode.SKILLS_ALL_MET,
            ReasonCode.DATES_ALL_AVAILABLE,
            ReasonCode.HOURS_ALL_MET,
            ReasonCode.INTERESTS_SHARED,
            ReasonCode.GOALS_SHARED,
        ],
    ),
    (
        "gaps of every size, nothing in common",
        student(skills={1: 2, 2: 1}, interests=["knitting"], learning_goals=["pottery"]),
        project(required={1: 3, 2: 4, 3: 1}),
        [
            ReasonCode.SKILLS_SOME_MET,
            ReasonCode.SKILL_MISSING,
            ReasonCode.SKILL_ONE_LEVEL_SHORT,
            ReasonCode.SKILL_BELOW_LEVEL,
            ReasonCode.SKILLS_NOT_LISTED,
            ReasonCode.INTERESTS_NOT_SHARED,
            ReasonCode.GOALS_NOT_SHARED,
        ],
    ),
    (
        "dates not limited, no hours asked, no goals",
        student(windows=[], learning_goals=[]),
        project(hours_per_week=0),
        [ReasonCode.DATES_NOT_LIMITED, ReasonCode.HOURS_NOT_SET, ReasonCode.GOALS_NOT_LISTED],
    ),
    (
        "part of the dates and hours, no outcomes",
        student(weekly_hours=6, windows=[(MON, MON + timedelta(days=1))]),
        project(learning_outcomes=[]),
        [
            ReasonCode.DATES_PARTLY_AVAILABLE,
            ReasonCode.HOURS_PARTLY_MET,
            ReasonCode.OUTCOMES_NOT_LISTED,
        ],
    ),
    (
        "available on none of the days, too few hours",
        student(weekly_hours=4, windows=[(SAT, SUN)]),
        project(),
        [ReasonCode.UNAVAILABLE, ReasonCode.TOO_FEW_HOURS],
    ),
]


@pytest.mark.parametrize(
    ("student_in", "project_in", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_case_gives_its_codes(student_in, project_in, expected):
    assert set(expected) <= set(codes(student_in, project_in))


def test_too_few_days_when_more_than_one_day_is_the_minimum():
    two_days = student(windows=[(MON, MON + timedelta(days=1))])
    assert hard_constraint_failures(two_days, project(), min_working_days=3) == [
        Reason(
            ReasonCode.TOO_FEW_DAYS,
            "availability",
            {"available_days": 2, "days": 5, "unit": "working_day"},
        )
    ]


def test_the_cases_give_every_code():
    """A new code needs a case here (and a sentence: see tests/recommendations)."""
    given = {code for _, s, p, _ in CASES for code in codes(s, p)}
    given |= {r.code for r in hard_constraint_failures(*CASES[3][1:3], min_working_days=3)}
    assert given == set(ReasonCode)


def test_every_code_declares_its_parameters_and_only_codes_are_declared():
    assert set(PARAMS) == set(ReasonCode)
    assert set(SUMMARIES) <= set(ReasonCode)
    assert len({c.value for c in ReasonCode}) == len(ReasonCode)


def test_each_component_has_at_most_one_summary_and_it_leads_its_component():
    for _, s, p, _ in CASES:
        fit = score_fit(s, p, skill_names=NAMES)
        for component in COMPONENTS:
            mine = [r for r in fit.reasons if r.component == component]
            summaries = [r for r in mine if r.is_summary]
            if component == "availability":  # dates, then hours: the dates sum it up
                assert mine[0].is_summary
            else:
                assert len(summaries) <= 1
                assert not summaries or mine[0] is summaries[0]


def test_a_reason_cannot_be_changed():
    reason = score_fit(student(), project()).reasons[0]
    with pytest.raises(AttributeError):
        reason.code = ReasonCode.SKILLS_ALL_MET  # type: ignore[misc]
    assert not dataclasses.is_dataclass(reason)  # a NamedTuple: cheap to build by the thousand


def test_rankings_return_the_reasons_of_score_fit():
    projects = [project(id=i, required={1: i % 4 + 1}, text=f"survey {i}") for i in range(1, 6)]
    students = [student(id=i, skills={1: i % 4 + 1}) for i in range(1, 6)]
    index = TextIndex.from_inputs(students, projects)

    def pair(s, p):
        return score_fit(s, p, index, skill_names=NAMES).reasons

    fits = recommend(students[0], projects, 3, index, skill_names=NAMES)
    assert len(fits) == 3
    for fit in fits:
        assert fit.reasons == pair(students[0], projects[fit.project_id - 1])
    fits = suggest_candidates(projects[0], students, 3, index, skill_names=NAMES)
    assert len(fits) == 3
    for fit in fits:
        assert fit.reasons == pair(students[fit.student_id - 1], projects[0])
