"""Fit score components, weights, text index and the reasons explaining them."""

import dataclasses
import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practicum.matching import (
    FitScore,
    ProjectInput,
    StudentInput,
    TextIndex,
    Weights,
    passes_hard_constraints,
    score_fit,
)
from practicum.matching.reasons import PARAMS, Reason, ReasonCode
from practicum.matching.scoring import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    hard_constraint_failures,
    tokenize,
    working_days,
)

SKILLS = {1: "Python", 2: "SQL", 3: "Git", 4: "Excel", 5: "Tableau", 6: "Figma"}
#: The order of the reasons' components in a fit.
REASON_ORDER = ["required", "preferred", "availability", "text", "learning"]
MON = date(2024, 3, 4)  # a Monday
FRI_NEXT = date(2024, 3, 15)  # Friday of the following week: 10 working days


def project(**kwargs) -> ProjectInput:
    defaults = {
        "id": 1,
        "text": "Build a sales dashboard with Python and SQL",
        "learning_outcomes": ["SQL for analytics", "dashboard design"],
        "starts_on": MON,
        "ends_on": FRI_NEXT,
        "hours_per_week": 10,
    }
    return ProjectInput(**{**defaults, **kwargs})


def student(**kwargs) -> StudentInput:
    defaults = {
        "id": 1,
        "interests": ["dashboards", "SQL"],
        "about": "I build things with Python.",
        "learning_goals": ["dashboard design"],
        "weekly_hours": 10,
        "windows": [(MON, FRI_NEXT)],
    }
    return StudentInput(**{**defaults, **kwargs})


def reason_of(fit, code: ReasonCode) -> Reason:
    (found,) = [r for r in fit.reasons if r.code == code]
    return found


# --- weights -------------------------------------------------------------------------------


def test_default_weights_live_in_one_frozen_dataclass_and_sum_to_one():
    weights = Weights()
    assert weights == DEFAULT_WEIGHTS
    assert weights.as_dict() == {
        "required": 0.35,
        "preferred": 0.15,
        "text": 0.2,
        "availability": 0.2,
        "learning": 0.1,
    }
    assert math.isclose(weights.total, 1.0)
    assert tuple(weights.as_dict()) == COMPONENTS
    with pytest.raises(dataclasses.FrozenInstanceError):
        weights.text = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": -0.1}, "must be a finite number >= 0"),
        ({"text": math.nan}, "must be a finite number >= 0"),
        ({"text": "0.2"}, "must be a number"),
        (dict.fromkeys(COMPONENTS, 0), "at least one weight must be positive"),
    ],
)
def test_invalid_weights(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Weights(**kwargs)


def test_score_is_the_weighted_mean_of_components():
    fit = score_fit(student(skills={1: 2}), project(required={1: 3, 2: 2}, preferred={3: 1}))
    expected = sum(DEFAULT_WEIGHTS.as_dict()[k] * v for k, v in fit.components.items())
    assert math.isclose(fit.score, expected)
    assert fit.weights is DEFAULT_WEIGHTS
    assert isinstance(fit, FitScore)

    only_availability = Weights(required=0, preferred=0, text=0, availability=2, learning=0)
    fit = score_fit(student(weekly_hours=5), project(), weights=only_availability)
    assert math.isclose(fit.score, 0.5)
    assert fit.weights is only_availability


# --- skills --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ({1: 4}, 1.0),
        ({1: 3}, 1.0),
        ({1: 2}, 0.5),  # one level short: partial credit
        ({1: 1}, 0.0),  # two levels short
        ({}, 0.0),  # missing
    ],
)
def test_required_skill_credit(held, expected):
    fit = score_fit(student(skills=held), project(required={1: 3}))
    assert fit.components["required"] == expected


def test_required_coverage_is_the_mean_and_reasons_name_the_gaps():
    fit = score_fit(
        student(skills={1: 3, 2: 1, 3: 2, 4: 4}),
        project(required={1: 3, 2: 2, 3: 2, 4: 1, 5: 3}),
        skill_names=SKILLS,
    )
    assert fit.components["required"] == pytest.approx((1 + 0.5 + 1 + 1 + 0) / 5)
    assert fit.reasons[:3] == [
        Reason(ReasonCode.SKILLS_SOME_MET, "required", {"met": 3, "count": 5}),
        Reason(
            ReasonCode.SKILL_ONE_LEVEL_SHORT,
            "required",
            {"skill_id": 2, "skill": "SQL", "min_level": 2, "level": 1},
        ),
        Reason(
            ReasonCode.SKILL_MISSING,
            "required",
            {"skill_id": 5, "skill": "Tableau", "min_level": 3},
        ),
    ]


