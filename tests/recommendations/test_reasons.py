"""Every reason code the engine can give has a sentence, for the student and about them."""

import datetime
import enum
import importlib
import pkgutil

import pytest
from django.template import Context, Template

import practicum.matching
from practicum.matching.reasons import PARAMS, Reason, ReasonCode, UnmatchedReason
from practicum.recommendations.reasons import Audience, ShownReason, sentence, show

RC = ReasonCode

#: A value for each parameter name the engine uses (see practicum/matching/reasons.py).
SAMPLE = {
    "count": 4,
    "met": 3,
    "skill_id": 7,
    "skill": "Python",
    "min_level": 3,
    "level": 2,
    "days": 10,
    "available_days": 4,
    "unit": "working_day",
    "hours_asked": 10,
    "weekly_hours": 6,
    "terms": ("maps", "survey"),
    "starts_on": datetime.date(2030, 1, 7),
    "ends_on": datetime.date(2030, 1, 18),
}


def engine_codes() -> list[enum.StrEnum]:
    """Every member of every code enum defined in the engine's modules: a new code, or a new
    enum of codes, shows up here without this test being told."""
    found = []
    for info in pkgutil.walk_packages(practicum.matching.__path__, "practicum.matching."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, enum.StrEnum)
                and value.__module__ == module.__name__
            ):
                found.extend(value)
    return found


def sample_reason(code) -> Reason | str:
    """A reason with that code as the engine gives it; a round's unmatched code is bare."""
    if code in PARAMS:
        component = "required" if code.value.startswith("skill") else "availability"
        return Reason(code, component, {name: SAMPLE[name] for name in PARAMS[code]})
    return code.value


def test_the_engine_has_codes_of_both_kinds():
    codes = engine_codes()
    assert set(ReasonCode) <= set(codes)
    assert set(UnmatchedReason) <= set(codes)
    assert len({c.value for c in codes}) == len(codes), "two codes share a value"


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("code", engine_codes(), ids=str)
def test_every_code_the_engine_can_give_has_a_sentence(code, audience):
    text = sentence(sample_reason(code), audience)
    assert text and text[0].isupper()
    assert not {"{", "}", "None", "_"} & set(text.split()) and "_" not in text
    words = set(text.lower().replace(",", " ").replace(":", " ").split())
    if audience == Audience.ABOUT_STUDENT:
        assert not {"you", "your"} & words, text


def skill(**params):
    return {"skill_id": 7, "skill": "Python", "min_level": 3, **params}


def days(**params):
    return {"days": 10, "unit": "working_day", **params}


