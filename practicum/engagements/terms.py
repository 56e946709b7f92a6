"""The terms of an agreement: how they are drafted from the project, checked when someone changes
them, compared between two versions and shown to people. Pure functions over the terms JSON, so
services, pages and the API share one definition of every field.

Dates are ISO strings ("2026-12-01"), the check-in time is "HH:MM", money is an integer number of
minor units plus an ISO currency. A deliverable keeps its `key` across versions, so a diff can
tell a renamed deliverable from a removed one.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from practicum.core.cleaning import DATE_WINDOW_MESSAGE, SPAN_MESSAGE, in_date_window, span_too_long
from practicum.projects import money
from practicum.projects.models import UNPAID_LABEL, Project

# Field: its label for people. The order is the order pages show them in.
LABELS = {
    "objectives": "Objectives",
    "deliverables": "Deliverables",
    "starts_on": "Starts on",
    "ends_on": "Ends on",
    "estimated_hours": "Estimated hours in all",
    "hours_per_week": "Hours per week (project)",
    "compensation_amount": "Compensation (minor units)",
    "currency": "Currency",
    "checkin_cadence": "Check-in cadence",
    "checkin_weekday": "Check-in day",
    "checkin_time": "Check-in time",
    "response_time_hours": "Organization's response time (hours)",
    "student_hours_per_week": "Student's hours per week",
    "student_response_time_hours": "Student's response time (hours)",
    "learning_goals": "Learning goals",
    "mentor": "Mentor",
}
# Either side may change these; the mentor follows the engagement, not a negotiation.
EDITABLE = tuple(name for name in LABELS if name != "mentor")
DELIVERABLE_ATTRIBUTES = ("title", "description", "due_on")

TITLE_MAX, DESCRIPTION_MAX, ITEM_MAX, ITEMS_MAX, DELIVERABLES_MAX = 200, 5_000, 500, 20, 30
HOURS_PER_WEEK_MAX, RESPONSE_HOURS_MAX = 60, 168


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def draft_from(project: Project, *, mentor, learning_goals) -> dict:
    """Version 1: the project's promises, the student's learning goals, and the student's
    commitment pre-filled with what the project asks (they confirm or change it when signing)."""
    deliverables = list(project.deliverables.all())
    return {
        "objectives": list(project.objectives or []),
        "deliverables": [
            {
                "key": f"d{index}",
                "title": d.title,
                "description": d.description,
                "due_on": _iso(d.due_on),
            }
            for index, d in enumerate(deliverables, start=1)
        ],
        "starts_on": _iso(project.starts_on),
        "ends_on": _iso(project.ends_on),
        "estimated_hours": project.estimated_hours,
        "hours_per_week": project.hours_per_week,
        "compensation_amount": project.compensation_amount,
        "currency": project.currency,
        "checkin_cadence": project.checkin_cadence,
        "checkin_weekday": project.checkin_weekday,
        "checkin_time": _time(project.checkin_time),
        "response_time_hours": project.response_time_hours,
        "student_hours_per_week": project.hours_per_week,
        "student_response_time_hours": project.response_time_hours,
        "learning_goals": [str(goal) for goal in learning_goals or []],
        "mentor": {"id": mentor.pk, "name": mentor.name} if mentor is not None else None,
    }


def _time(value) -> str:
    if isinstance(value, str):  # a default not yet read back from the database
        value = datetime.time.fromisoformat(value)
    return value.strftime("%H:%M")


class _Errors(dict):
    def add(self, name: str, message: str, code: str = "invalid") -> None:
        self.setdefault(name, []).append(ValidationError(message, code=code))


def _integer(value, name, errors, *, low: int, high: int | None = None, nullable=False):
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(name, "Enter a whole number.")
    elif value < low or (high is not None and value > high):
        errors.add(
            name,
            f"Enter a number from {low} to {high}." if high else f"Enter {low} or more.",
            "out_of_range",
        )
    return value


def _date(value, name, errors, *, nullable=False):
    if value in (None, "") and nullable:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.add(name, "Enter a date as YYYY-MM-DD.")
        return value
    if not in_date_window(day):
        errors.add(name, DATE_WINDOW_MESSAGE, "date_out_of_range")
    return day.isoformat()


def _texts(value, name, errors) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors.add(name, "Send a list of texts.")
        return []
    items = [item.strip() for item in value if item.strip()]
    if len(items) > ITEMS_MAX:
        errors.add(name, f"At most {ITEMS_MAX} items.", "too_many")
    if any(len(item) > ITEM_MAX for item in items):
        errors.add(name, f"Each item has at most {ITEM_MAX} characters.", "max_length")
    return items


def _deliverables(value, previous: list[dict], errors) -> list[dict]:
    """Keep the keys of deliverables that stay, give new ones the next free key."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        errors.add("deliverables", "Send a list of deliverables.")
        return []
    known = {d["key"] for d in previous}
    numbers = [int(k[1:]) for k in known if k[1:].isdigit()]
    next_number = max(numbers, default=0) + 1
    cleaned, seen = [], set()
    if len(value) > DELIVERABLES_MAX:
        errors.add("deliverables", f"At most {DELIVERABLES_MAX} deliverables.", "too_many")
    for position, item in enumerate(value, start=1):
        key = item.get("key") or ""
        if key:
            if key not in known or key in seen:
                errors.add("deliverables", f"Deliverable {position}: unknown key “{key}”.")
                continue
        else:
            key, next_number = f"d{next_number}", next_number + 1
        seen.add(key)
        title = item.get("title")
        description = item.get("description") or ""
        if not isinstance(title, str) or not title.strip():
            errors.add("deliverables", f"Deliverable {position}: give it a title.", "required")
            continue
        if len(title.strip()) > TITLE_MAX or not isinstance(description, str):
            errors.add("deliverables", f"Deliverable {position}: the title is too long.")
            continue
        if len(description) > DESCRIPTION_MAX:
            errors.add(
                "deliverables",
                f"Deliverable {position}: at most {DESCRIPTION_MAX:,} characters of description.",
                "max_length",
            )
        due_on = _date(item.get("due_on"), "deliverables", errors, nullable=True)
        cleaned.append(
            {
                "key": key,
                "title": title.strip(),
                "description": description.replace("\r\n", "\n").strip(),
                "due_on": due_on,
            }
        )
    return cleaned