def test_the_example_reasons():
    fit = score_fit(
        student(
            skills={1: 2, 3: 3, 4: 1},
            weekly_hours=8,
            windows=[(MON + timedelta(days=1), FRI_NEXT + timedelta(days=3))],
        ),
        project(required={1: 2, 2: 2, 3: 1, 4: 1}),
        skill_names=SKILLS,
    )
    assert fit.reasons[:2] == [
        Reason(ReasonCode.SKILLS_SOME_MET, "required", {"met": 3, "count": 4}),
        Reason(
            ReasonCode.SKILL_MISSING, "required", {"skill_id": 2, "skill": "SQL", "min_level": 2}
        ),
    ]
    assert (
        Reason(
            ReasonCode.DATES_PARTLY_AVAILABLE,
            "availability",
            {"available_days": 9, "days": 10, "unit": "working_day"},
        )
        in fit.reasons
    )
    assert (
        Reason(ReasonCode.HOURS_PARTLY_MET, "availability", {"weekly_hours": 8, "hours_asked": 10})
        in fit.reasons
    )


def test_no_required_skills_counts_fully_and_preferred_uses_the_same_rule():
    fit = score_fit(student(skills={5: 1}), project(preferred={5: 2, 6: 1}), skill_names=SKILLS)
    assert fit.components["required"] == 1.0
    assert fit.components["preferred"] == pytest.approx(0.25)
    assert fit.reasons[:4] == [
        Reason(ReasonCode.SKILLS_NOT_LISTED, "required"),
        Reason(ReasonCode.SKILLS_SOME_MET, "preferred", {"met": 0, "count": 2}),
        # Gaps by skill name: Figma before Tableau.
        Reason(
            ReasonCode.SKILL_MISSING, "preferred", {"skill_id": 6, "skill": "Figma", "min_level": 1}
        ),
        Reason(
            ReasonCode.SKILL_ONE_LEVEL_SHORT,
            "preferred",
            {"skill_id": 5, "skill": "Tableau", "min_level": 2, "level": 1},
        ),
    ]


def test_skill_without_a_name_single_skills_and_levels_far_below():
    fit = score_fit(student(skills={}), project(required={42: 1}))
    assert fit.reasons[:2] == [
        Reason(ReasonCode.SKILLS_SOME_MET, "required", {"met": 0, "count": 1}),
        Reason(
            ReasonCode.SKILL_MISSING, "required", {"skill_id": 42, "skill": None, "min_level": 1}
        ),
    ]
    fit = score_fit(student(skills={42: 1}), project(required={42: 1}))
    assert fit.reasons[0] == Reason(ReasonCode.SKILLS_ALL_MET, "required", {"count": 1})
    fit = score_fit(student(skills={1: 4, 2: 4}), project(required={1: 1, 2: 4}))
    assert fit.reasons[0] == Reason(ReasonCode.SKILLS_ALL_MET, "required", {"count": 2})
    fit = score_fit(student(skills={1: 1}), project(required={1: 4}), skill_names=SKILLS)
    assert fit.reasons[1] == Reason(
        ReasonCode.SKILL_BELOW_LEVEL,
        "required",
        {"skill_id": 1, "skill": "Python", "min_level": 4, "level": 1},
    )


def test_input_validation():
    with pytest.raises(ValueError, match="level of skill 1 must be 1 to 4"):
        StudentInput(id=1, skills={1: 5})
    with pytest.raises(ValueError, match="required level of skill 1 must be 1 to 4"):
        ProjectInput(id=1, required={1: 0})
    with pytest.raises(ValueError, match="ends"):
        ProjectInput(id=1, starts_on=FRI_NEXT, ends_on=MON)
    with pytest.raises(ValueError, match="window ends"):
        StudentInput(id=1, windows=[(FRI_NEXT, MON)])
    with pytest.raises(ValueError, match="weekly_hours"):
        StudentInput(id=1, weekly_hours=-1)


# --- availability --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(-3, 60))
def test_working_days_agrees_with_numpy(start, length):
    end = start + timedelta(days=length)
    expected = int(np.busday_count(start, end + timedelta(days=1))) if length >= 0 else 0
    assert working_days(start, end) == expected


def test_working_days_skip_weekends():
    assert working_days(MON, FRI_NEXT) == 10
    assert working_days(date(2024, 3, 9), date(2024, 3, 10)) == 0  # Saturday, Sunday
    assert working_days(date(2024, 3, 8), date(2024, 3, 11)) == 2  # Friday to Monday


