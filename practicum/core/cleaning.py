"""Value cleaning shared by the apps' services: lenient parsing of what forms and the API send,
and a base for the cleaners that check every field and collect all messages."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError

from practicum.core.text import text_problem
from practicum.core.timezones import validate_timezone

# Dates the platform accepts anywhere: far enough for any real project, near enough that date
# arithmetic (check-in schedules, reminders) never leaves the calendar.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
# The longest an engagement (a project's start to end) may run: a micro-internship, and a
# bound on everything scheduled across it (check-ins, reminders).
ENGAGEMENT_WEEKS_MAX = 26
DATE_WINDOW_MESSAGE = f"Choose a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}."
SPAN_MESSAGE = f"At most {ENGAGEMENT_WEEKS_MAX} weeks from the start to the end."


def in_date_window(day: datetime.date) -> bool:
    return DATE_MIN <= day <= DATE_MAX


def span_too_long(starts: datetime.date | None, ends: datetime.date | None) -> bool:
    return bool(starts and ends and (ends - starts).days > ENGAGEMENT_WEEKS_MAX * 7)


def as_int(value) -> int | None:
    # bool is an int subclass, but "true" is not a level, a year or a number of hours.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def shorten(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


class Cleaner:
    """Collects ValidationErrors per field; subclasses check their own fields in clean()."""

    def __init__(self, values: dict[str, Any]):
        self.values = values
        self.errors: dict[str, list[ValidationError]] = {}

    def error(self, field: str, message: str, code: str = "invalid", **params) -> None:
        self.errors.setdefault(field, []).append(
            ValidationError(message, code=code, params=params or None)
        )

    def at_most(self, field: str, count: int, max_count: int, nouns: str) -> None:
        if count > max_count:
            self.error(
                field,
                "At most %(max)s %(nouns)s (you gave %(count)s).",
                code="too_many",
                max=max_count,
                nouns=nouns,
                count=count,
            )

    def text(self, field: str, max_length: int, *, multiline: bool = False) -> str:
        value = self.values[field]
        if not isinstance(value, str):
            self.error(field, "Enter text.")
            return ""
        if multiline:
            # Browsers send line breaks as CRLF but count them as one character.
            value = value.replace("\r\n", "\n")
        value = value.strip()
        # The edge's text policy again, for callers that are not a form or the API.
        if (problem := text_problem(value, multiline=multiline)) is not None:
            self.error(field, problem, code="invalid_character")
        if len(value) > max_length:
            self.error(
                field,
                "At most %(max)s characters (this has %(count)s).",
                code="max_length",
                max=f"{max_length:,}",
                count=f"{len(value):,}",
            )
        return value

    def timezone(self) -> str:
        value = self.values["timezone"]
        if not isinstance(value, str) or not value.strip():
            self.error("timezone", "Choose a time zone.", code="required")
            return "UTC"
        try:
            validate_timezone(value.strip())
        except ValidationError as exc:
            self.errors.setdefault("timezone", []).extend(exc.error_list)
        return value.strip()
