"""The engine's reasons in words: the one place where they become sentences.

The matching engine explains its results with codes and parameters
(:mod:`practicum.matching.reasons`): why a fit score is what it is, why a pair fails the hard
constraints, why a student stayed unmatched in a round. Here each code becomes a sentence for
one of two audiences:

* :attr:`Audience.STUDENT`, written to the student ("You have 3 of the 4 required skills at
  the level asked");
* :attr:`Audience.ABOUT_STUDENT`, written about them to an organization or a round's staff
  ("Has 3 of the 4 required skills at the level asked").

Pages read the sentences from :class:`ShownReason` (recommendations, candidates, fit on the
discovery cards) or through the ``sentence`` template filter (a round's unmatched students);
the API returns :class:`ShownReason` whole: the code and parameters, and the sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from practicum.core.templatetags.practicum import human_date
from practicum.matching.reasons import Reason, ReasonCode, UnmatchedReason
from practicum.profiles.models import StudentSkill

__all__ = ["Audience", "ShownReason", "sentence", "show"]


class Audience(StrEnum):
    """Who reads a reason."""

    #: The student the reason is about.
    STUDENT = "student"
    #: Anyone else: an organization's members, a round's staff.
    ABOUT_STUDENT = "about_student"


@dataclass(slots=True)
class ShownReason:
    """A reason as pages and the API show it: its code, component and parameters, and the
    sentence for one audience."""

    code: str
    #: The fit component it explains; empty for a round's unmatched reason.
    component: str
    params: dict[str, Any]
    text: str


# code -> sentence(params, component, about): ``about`` is True for Audience.ABOUT_STUDENT.
_Writer = Callable[[Mapping[str, Any], str, bool], str]
_WRITERS: dict[str, _Writer] = {}


def _writes(code: StrEnum):
    def register(writer: _Writer) -> _Writer:
        _WRITERS[code.value] = writer
        return writer

    return register


def _plural(n: int, singular: str) -> str:
    return singular if n == 1 else singular + "s"


#: "beginner" … "expert": the profile's level names, looked up once.
_LEVELS = {level.value: level.label.lower() for level in StudentSkill.Level}


def _level(level: int) -> str:
    return _LEVELS[level]


def _skill(p: Mapping[str, Any]) -> str:
    return p["skill"] or f"skill #{p['skill_id']}"


def _unit(p: Mapping[str, Any]) -> str:
    """The singular of what the days are: a working day, or a day (a weekend project)."""
    return "working day" if p["unit"] == "working_day" else "day"


def _terms(p: Mapping[str, Any]) -> str:
    return ", ".join(p["terms"])


# --- Skills (the component is the kind: required or preferred) -----------------------------


@_writes(ReasonCode.SKILLS_NOT_LISTED)
def _(p, kind, about):
    return f"This project lists no {kind} skills"


@_writes(ReasonCode.SKILLS_ALL_MET)
def _(p, kind, about):
    skills = f"the {kind} skill" if p["count"] == 1 else f"all {p['count']} {kind} skills"
    return f"{'Has' if about else 'You have'} {skills} at the level asked"


@_writes(ReasonCode.SKILLS_SOME_MET)
def _(p, kind, about):
    if p["count"] == 1:
        return (
            f"{'Does not' if about else 'You do not'} yet have the {kind} skill at the level asked"
        )
    return (
        f"{'Has' if about else 'You have'} {p['met']} of the {p['count']} {kind} skills "
        "at the level asked"
    )


@_writes(ReasonCode.SKILL_MISSING)
def _(p, kind, about):
    label = "Missing" if kind == "required" else f"Missing ({kind})"
    return f"{label}: {_skill(p)} (asked: {_level(p['min_level'])})"


def _short(gap: str, p: Mapping[str, Any], about: bool) -> str:
    held = f"{'has' if about else 'you'}: {_level(p['level'])}"
    return f"{gap}: {_skill(p)} (asked: {_level(p['min_level'])}, {held})"


@_writes(ReasonCode.SKILL_ONE_LEVEL_SHORT)
def _(p, kind, about):
    return _short("One level short", p, about)


@_writes(ReasonCode.SKILL_BELOW_LEVEL)
def _(p, kind, about):
    return _short("Below the level asked", p, about)


# --- Availability ----------------------------------------------------------------------------


@_writes(ReasonCode.DATES_NOT_LIMITED)
def _(p, component, about):
    days = f"all {p['days']} {_plural(p['days'], _unit(p))}"
    if about:
        return f"Has not limited their dates, so counts as available for {days}"
    return f"You have not limited your dates, so you count as available for {days}"


@_writes(ReasonCode.DATES_ALL_AVAILABLE)
def _(p, component, about):
    days = f"{p['days']} {_plural(p['days'], _unit(p))}"
    return f"{'Is' if about else 'You are'} available for all {days}"


@_writes(ReasonCode.DATES_PARTLY_AVAILABLE)
def _(p, component, about):
    return (
        f"{'Is' if about else 'You are'} available for {p['available_days']} of the "
        f"{p['days']} {_unit(p)}s"
    )


@_writes(ReasonCode.HOURS_NOT_SET)
def _(p, component, about):
    return "This project does not ask for a set number of hours a week"


@_writes(ReasonCode.HOURS_ALL_MET)
def _(p, component, about):
    asked = p["hours_asked"]
    return f"{'Can' if about else 'You can'} give all {asked} {_plural(asked, 'hour')} a week asked"


@_writes(ReasonCode.HOURS_PARTLY_MET)
def _(p, component, about):
    return (
        f"{'Can' if about else 'You can'} give {p['weekly_hours']} of the {p['hours_asked']} "
        "hours a week asked"
    )


# --- Text and learning -----------------------------------------------------------------------


@_writes(ReasonCode.INTERESTS_SHARED)
def _(p, component, about):
    return f"{'Their' if about else 'Your'} interests and this project share: {_terms(p)}"


@_writes(ReasonCode.INTERESTS_NOT_SHARED)
def _(p, component, about):
    return (
        f"{'Their' if about else 'Your'} interests and this project's description have no "
        "words in common"
    )


@_writes(ReasonCode.GOALS_NOT_LISTED)
def _(p, component, about):
    return f"{'Has' if about else 'You have'} not listed learning goals yet"


@_writes(ReasonCode.OUTCOMES_NOT_LISTED)
def _(p, component, about):
    return "This project lists no learning outcomes"


@_writes(ReasonCode.GOALS_SHARED)
def _(p, component, about):
    them = "them what they want" if about else "you what you want"
    return f"This project can teach {them} to learn: {_terms(p)}"


@_writes(ReasonCode.GOALS_NOT_SHARED)
def _(p, component, about):
    whose = "their" if about else "your"
    return f"This project's learning outcomes do not match {whose} learning goals"


# --- Hard constraints ------------------------------------------------------------------------


@_writes(ReasonCode.UNAVAILABLE)
def _(p, component, about):
    return (
        f"{'Is' if about else 'You are'} not available on any {_unit(p)} between "
        f"{human_date(p['starts_on'])} and {human_date(p['ends_on'])}"
    )


@_writes(ReasonCode.TOO_FEW_DAYS)
def _(p, component, about):
    return (
        f"{'Is' if about else 'You are'} available for only {p['available_days']} of the "
        f"{p['days']} {_unit(p)}s"
    )


@_writes(ReasonCode.TOO_FEW_HOURS)
def _(p, component, about):
    hours = f"{p['weekly_hours']} {_plural(p['weekly_hours'], 'hour')}"
    asked = p["hours_asked"]
    return f"{'Can' if about else 'You can'} give {hours} a week; this project asks for {asked}"


# --- A round's unmatched students ------------------------------------------------------------


@_writes(UnmatchedReason.NO_RANKING)
def _(p, component, about):
    return "Ranked no projects" if about else "You ranked no projects"


@_writes(UnmatchedReason.NOT_RANKED_BACK)
def _(p, component, about):
    return f"No project {'they' if about else 'you'} ranked ranked {'them' if about else 'you'}"


@_writes(UnmatchedReason.FILLED_WITH_HIGHER)
def _(p, component, about):
    return (
        f"Every project {'they' if about else 'you'} ranked filled with applicants it ranked higher"
    )


@_writes(UnmatchedReason.NO_PLACES)
def _(p, component, about):
    they, them = ("they", "them") if about else ("you", "you")
    return f"The projects {they} ranked that ranked {them} had no places left"


# --- Public API ------------------------------------------------------------------------------


def _about(audience: Audience | str) -> bool:
    return Audience(audience) is Audience.ABOUT_STUDENT


def _write(code: str, component: str, params: Mapping[str, Any], about: bool) -> str:
    writer = _WRITERS.get(code)
    if writer is None:
        raise LookupError(f"no sentence for the reason code {code!r}")
    return writer(params, component, about)


def sentence(reason: Reason | str, audience: Audience | str = Audience.STUDENT) -> str:
    """The sentence for ``reason``: a :class:`Reason`, or a bare code without parameters (a
    round's :class:`UnmatchedReason`, as stored). Raises ``LookupError`` for a code with no
    sentence and ``ValueError`` for an unknown audience."""
    if isinstance(reason, Reason):
        return _write(reason.code, reason.component, reason.params, _about(audience))
    return _write(reason, "", {}, _about(audience))


def show(
    reasons: Iterable[Reason], audience: Audience | str = Audience.STUDENT
) -> list[ShownReason]:
    """Each of ``reasons`` with its sentence for ``audience``."""
    about = _about(audience)
    return [
        ShownReason(code, component, dict(params), _write(code, component, params, about))
        for code, component, params in reasons
    ]