def test_availability_counts_working_days_across_weekends():
    # Project Mon 4 - Fri 15 March: 10 working days. Windows: Thu 7 - Tue 12 (4 working days,
    # the weekend in between does not count) and Sat 16 - Sun 17 (outside, weekend).
    fit = score_fit(
        student(
            windows=[(date(2024, 3, 7), date(2024, 3, 12)), (date(2024, 3, 16), date(2024, 3, 17))]
        ),
        project(),
    )
    assert fit.components["availability"] == pytest.approx(0.4)
    assert reason_of(fit, ReasonCode.DATES_PARTLY_AVAILABLE).params == {
        "available_days": 4,
        "days": 10,
        "unit": "working_day",
    }


def test_overlapping_windows_are_not_counted_twice():
    windows = [(MON, MON + timedelta(days=3)), (MON + timedelta(days=2), MON + timedelta(days=8))]
    fit = score_fit(student(windows=windows), project())
    assert reason_of(fit, ReasonCode.DATES_PARTLY_AVAILABLE).params["available_days"] == 7


def test_availability_is_days_share_times_hours_share():
    fit = score_fit(student(weekly_hours=8, windows=[(MON, MON + timedelta(days=4))]), project())
    assert fit.components["availability"] == pytest.approx(0.5 * 0.8)
    fit = score_fit(student(weekly_hours=40), project())
    assert fit.components["availability"] == 1.0
    assert [r for r in fit.reasons if r.component == "availability"] == [
        Reason(ReasonCode.DATES_ALL_AVAILABLE, "availability", {"days": 10, "unit": "working_day"}),
        Reason(ReasonCode.HOURS_ALL_MET, "availability", {"weekly_hours": 40, "hours_asked": 10}),
    ]
    fit = score_fit(student(), project(hours_per_week=0))
    assert reason_of(fit, ReasonCode.HOURS_NOT_SET) == Reason(
        ReasonCode.HOURS_NOT_SET, "availability"
    )


def test_no_windows_means_dates_not_limited():
    fit = score_fit(student(windows=[]), project())
    assert fit.components["availability"] == 1.0
    assert reason_of(fit, ReasonCode.DATES_NOT_LIMITED) == Reason(
        ReasonCode.DATES_NOT_LIMITED, "availability", {"days": 10, "unit": "working_day"}
    )


def test_weekend_only_project_counts_calendar_days():
    sat, sun = date(2024, 3, 9), date(2024, 3, 10)
    fit = score_fit(student(windows=[(sun, sun)]), project(starts_on=sat, ends_on=sun))
    assert fit.components["availability"] == pytest.approx(0.5)
    assert reason_of(fit, ReasonCode.DATES_PARTLY_AVAILABLE).params == {
        "available_days": 1,
        "days": 2,
        "unit": "day",
    }


def test_hard_constraints():
    assert passes_hard_constraints(student(), project())
    # Half of the hours asked is enough, less is not.
    assert passes_hard_constraints(student(weekly_hours=5), project())
    assert not passes_hard_constraints(student(weekly_hours=4), project())
    # One working day in common is enough; a window over the weekend only is not.
    assert passes_hard_constraints(
        student(windows=[(FRI_NEXT, FRI_NEXT + timedelta(days=5))]), project()
    )
    weekend = [(date(2024, 3, 9), date(2024, 3, 10))]
    assert not passes_hard_constraints(student(windows=weekend), project())
    assert hard_constraint_failures(student(windows=weekend, weekly_hours=2), project()) == [
        Reason(
            ReasonCode.UNAVAILABLE,
            "availability",
            {"unit": "working_day", "starts_on": MON, "ends_on": FRI_NEXT},
        ),
        Reason(ReasonCode.TOO_FEW_HOURS, "availability", {"weekly_hours": 2, "hours_asked": 10}),
    ]
    assert hard_constraint_failures(student(), project()) == []
    assert passes_hard_constraints(student(weekly_hours=0), project(hours_per_week=0))
    two_days = student(windows=[(MON, MON + timedelta(days=1))])
    assert not passes_hard_constraints(two_days, project(), min_working_days=3)
    assert hard_constraint_failures(two_days, project(), min_working_days=3) == [
        Reason(
            ReasonCode.TOO_FEW_DAYS,
            "availability",
            {"available_days": 2, "days": 10, "unit": "working_day"},
        )
    ]


# --- text ----------------------------------------------------------------------------------


def test_tokenizer():
    assert tokenize("The Dashboards, in C++ and C# with Node.js; e.g. SQL.") == [
        "dashboard",
        "c++",
        "c#",
        "node.js",
        "e.g",
        "sql",
    ]
    assert tokenize("") == []


