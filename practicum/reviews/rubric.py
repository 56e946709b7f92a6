"""What each side is asked in a review: the criteria scored 1–5, a rubric sentence for every
level (shown in the form, so both sides score against the same words), and the questions that
depend on the round. Pure data and functions: forms, services, pages and the API share them.

`side` is always the side that WRITES the review: the organization reviews the student and the
student reviews the organization.
"""

from dataclasses import dataclass

from practicum.engagements.models import Side

SCORE_MIN, SCORE_MAX = 1, 5
TEXT_MAX = 5_000
NOTE_MAX = 2_000
ENDORSEMENTS_MAX = 20

MIDPOINT, FINAL = "midpoint", "final"


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    question: str
    levels: tuple[str, str, str, str, str]  # the sentence for score 1, 2, 3, 4 and 5

    def sentence(self, score: int) -> str:
        return self.levels[score - 1]

    @property
    def choices(self) -> list[tuple[int, str]]:
        return [(n, f"{n} — {text}") for n, text in enumerate(self.levels, start=SCORE_MIN)]


# The organization about the student.
ABOUT_STUDENT = (
    Criterion(
        "quality",
        "Quality of work",
        "How good was the work the student delivered?",
        (
            "The work did not meet the agreed standard and needed to be redone.",
            "The work met some expectations but needed substantial corrections.",
            "The work met the agreed standard with minor corrections.",
            "The work was thorough and accurate and needed almost no corrections.",
            "The work exceeded the agreed standard and could be used as delivered.",
        ),
    ),
    Criterion(
        "communication",
        "Communication",
        "How clearly and promptly did the student communicate?",
        (
            "The student was hard to reach and updates were missing or unclear.",
            "The student communicated irregularly; we often had to ask for news.",
            "The student kept us informed and answered within the agreed time.",
            "The student communicated clearly and raised questions and blockers early.",
            "The student's communication was exemplary: concise, proactive and always on time.",
        ),
    ),
    Criterion(
        "reliability",
        "Reliability",
        "Did the student keep their commitments?",
        (
            "The student missed most commitments (check-ins, dates, hours).",
            "The student kept some commitments and missed several without warning.",
            "The student kept most commitments and warned us before missing one.",
            "The student kept nearly every commitment on time.",
            "The student kept every commitment; we could fully count on them.",
        ),
    ),
    Criterion(
        "initiative",
        "Initiative",
        "How much did the student act on their own?",
        (
            "The student waited for instructions at every step.",
            "The student acted on their own only when asked to.",
            "The student solved routine problems on their own.",
            "The student proposed improvements and acted on them sensibly.",
            "The student shaped the work with ideas that made a real difference.",
        ),
    ),
    Criterion(
        "growth",
        "Growth",
        "How much did the student learn and act on feedback?",
        (
            "The student did not act on feedback.",
            "The student acted on some feedback, slowly.",
            "The student acted on feedback and improved steadily.",
            "The student improved quickly and applied what they learned without reminders.",
            "The student grew remarkably and sought feedback to grow further.",
        ),
    ),
)

# The student about the organization.
ABOUT_ORGANIZATION = (
    Criterion(
        "clarity",
        "Clarity of expectations",
        "Did you know what was expected of you?",
        (
            "I rarely knew what was expected of me.",
            "Expectations were vague and changed without explanation.",
            "Expectations were clear enough to do the work.",
            "Expectations were clear, written down and kept up to date.",
            "Expectations were crystal clear from the start, with examples of good work.",
        ),
    ),
    Criterion(
        "mentorship",
        "Quality of mentorship",
        "How well were you guided?",
        (
            "I received no guidance.",
            "Guidance was rare or unhelpful.",
            "I got the guidance I needed when I asked for it.",
            "My mentor guided me well and gave useful feedback regularly.",
            "My mentor invested in my growth and gave outstanding, actionable feedback.",
        ),
    ),
    Criterion(
        "responsiveness",
        "Communication and responsiveness",
        "Did the organization answer within the time it promised?",
        (
            "Questions went unanswered and check-ins were missed.",
            "Answers often came later than promised.",
            "Answers mostly came within the promised time.",
            "Answers came on time and check-ins were held as agreed.",
            "The organization was always responsive, clear and well prepared.",
        ),
    ),
    Criterion(
        "learning",
        "Learning gained",
        "How much did you learn?",
        (
            "I learned nothing new.",
            "I learned a little, mostly on my own.",
            "I learned useful skills for my studies or career.",
            "I learned a lot and reached most of my learning goals.",
            "I learned far more than I hoped and reached all my learning goals.",
        ),
    ),
    Criterion(
        "time_respect",
        "Respect for the agreed time",
        "Did the work fit the hours and dates agreed?",
        (
            "The work took far more time than agreed, or came outside the agreed dates.",
            "I was often asked for more time than agreed.",
            "The work mostly fitted the agreed hours, with a few exceptions.",
            "The work fitted the agreed hours and dates.",
            "The organization planned the work carefully around the agreed time and my studies.",
        ),
    ),
)

_CRITERIA = {Side.ORGANIZATION: ABOUT_STUDENT, Side.STUDENT: ABOUT_ORGANIZATION}

# How the free-text and yes/no questions read for each writing side.
_WORDING = {
    Side.ORGANIZATION: {
        "strengths": "Strengths",
        "to_improve": "Areas to grow",
        "recommend": "Would you work with this student again?",
        "reviewed": "the student",
    },
    Side.STUDENT: {
        "strengths": "What went well",
        "to_improve": "What to improve",
        "recommend": "Would you recommend this organization to a fellow student?",
        "reviewed": "the organization",
    },
}


def criteria_for(side: str) -> tuple[Criterion, ...]:
    return _CRITERIA[side]


def wording(side: str, field: str) -> str:
    return _WORDING[side][field]


def other_side(side: str) -> str:
    return Side.STUDENT if side == Side.ORGANIZATION else Side.ORGANIZATION


def asks_recommend(side: str, round: str) -> bool:
    """The student always says whether they would recommend the organization; the organization
    says whether it would work with the student again only at the end."""
    return side == Side.STUDENT or round == FINAL


def asks_endorsements(side: str, round: str) -> bool:
    """Skills are endorsed once, by the organization, when the work is done."""
    return side == Side.ORGANIZATION and round == FINAL