def changed(base: dict, changes: dict) -> dict:
    """The base terms with the changes applied, checked field by field. Raises one
    ValidationError with every problem, keyed by field. Unknown or non-editable fields are
    refused rather than ignored, so an API client learns about its typo."""
    errors = _Errors()
    if not isinstance(changes, dict):
        raise ValidationError({"__all__": [ValidationError("Send the changes as an object.")]})
    for name in changes:
        if name not in EDITABLE:
            errors.add(name, "This term cannot be changed here.", "not_editable")
    terms = dict(base)
    for name, value in changes.items():
        if name not in EDITABLE:
            continue
        if name in ("objectives", "learning_goals"):
            terms[name] = _texts(value, name, errors)
        elif name == "deliverables":
            terms[name] = _deliverables(value, base.get("deliverables") or [], errors)
        elif name in ("starts_on", "ends_on"):
            terms[name] = _date(value, name, errors)
        elif name in ("hours_per_week", "student_hours_per_week"):
            terms[name] = _integer(value, name, errors, low=1, high=HOURS_PER_WEEK_MAX)
        elif name in ("response_time_hours", "student_response_time_hours"):
            terms[name] = _integer(value, name, errors, low=1, high=RESPONSE_HOURS_MAX)
        elif name == "estimated_hours":
            terms[name] = _integer(value, name, errors, low=1)
        elif name == "compensation_amount":
            terms[name] = _integer(value, name, errors, low=0)
        elif name == "currency":
            if not isinstance(value, str) or not money.is_currency(value.upper()):
                errors.add(name, "Enter an ISO 4217 currency code such as EUR.")
            else:
                terms[name] = value.upper()
        elif name == "checkin_cadence":
            if value not in Project.Cadence.values:
                errors.add(name, "Choose " + ", ".join(Project.Cadence.values) + ".")
            terms[name] = value
        elif name == "checkin_weekday":
            terms[name] = _integer(value, name, errors, low=0, high=6)
        elif name == "checkin_time":
            try:
                terms[name] = _time(value if isinstance(value, str) else "")
            except ValueError:
                errors.add(name, "Enter a time as HH:MM.")
    starts_on, ends_on = terms.get("starts_on"), terms.get("ends_on")
    if not errors and starts_on and ends_on and ends_on < starts_on:
        errors.add("ends_on", "The end cannot come before the start.", "before_start")
    elif (
        not errors
        and starts_on
        and ends_on
        and span_too_long(
            datetime.date.fromisoformat(starts_on), datetime.date.fromisoformat(ends_on)
        )
    ):
        errors.add("ends_on", SPAN_MESSAGE, "too_long")
    if errors:
        raise ValidationError(dict(errors))
    if terms == base:
        raise ValidationError(
            {"__all__": [ValidationError("These terms are the same as now.", code="unchanged")]}
        )
    return terms


@dataclass
class FieldChange:
    field: str
    label: str
    before: object
    after: object


@dataclass
class DeliverableChange:
    key: str
    title: str
    changes: list[FieldChange]


@dataclass
class TermsDiff:
    fields: list[FieldChange] = field(default_factory=list)
    deliverables_added: list[dict] = field(default_factory=list)
    deliverables_removed: list[dict] = field(default_factory=list)
    deliverables_changed: list[DeliverableChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.fields
            or self.deliverables_added
            or self.deliverables_removed
            or self.deliverables_changed
        )


def diff(before: dict, after: dict) -> TermsDiff:
    """Field by field; deliverables matched by key (added, removed, changed attributes)."""
    result = TermsDiff()
    for name, label in LABELS.items():
        if name == "deliverables":
            continue
        if before.get(name) != after.get(name):
            result.fields.append(FieldChange(name, label, before.get(name), after.get(name)))
    old = {d["key"]: d for d in before.get("deliverables") or []}
    new = {d["key"]: d for d in after.get("deliverables") or []}
    result.deliverables_added = [d for key, d in new.items() if key not in old]
    result.deliverables_removed = [d for key, d in old.items() if key not in new]
    for key, d in new.items():
        if key in old:
            changes = [
                FieldChange(attr, attr.replace("_", " ").capitalize(), old[key][attr], d[attr])
                for attr in DELIVERABLE_ATTRIBUTES
                if old[key].get(attr) != d.get(attr)
            ]
            if changes:
                result.deliverables_changed.append(DeliverableChange(key, d["title"], changes))
    return result


def display(terms: dict) -> dict:
    """The terms with the values people read: money formatted, the cadence and day named."""
    amount = terms.get("compensation_amount")
    weekday = terms.get("checkin_weekday")
    cadence = terms.get("checkin_cadence")
    return {
        **terms,
        # Publishing needs a pay amount or the explicit unpaid choice, so no amount is unpaid.
        "compensation": money.format_money(amount, terms["currency"]) if amount else UNPAID_LABEL,
        "checkin": " ".join(
            part
            for part in (
                Project.Cadence(cadence).label if cadence in Project.Cadence.values else "",
                f"on {Project.Weekday(weekday).label}" if weekday is not None else "",
                f"at {terms.get('checkin_time')}" if terms.get("checkin_time") else "",
            )
            if part
        ),
    }