def test_text_index_cosine():
    index = TextIndex(["python sql", "python dashboards", "cooking recipes", "python"])
    assert index.similarity("Python SQL", "sql, python!") == pytest.approx(1.0)
    assert index.similarity("python", "cooking") == 0.0
    assert index.similarity("", "python") == 0.0
    assert 0 < index.similarity("python sql", "python cooking") < 1
    # A rare term weighs more than a common one.
    assert index.similarity("sql python", "sql") > index.similarity("sql python", "python")
    assert index.shared_terms("python sql dashboards", "sql and python") == ["sql", "python"]


def test_unseen_terms_still_match():
    index = TextIndex(["python"])
    assert index.similarity("rust", "rust") == pytest.approx(1.0)


def test_similarities_batch_equals_pairwise():
    texts = ["python sql", "", "dashboards in python", "sql sql sql", "cooking"]
    index = TextIndex(texts)
    batch = index.similarities("python dashboards", texts)
    assert batch.tolist() == [index.similarity("python dashboards", t) for t in texts]
    assert index.similarities("python", []).tolist() == []


def test_text_and_learning_components_and_reasons():
    fit = score_fit(student(), project())
    assert fit.components["text"] > 0
    assert fit.components["learning"] > 0
    assert fit.reasons[-2:] == [
        Reason(
            ReasonCode.INTERESTS_SHARED, "text", {"terms": ("build", "python", "dashboard", "sql")}
        ),
        Reason(ReasonCode.GOALS_SHARED, "learning", {"terms": ("design", "dashboard")}),
    ]

    fit = score_fit(student(learning_goals=[]), project())
    assert fit.components["learning"] == 0.0
    assert fit.reasons[-1] == Reason(ReasonCode.GOALS_NOT_LISTED, "learning")
    fit = score_fit(student(), project(learning_outcomes=[]))
    assert fit.reasons[-1] == Reason(ReasonCode.OUTCOMES_NOT_LISTED, "learning")
    fit = score_fit(
        student(interests=["knitting"], about="", learning_goals=["pottery"]), project()
    )
    assert fit.components["text"] == 0.0
    assert fit.reasons[-2:] == [
        Reason(ReasonCode.INTERESTS_NOT_SHARED, "text"),
        Reason(ReasonCode.GOALS_NOT_SHARED, "learning"),
    ]


# --- random inputs -------------------------------------------------------------------------

levels = st.dictionaries(st.integers(1, 8), st.integers(1, 4), max_size=5)
words = st.lists(
    st.sampled_from(["python", "sql", "design", "data", "the", "web", "c++"]), max_size=6
)
day = st.dates(date(2024, 1, 1), date(2024, 3, 1))


@st.composite
def windows(draw):
    out = []
    for start in draw(st.lists(day, max_size=3)):
        out.append((start, start + timedelta(days=draw(st.integers(0, 30)))))
    return out


students = st.builds(
    StudentInput,
    id=st.integers(1, 50),
    skills=levels,
    interests=words,
    about=words.map(" ".join),
    learning_goals=words,
    weekly_hours=st.integers(0, 40),
    windows=windows(),
)


@st.composite
def projects(draw):
    start = draw(day)
    return ProjectInput(
        id=draw(st.integers(1, 50)),
        required=draw(levels),
        preferred=draw(levels),
        text=" ".join(draw(words)),
        learning_outcomes=draw(words),
        starts_on=start,
        ends_on=start + timedelta(days=draw(st.integers(0, 40))),
        hours_per_week=draw(st.integers(0, 40)),
    )


@settings(max_examples=150, deadline=None)
@given(students, projects())
def test_components_and_score_are_in_unit_interval(s, p):
    fit = score_fit(s, p, skill_names=SKILLS)
    assert set(fit.components) == set(COMPONENTS)
    for value in fit.components.values():
        assert 0.0 <= value <= 1.0
    assert 0.0 <= fit.score <= 1.0
    assert (fit.student_id, fit.project_id) == (s.id, p.id)
    assert_well_formed(fit.reasons)
    assert_well_formed(hard_constraint_failures(s, p))


def assert_well_formed(reasons: list[Reason]) -> None:
    """Every reason has a known code, a component and exactly the parameters declared for it;
    skills come in order (required, then preferred), each kind led by its summary or remark."""
    for reason in reasons:
        assert isinstance(reason.code, ReasonCode)
        assert reason.component in COMPONENTS
        assert tuple(reason.params) == PARAMS[reason.code], reason
        if "terms" in reason.params:
            assert isinstance(reason.params["terms"], tuple) and reason.params["terms"]
    components = [r.component for r in reasons]
    assert components == sorted(components, key=REASON_ORDER.index)
