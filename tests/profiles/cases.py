"""Profile input shared by the service, page and API tests: one valid profile, the ways input
can be wrong, and converters to the page's POST and the API's JSON."""

import datetime

import pytest
from django.utils import timezone

THIS_YEAR = timezone.now().year


def day(month: int, dom: int) -> datetime.date:
    return datetime.date(THIS_YEAR + 1, month, dom)


def valid_values(skills) -> dict:
    """A complete, valid profile in update_profile's terms."""
    return {
        "headline": "Geography student who loves maps",
        "about": "I like **maps**.",
        "institution": None,
        "institution_name": "Open University",
        "programme": "BSc Geography",
        "graduation_year": THIS_YEAR + 1,
        "timezone": "Europe/Berlin",
        "weekly_hours": 12,
        "interests": ["climate", "open data"],
        "learning_goals": ["Ship a real project"],
        "portfolio_links": [{"label": "My maps", "url": "https://example.org/me"}],
        "open_to_future_roles": True,
        "discoverable": True,
        "skills": [(skills[0].pk, 3), (skills[1].pk, 1)],
        "availability": [(day(7, 1), day(7, 31)), (day(9, 1), day(9, 14))],
    }


def link(url: str, label: str = "") -> dict:
    return {"label": label, "url": url}


def to_form(values: dict) -> dict:
    """The edit page's POST for these values (unchecked boxes are left out, as browsers do)."""
    data = {}
    for name, value in values.items():
        if name == "skills":
            data["skill_id"] = [str(skill_id) for skill_id, _ in value]
            data["skill_level"] = [str(level) for _, level in value]
        elif name == "availability":
            data["window_start"] = [str(start or "") for start, _ in value]
            data["window_end"] = [str(end or "") for _, end in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name == "portfolio_links":
            # One per line on the page: the label, then the address.
            data[name] = "\n".join(f"{link['label']} {link['url']}".strip() for link in value)
        elif isinstance(value, list):
            data[name] = "\n".join(value)
        else:
            data[name] = "" if value is None else str(value)
    return data


def to_api(values: dict) -> dict:
    """The API's JSON body for these values."""
    body = dict(values)
    body["skills"] = [{"skill": skill_id, "level": level} for skill_id, level in values["skills"]]
    body["availability"] = [
        {"starts_on": str(start), "ends_on": str(end)} for start, end in values["availability"]
    ]
    return body


# Each case: (name, changes to valid_values given the skills, field, a message shown for it).
# "api" is False where the API's schema refuses the input before the service sees it.
BAD_INPUT = [
    ("headline too long", lambda s: {"headline": "x" * 141}, "headline",
     "At most 140 characters (this has 141)."),
    ("about too long", lambda s: {"about": "a" * 10_001}, "about",
     "At most 10,000 characters (this has 10,001)."),
    ("graduated too long ago", lambda s: {"graduation_year": THIS_YEAR - 11}, "graduation_year",
     f"Graduation year must be between {THIS_YEAR - 10} and {THIS_YEAR + 8}."),
    ("graduates too far ahead", lambda s: {"graduation_year": THIS_YEAR + 9}, "graduation_year",
     f"Graduation year must be between {THIS_YEAR - 10} and {THIS_YEAR + 8}."),
    ("no hours", lambda s: {"weekly_hours": 0}, "weekly_hours",
     "Hours per week must be a whole number between 1 and 60."),
    ("too many hours", lambda s: {"weekly_hours": 61}, "weekly_hours",
     "Hours per week must be a whole number between 1 and 60."),
    ("unknown time zone", lambda s: {"timezone": "Mars/Olympus"}, "timezone",
     "Unknown time zone “Mars/Olympus”."),
    ("unknown institution", lambda s: {"institution": 999_999}, "institution",
     "Choose an institution from the list."),
    ("too many interests", lambda s: {"interests": [f"topic {n}" for n in range(21)]},
     "interests", "At most 20 interests (you gave 21)."),
    ("interest too long", lambda s: {"interests": ["maps", "x" * 41]}, "interests",
     "Interest #2 (“" + "x" * 39 + "…”) is longer than 40 characters."),
    ("too many learning goals", lambda s: {"learning_goals": [f"goal {n}" for n in range(11)]},
     "learning_goals", "At most 10 learning goals (you gave 11)."),
    ("learning goal too long", lambda s: {"learning_goals": ["g" * 201]}, "learning_goals",
     "is longer than 200 characters."),
    ("javascript link", lambda s: {"portfolio_links": [link("javascript:alert(1)", "Click")]},
     "portfolio_links",
     "Link #1 (“javascript:alert(1)”) is not a web address starting with http:// or https://."),
    ("data link", lambda s: {"portfolio_links": [link("data:text/html,<b>hi</b>")]},
     "portfolio_links",
     "Link #1 (“data:text/html,<b>hi</b>”) is not a web address starting with http:// or "
     "https://."),
    ("ftp link",
     lambda s: {"portfolio_links": [link("https://ok.example"), link("ftp://example.org/cv")]},
     "portfolio_links",
     "Link #2 (“ftp://example.org/cv”) is not a web address starting with http:// or https://."),
    ("too many links",
     lambda s: {"portfolio_links": [link(f"https://e.org/{n}") for n in range(6)]},
     "portfolio_links", "At most 5 links (you gave 6)."),
    ("link label too long",
     lambda s: {"portfolio_links": [link("https://e.org/", "word " * 13)]},
     "portfolio_links", "The label of link #1 is longer than 60 characters."),

    ("skill level above 4", lambda s: {"skills": [(s[0].pk, 3), (s[1].pk, 5)]}, "skills",
     "Skill #2: level must be between 1 and 4."),
    ("skill level 0", lambda s: {"skills": [(s[0].pk, 0)]}, "skills",
     "Skill #1: level must be between 1 and 4."),
    ("unknown skill", lambda s: {"skills": [(s[0].pk, 2), (999_999, 2)]}, "skills",
     "Skill #2: there is no skill with id 999999."),
    ("duplicate skill", lambda s: {"skills": [(s[0].pk, 2), (s[1].pk, 2), (s[0].pk, 4)]},
     "skills", "is already listed as skill #1."),
    ("more than 50 skills", lambda s: {"skills": [(s[0].pk + n, 1) for n in range(51)]},
     "skills", "At most 50 skills (you gave 51)."),
    ("window ends before it starts", lambda s: {"availability": [(day(7, 10), day(7, 1))]},
     "availability",
     f"Window #1: ends on {day(7, 1)}, before it starts on {day(7, 10)}."),
    ("overlapping windows",
     lambda s: {"availability": [(day(7, 1), day(7, 31)), (day(7, 20), day(8, 10))]},
     "availability", f"Window #2 overlaps window #1 ({day(7, 1)} to {day(7, 31)})."),
    ("windows touching on one day",
     lambda s: {"availability": [(day(7, 1), day(7, 15)), (day(7, 15), day(7, 20))]},
     "availability", f"Window #2 overlaps window #1 ({day(7, 1)} to {day(7, 15)})."),
    ("duplicate windows",
     lambda s: {"availability": [(day(7, 1), day(7, 31)), (day(7, 1), day(7, 31))]},
     "availability", "Window #2 is the same as window #1."),
]  # fmt: skip


def bad_input_params():
    return [
        pytest.param(change, field, message, id=name) for name, change, field, message in BAD_INPUT
    ]


def viewer(kind: str, profile):
    """A user of the given kind, relative to the profile (see VISIBILITY)."""
    from practicum.accounts.models import User
    from tests.factories import (
        InstitutionStaffFactory,
        MembershipFactory,
        StudentFactory,
        UserFactory,
    )

    if kind == "self":
        return profile.user
    if kind == "admin":
        return UserFactory(account_type=User.AccountType.ADMIN, is_staff=True)
    if kind == "own career staff":
        return InstitutionStaffFactory(institution=profile.institution).user
    if kind == "other career staff":
        return InstitutionStaffFactory().user
    if kind == "organization member":
        return MembershipFactory().user
    return StudentFactory()


# Who sees a student's profile (page and API alike): (viewer kind, discoverable, status).
VISIBILITY = pytest.mark.parametrize(
    ("kind", "discoverable", "status"),
    [
        ("self", False, 200),
        ("admin", False, 200),
        ("own career staff", False, 404),
        ("other career staff", True, 404),
        ("organization member", True, 200),
        ("organization member", False, 404),
        ("another student", True, 404),
    ],
)
