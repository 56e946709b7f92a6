"""What the engine says about its results: codes with parameters, never sentences.

A fit score (:mod:`practicum.matching.scoring`) is explained by a list of :class:`Reason`, and a
pair that fails the hard constraints by another; a student left unmatched by stable matching
(:mod:`practicum.matching.stable`) gets an :class:`UnmatchedReason`. The Django side turns them
into sentences, for the student or about them, in one place
(``practicum.recommendations.reasons``); the API returns the codes and parameters beside the
sentence, so a client never has to parse words.

Every code is a member of one of the enums below, and :data:`PARAMS` names the parameters each
fit code carries. Parameters are plain values: ints, strings, ``None``, tuples of strings and
dates.

Parameters, by name:

``count``
    How many skills of the component's kind the project asks for.
``met``
    How many of them the student holds at the level asked (or higher).
``skill_id``, ``skill``
    A skill's id and its name (``None`` when the engine was given no name for it).
``min_level``, ``level``
    The level the project asks for and the level the student holds, 1 (beginner) to 4 (expert).
``days``, ``available_days``, ``unit``
    The project's days and how many of them the student is available on; ``unit`` says what a
    day is: ``"working_day"`` (Monday to Friday) or ``"day"`` (a project with no working day
    at all is counted in calendar days).
``hours_asked``, ``weekly_hours``
    The hours a week the project asks for and the hours the student can give.
``terms``
    Words both texts share, the ones adding most to their similarity first (at most five).
``starts_on``, ``ends_on``
    The project's first and last day.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

__all__ = [
    "PARAMS",
    "SUMMARIES",
    "Reason",
    "ReasonCode",
    "UnmatchedReason",
]


class ReasonCode(StrEnum):
    """Why a fit score is what it is, or why a pair fails the hard constraints."""

    # Skills: the reason's component is "required" or "preferred", the kind of skills meant.
    #: The project asks for no skills of this kind.
    SKILLS_NOT_LISTED = "skills_not_listed"
    #: The student holds every one of them at the level asked.
    SKILLS_ALL_MET = "skills_all_met"
    #: The student holds only ``met`` of the ``count`` at the level asked (``met`` may be 0).
    SKILLS_SOME_MET = "skills_some_met"
    #: A skill asked for that the student does not hold at all.
    SKILL_MISSING = "skill_missing"
    #: A skill held one level below the one asked (partial credit).
    SKILL_ONE_LEVEL_SHORT = "skill_one_level_short"
    #: A skill held two or more levels below the one asked.
    SKILL_BELOW_LEVEL = "skill_below_level"

    # Availability: dates, then weekly hours.
    #: The student gave no availability windows, so counts as available on every day.
    DATES_NOT_LIMITED = "dates_not_limited"
    #: The student's windows cover every day of the project.
    DATES_ALL_AVAILABLE = "dates_all_available"
    #: The student's windows cover ``available_days`` of the ``days``.
    DATES_PARTLY_AVAILABLE = "dates_partly_available"
    #: The project does not ask for a number of hours a week.
    HOURS_NOT_SET = "hours_not_set"
    #: The student can give every hour a week asked.
    HOURS_ALL_MET = "hours_all_met"
    #: The student can give fewer hours a week than asked.
    HOURS_PARTLY_MET = "hours_partly_met"

    # Text: the student's interests, about text and goals against the project's description.
    #: Words in common.
    INTERESTS_SHARED = "interests_shared"
    #: No word in common.
    INTERESTS_NOT_SHARED = "interests_not_shared"

    # Learning: the student's learning goals against the project's learning outcomes.
    #: The student listed no learning goals.
    GOALS_NOT_LISTED = "goals_not_listed"
    #: The project lists no learning outcomes.
    OUTCOMES_NOT_LISTED = "outcomes_not_listed"
    #: Words in common.
    GOALS_SHARED = "goals_shared"
    #: No word in common.
    GOALS_NOT_SHARED = "goals_not_shared"

    # Hard constraints (component "availability"): the pair is filtered out.
    #: The student is available on none of the project's days.
    UNAVAILABLE = "unavailable"
    #: The student is available on fewer of the project's days than the minimum.
    TOO_FEW_DAYS = "too_few_days"
    #: The student offers less than the share of the weekly hours the minimum asks.
    TOO_FEW_HOURS = "too_few_hours"


class UnmatchedReason(StrEnum):
    """Why a student has no project in a stable matching (values are plain strings)."""

    #: The student ranked no project at all.
    NO_RANKING = "no_ranking"
    #: None of the projects the student ranked ranks them back.
    NOT_RANKED_BACK = "not_ranked_back"
    #: Every project that the student ranked and that ranks them back has no places at all
    #: (capacity 0). Rare: only when a project is in the round with no places.
    NO_PLACES = "no_places"
    #: Every project that the student ranked and that ranks them back filled all its places with
    #: applicants it ranked higher.
    FILLED_WITH_HIGHER = "filled_with_higher"


_SKILL = ("skill_id", "skill", "min_level")
_DAYS = ("days", "unit")
_HOURS = ("weekly_hours", "hours_asked")

#: The parameters of each fit code, by name (see the module's docstring).
PARAMS: Mapping[ReasonCode, tuple[str, ...]] = MappingProxyType(
    {
        ReasonCode.SKILLS_NOT_LISTED: (),
        ReasonCode.SKILLS_ALL_MET: ("count",),
        ReasonCode.SKILLS_SOME_MET: ("met", "count"),
        ReasonCode.SKILL_MISSING: _SKILL,
        ReasonCode.SKILL_ONE_LEVEL_SHORT: (*_SKILL, "level"),
        ReasonCode.SKILL_BELOW_LEVEL: (*_SKILL, "level"),
        ReasonCode.DATES_NOT_LIMITED: _DAYS,
        ReasonCode.DATES_ALL_AVAILABLE: _DAYS,
        ReasonCode.DATES_PARTLY_AVAILABLE: ("available_days", *_DAYS),
        ReasonCode.HOURS_NOT_SET: (),
        ReasonCode.HOURS_ALL_MET: _HOURS,
        ReasonCode.HOURS_PARTLY_MET: _HOURS,
        ReasonCode.INTERESTS_SHARED: ("terms",),
        ReasonCode.INTERESTS_NOT_SHARED: (),
        ReasonCode.GOALS_NOT_LISTED: (),
        ReasonCode.OUTCOMES_NOT_LISTED: (),
        ReasonCode.GOALS_SHARED: ("terms",),
        ReasonCode.GOALS_NOT_SHARED: (),
        ReasonCode.UNAVAILABLE: ("unit", "starts_on", "ends_on"),
        ReasonCode.TOO_FEW_DAYS: ("available_days", *_DAYS),
        ReasonCode.TOO_FEW_HOURS: _HOURS,
    }
)

#: The codes that sum up how a pair does on its component; the others are details (a skill
#: missing) or remarks (nothing listed to compare). The first summary of each component is the
#: one to show when only a few reasons fit.
SUMMARIES = frozenset(
    {
        ReasonCode.SKILLS_ALL_MET,
        ReasonCode.SKILLS_SOME_MET,
        ReasonCode.DATES_NOT_LIMITED,
        ReasonCode.DATES_ALL_AVAILABLE,
        ReasonCode.DATES_PARTLY_AVAILABLE,
        ReasonCode.HOURS_ALL_MET,
        ReasonCode.HOURS_PARTLY_MET,
        ReasonCode.INTERESTS_SHARED,
        ReasonCode.INTERESTS_NOT_SHARED,
        ReasonCode.GOALS_SHARED,
        ReasonCode.GOALS_NOT_SHARED,
    }
)

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class Reason(NamedTuple):
    """One fact explaining a fit score: a code, the component it explains (one of
    ``scoring.COMPONENTS``) and its parameters (:data:`PARAMS`; read them, do not change them).

    A NamedTuple rather than a dataclass: rankings make one for each line of every result, and
    a tuple is the cheapest immutable record to build.
    """

    code: ReasonCode
    component: str
    params: Mapping[str, Any] = _NO_PARAMS

    @property
    def is_summary(self) -> bool:
        return self.code in SUMMARIES