#: (reason, to the student, about the student). The wording pages and the API showed when the
#: engine still wrote sentences, but for the two fixes named in the last rows.
SENTENCES = [
    (
        Reason(RC.SKILLS_NOT_LISTED, "preferred"),
        "This project lists no preferred skills",
        "This project lists no preferred skills",
    ),
    (
        Reason(RC.SKILLS_ALL_MET, "required", {"count": 1}),
        "You have the required skill at the level asked",
        "Has the required skill at the level asked",
    ),
    (
        Reason(RC.SKILLS_ALL_MET, "preferred", {"count": 2}),
        "You have all 2 preferred skills at the level asked",
        "Has all 2 preferred skills at the level asked",
    ),
    (
        Reason(RC.SKILLS_SOME_MET, "required", {"met": 0, "count": 1}),
        "You do not yet have the required skill at the level asked",
        "Does not yet have the required skill at the level asked",
    ),
    (
        Reason(RC.SKILLS_SOME_MET, "required", {"met": 3, "count": 4}),
        "You have 3 of the 4 required skills at the level asked",
        "Has 3 of the 4 required skills at the level asked",
    ),
    (
        Reason(RC.SKILL_MISSING, "required", skill()),
        "Missing: Python (asked: proficient)",
        "Missing: Python (asked: proficient)",
    ),
    (
        Reason(RC.SKILL_MISSING, "preferred", skill(skill=None, min_level=1)),
        "Missing (preferred): skill #7 (asked: beginner)",
        "Missing (preferred): skill #7 (asked: beginner)",
    ),
    (
        Reason(RC.SKILL_ONE_LEVEL_SHORT, "required", skill(level=2)),
        "One level short: Python (asked: proficient, you: working)",
        "One level short: Python (asked: proficient, has: working)",
    ),
    (
        Reason(RC.SKILL_BELOW_LEVEL, "preferred", skill(min_level=4, level=1)),
        "Below the level asked: Python (asked: expert, you: beginner)",
        "Below the level asked: Python (asked: expert, has: beginner)",
    ),
    (
        Reason(RC.DATES_NOT_LIMITED, "availability", days()),
        "You have not limited your dates, so you count as available for all 10 working days",
        "Has not limited their dates, so counts as available for all 10 working days",
    ),
    (
        Reason(RC.DATES_ALL_AVAILABLE, "availability", days(days=1, unit="day")),
        "You are available for all 1 day",
        "Is available for all 1 day",
    ),
    (
        Reason(RC.DATES_PARTLY_AVAILABLE, "availability", days(available_days=4)),
        "You are available for 4 of the 10 working days",
        "Is available for 4 of the 10 working days",
    ),
    (
        Reason(RC.HOURS_NOT_SET, "availability"),
        "This project does not ask for a set number of hours a week",
        "This project does not ask for a set number of hours a week",
    ),
    (
        Reason(RC.HOURS_ALL_MET, "availability", {"weekly_hours": 12, "hours_asked": 10}),
        "You can give all 10 hours a week asked",
        "Can give all 10 hours a week asked",
    ),
    (
        Reason(RC.HOURS_PARTLY_MET, "availability", {"weekly_hours": 6, "hours_asked": 10}),
        "You can give 6 of the 10 hours a week asked",
        "Can give 6 of the 10 hours a week asked",
    ),
    (
        Reason(RC.INTERESTS_SHARED, "text", {"terms": ("maps", "survey")}),
        "Your interests and this project share: maps, survey",
        "Their interests and this project share: maps, survey",
    ),
    (
        Reason(RC.INTERESTS_NOT_SHARED, "text"),
        "Your interests and this project's description have no words in common",
        "Their interests and this project's description have no words in common",
    ),
    (
        Reason(RC.GOALS_NOT_LISTED, "learning"),
        "You have not listed learning goals yet",
        "Has not listed learning goals yet",
    ),
    (
        Reason(RC.OUTCOMES_NOT_LISTED, "learning"),
        "This project lists no learning outcomes",
        "This project lists no learning outcomes",
    ),
    (
        Reason(RC.GOALS_SHARED, "learning", {"terms": ("gis",)}),
        "This project can teach you what you want to learn: gis",
        "This project can teach them what they want to learn: gis",
    ),
    (
        Reason(RC.GOALS_NOT_SHARED, "learning"),
        "This project's learning outcomes do not match your learning goals",
        "This project's learning outcomes do not match their learning goals",
    ),
    (
        Reason(RC.TOO_FEW_DAYS, "availability", days(available_days=2)),
        "You are available for only 2 of the 10 working days",
        "Is available for only 2 of the 10 working days",
    ),
    (
        Reason(RC.TOO_FEW_HOURS, "availability", {"weekly_hours": 4, "hours_asked": 10}),
        "You can give 4 hours a week; this project asks for 10",
        "Can give 4 hours a week; this project asks for 10",
    ),
    (UnmatchedReason.NO_RANKING, "You ranked no projects", "Ranked no projects"),
    (
        UnmatchedReason.NOT_RANKED_BACK,
        "No project you ranked ranked you",
        "No project they ranked ranked them",
    ),
    (
        UnmatchedReason.FILLED_WITH_HIGHER,
        "Every project you ranked filled with applicants it ranked higher",
        "Every project they ranked filled with applicants it ranked higher",
    ),
    (
        UnmatchedReason.NO_PLACES,
        "The projects you ranked that ranked you had no places left",
        "The projects they ranked that ranked them had no places left",
    ),
    # Fixed: the dates were ISO ("between 2030-01-07 and 2030-01-18"); pages show human dates.
    (
        Reason(
            RC.UNAVAILABLE,
            "availability",
            {
                "unit": "working_day",
                "starts_on": datetime.date(2030, 1, 7),
                "ends_on": datetime.date(2030, 1, 18),
            },
        ),
        "You are not available on any working day between Mon 7 Jan 2030 and Fri 18 Jan 2030",
        "Is not available on any working day between Mon 7 Jan 2030 and Fri 18 Jan 2030",
    ),
    # Fixed: "You can give 1 hours a week".
    (
        Reason(RC.TOO_FEW_HOURS, "availability", {"weekly_hours": 1, "hours_asked": 5}),
        "You can give 1 hour a week; this project asks for 5",
        "Can give 1 hour a week; this project asks for 5",
    ),
]


@pytest.mark.parametrize(("reason", "to_student", "about_student"), SENTENCES)
def test_the_sentences(reason, to_student, about_student):
    assert sentence(reason) == to_student
    assert sentence(reason, Audience.STUDENT) == to_student
    assert sentence(reason, "about_student") == about_student


def test_the_table_covers_every_code():
    covered = {r.code if isinstance(r, Reason) else r for r, _, _ in SENTENCES}
    assert covered == set(engine_codes())


def test_a_stored_code_is_enough_for_a_rounds_reason():
    assert sentence("not_ranked_back") == sentence(UnmatchedReason.NOT_RANKED_BACK)


def test_an_unknown_code_or_audience_is_an_error():
    with pytest.raises(LookupError, match="no sentence for the reason code 'made_up'"):
        sentence("made_up")
    with pytest.raises(ValueError, match="organization"):
        sentence(UnmatchedReason.NO_RANKING, "organization")


def test_show_gives_the_code_component_params_and_sentence():
    reason = Reason(RC.INTERESTS_SHARED, "text", {"terms": ("maps",)})
    assert show([reason], Audience.ABOUT_STUDENT) == [
        ShownReason(
            code="interests_shared",
            component="text",
            params={"terms": ("maps",)},
            text="Their interests and this project share: maps",
        )
    ]
    # A copy: changing what a page got changes no engine result.
    (shown,) = show([reason])
    shown.params["terms"] = ()
    assert reason.params == {"terms": ("maps",)}


def test_the_template_filter():
    template = Template(
        '{% load reasons %}{{ code|sentence }} / {{ code|sentence:"about_student" }} / '
        "{{ reason|sentence }}"
    )
    html = template.render(
        Context({"code": "no_ranking", "reason": Reason(RC.INTERESTS_NOT_SHARED, "text")})
    )
    assert html == (
        "You ranked no projects / Ranked no projects / Your interests and this project&#x27;s "
        "description have no words in common"
    )
