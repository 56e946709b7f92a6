"""Writes for projects. Each function is one transaction and checks who may do it.

A project's fields travel as a mapping of FIELDS (what the edit page and the API both send):
scalars as on the model (`mentor` is the user's id, `compensation_amount` is in minor units),
`deliverables` as [{"title", "description", "due_on"}] and `skills` as
[{"skill" (id), "min_level" (1–4), "is_required"}], both in display order.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from practicum.accounts.models import Membership, Organization, User
from practicum.core.cleaning import (
    DATE_WINDOW_MESSAGE,
    SPAN_MESSAGE,
    Cleaner,
    as_date,
    as_int,
    in_date_window,
    shorten,
    span_too_long,
)
from practicum.core.errors import Conflict, Refused
from practicum.projects import money, selectors
from practicum.projects.models import Deliverable, Project, ProjectSkill
from practicum.projects.search import fold, store_documents
from practicum.skills.models import Skill

# Limits shown in help texts too, so the form and the rules cannot drift apart.
TITLE_MAX = 200
SUMMARY_MAX = 300
DESCRIPTION_MAX = 20_000
LOCATION_MAX = 200
OBJECTIVES_MAX, LEARNING_OUTCOMES_MAX, SCREENING_QUESTIONS_MAX = 10, 10, 3
LIST_ITEM_MAX = 300
DELIVERABLES_MAX = 20
DELIVERABLE_TITLE_MAX, DELIVERABLE_DESCRIPTION_MAX = 200, 5_000
SKILLS_MAX = 20
ESTIMATED_HOURS_MIN, ESTIMATED_HOURS_MAX = 1, 1_000
HOURS_PER_WEEK_MIN, HOURS_PER_WEEK_MAX = 1, 60
CAPACITY_MIN, CAPACITY_MAX = 1, 100
RESPONSE_TIME_MIN, RESPONSE_TIME_MAX = 1, 168
SKILL_LEVEL_MIN, SKILL_LEVEL_MAX = 1, 4

SCALAR_FIELDS = (
    "title",
    "summary",
    "description",
    "objectives",
    "learning_outcomes",
    "screening_questions",
    "starts_on",
    "ends_on",
    "application_deadline",
    "estimated_hours",
    "hours_per_week",
    "compensation_amount",
    "currency",
    "unpaid",
    "capacity",
    "work_mode",
    "location",
    "timezone",
    "mentor",
    "checkin_cadence",
    "checkin_weekday",
    "checkin_time",
    "response_time_hours",
)
FIELDS = (*SCALAR_FIELDS, "deliverables", "skills")

# Once an offer is made the agreement is drafted from these, so the posting may no longer move
# under the student's feet. The application deadline is not among them: extending it to find
# another student changes nothing for the one who has the offer.
TERMS_FIELDS = (
    "starts_on",
    "ends_on",
    "deliverables",
    "estimated_hours",
    "hours_per_week",
    "compensation_amount",
    "currency",
    "unpaid",
)

# Publishing needs these; a draft may leave them empty.
REQUIRED_TO_PUBLISH = {
    "summary": "Add a one-line summary.",
    "description": "Describe the project.",
    "starts_on": "Give the start date.",
    "ends_on": "Give the end date.",
    "application_deadline": "Give the application deadline.",
    "estimated_hours": "Estimate the hours the work takes.",
    "hours_per_week": "Give the hours per week.",
    "mentor": "Choose the mentor who will guide the student.",
}


def _default_data() -> dict[str, Any]:
    defaults = {name: Project._meta.get_field(name).get_default() for name in SCALAR_FIELDS}
    defaults["mentor"] = None
    defaults["checkin_time"] = datetime.time(10, 0)
    return defaults | {"deliverables": [], "skills": []}


def current_data(project: Project) -> dict[str, Any]:
    """The project's stored values for every field, in the shape the services accept."""
    values = {name: getattr(project, name) for name in SCALAR_FIELDS if name != "mentor"}
    values["mentor"] = project.mentor_id
    if isinstance(values["checkin_time"], str):  # the field's default before a reload
        values["checkin_time"] = datetime.time.fromisoformat(values["checkin_time"])
    values["deliverables"] = [
        {"title": d.title, "description": d.description, "due_on": d.due_on}
        for d in project.deliverables.all()
    ]
    values["skills"] = [
        {"skill": s.skill_id, "min_level": s.min_level, "is_required": s.is_required}
        for s in project.skills.all()
    ]
    return values


def _check_may_manage(user, project: Project) -> None:
    if not user.has_perm("projects.manage_project", project):
        raise Refused("not_a_member", "Only members of the project's organization can manage it.")


def _merged(base: dict[str, Any], data: Mapping) -> dict[str, Any]:
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationError({name: "This field does not exist." for name in unknown})
    return base | dict(data)


@transaction.atomic
def create_project(organization: Organization, *, by, data: Mapping) -> Project:
    """Save a new draft for the organization; any of its members (owner or mentor) may.

    A draft is checked for types and lengths only (the title is the one thing it needs); the
    rest waits for publish_project. Fields left out of `data` get their defaults.
    """
    if not by.has_perm("projects.add_project", organization):
        raise Refused("not_a_member", f"Only members of {organization.name} can post its projects.")
    cleaned = _Cleaner(_merged(_default_data(), data)).clean()
    project = Project(organization=organization, created_by=by, status=Project.Status.DRAFT)
    _write(project, cleaned, deliverables_changed=True, skills_changed=True)
    return project


def update_project(project: Project, *, by, data: Mapping) -> Project:
    """Change some fields of a project (those left out of `data` keep their value); members only.

    A draft is checked for types and lengths only. A published project must stay publishable
    (every rule of publish_project but "the deadline has not passed", unless the deadline is what
    changes). Once an offer has been made on the project its dates, deliverables, hours and pay
    (TERMS_FIELDS) are fixed: changing them is a Conflict ("locked_after_offer"). Archived
    projects are not edited.
    """
    _check_may_manage(by, project)
    with transaction.atomic():
        # Locked so an offer made meanwhile cannot slip between the check and the write.
        locked = (
            selectors.projects_with_details().select_for_update(of=("self",)).get(pk=project.pk)
        )
        if locked.status == Project.Status.ARCHIVED:
            raise Conflict("archived", "An archived project can no longer be edited.")
        current = current_data(locked)
        cleaned = _Cleaner(_merged(current, data)).clean()
        changed = {name for name in FIELDS if cleaned[name] != current[name]}
        terms_changed = [name for name in TERMS_FIELDS if name in changed]
        if terms_changed and selectors.has_offer(locked):
            raise Conflict(
                "locked_after_offer",
                "An offer has been made on this project, so its dates, deliverables, hours and "
                "pay can no longer be changed here: they change through an agreement amendment "
                "once the agreement exists.",
                fields={
                    name: ["Fixed since an offer was made on this project."]
                    for name in terms_changed
                },
            )
        if locked.status != Project.Status.DRAFT:
            problems = publish_problems(
                cleaned,
                organization=locked.organization,
                today=timezone.localdate(),
                check_deadline_ahead="application_deadline" in changed,
            )
            if problems:
                raise ValidationError(problems)
        _write(
            locked,
            cleaned,
            deliverables_changed="deliverables" in changed,
            skills_changed="skills" in changed,
        )
    # Drops the deliverables and skills prefetched before the change, which no longer hold.
    locked.refresh_from_db()
    return locked


def _write(project: Project, cleaned: dict, *, deliverables_changed: bool, skills_changed: bool):
    for name in SCALAR_FIELDS:
        if name != "mentor":
            setattr(project, name, cleaned[name])
    project.mentor_id = cleaned["mentor"]
    project.updated_at = timezone.now()
    project.save()
    # Rows are replaced only when they change: deliverables are fixed once an offer exists,
    # which is also before anything else could refer to them.
    if deliverables_changed:
        project.deliverables.all().delete()
        Deliverable.objects.bulk_create(
            Deliverable(project=project, position=position, **item)
            for position, item in enumerate(cleaned["deliverables"])
        )
    if skills_changed:
        project.skills.all().delete()
        ProjectSkill.objects.bulk_create(
            ProjectSkill(
                project=project,
                skill_id=item["skill"],
                min_level=item["min_level"],
                is_required=item["is_required"],
            )
            for item in cleaned["skills"]
        )
        index_skills(project)


def index_skills(project: Project) -> None:
    """Keep the folded names of the project's skills where discovery searches them."""
    names = (
        Skill.objects.filter(pk__in=ProjectSkill.objects.filter(project=project).values("skill"))
        .order_by("name")
        .values_list("name", flat=True)
    )
    project.search_skills = fold(" ".join(names))
    Project.objects.filter(pk=project.pk).update(search_skills=project.search_skills)
    store_documents(Project.objects.filter(pk=project.pk))


def publish_problems(
    values: Mapping[str, Any],
    *,
    organization: Organization,
    today: datetime.date,
    check_deadline_ahead: bool = True,
) -> dict[str, list[ValidationError]]:
    """Everything that stops these (type-checked) values from being published, by field.

    Empty when the project may be published. Messages about one deliverable carry its position
    in `params["index"]` (0-based), so a form can show them next to the right row.
    """
    problems: dict[str, list[ValidationError]] = {}

    def problem(field: str, message: str, code: str, **params) -> None:
        problems.setdefault(field, []).append(
            ValidationError(message, code=code, params=params or None)
        )

    for field, message in REQUIRED_TO_PUBLISH.items():
        if values[field] in (None, ""):
            problem(field, message, "required")
    if values["work_mode"] != Project.WorkMode.REMOTE and not values["location"]:
        problem("location", "Say where the work happens (on-site and hybrid projects).", "required")
    if not values["objectives"]:
        problem("objectives", "Add at least one objective.", "required")
    if not values["deliverables"]:
        problem("deliverables", "Add at least one deliverable.", "required")

    starts, ends, deadline = values["starts_on"], values["ends_on"], values["application_deadline"]
    dates_in_order = not (starts and ends and ends < starts)
    if not dates_in_order:
        problem(
            "ends_on",
            "The project ends (%(ends)s) before it starts (%(starts)s).",
            "dates_out_of_order",
            ends=_day(ends),
            starts=_day(starts),
        )
    if dates_in_order and span_too_long(starts, ends):
        problem("ends_on", SPAN_MESSAGE, "too_long")
    if deadline and starts and deadline > starts:
        problem(
            "application_deadline",
            "The application deadline (%(deadline)s) must be on or before the start date "
            "(%(starts)s).",
            "deadline_after_start",
            deadline=_day(deadline),
            starts=_day(starts),
        )
    if deadline and check_deadline_ahead and deadline < today:
        problem(
            "application_deadline",
            "The application deadline (%(deadline)s) has passed: choose today or a later date.",
            "deadline_passed",
            deadline=_day(deadline),
        )
    for index, item in enumerate(values["deliverables"]):
        params = {"index": index, "number": index + 1, "title": item["title"]}
        if item["due_on"] is None:
            problem(
                "deliverables",
                "Deliverable %(number)s (“%(title)s”) needs a due date.",
                "required",
                **params,
            )
        elif starts and ends and dates_in_order and not starts <= item["due_on"] <= ends:
            problem(
                "deliverables",
                "Deliverable %(number)s (“%(title)s”) is due on %(due)s, outside the project's "
                "dates (%(starts)s – %(ends)s).",
                "due_outside_dates",
                due=_day(item["due_on"]),
                starts=_day(starts),
                ends=_day(ends),
                **params,
            )

    hours, per_week = values["estimated_hours"], values["hours_per_week"]
    if starts and ends and dates_in_order and hours and per_week:
        days = (ends - starts).days + 1  # both dates are working days
        # hours_per_week × days / 7 ≥ hours, compared in whole numbers.
        if per_week * days < hours * 7:
            problem(
                "estimated_hours",
                "%(per_week)s hours a week for %(weeks)s weeks (%(days)s days) makes at most "
                "%(fits)s hours, fewer than the %(hours)s hours estimated: lengthen the project, "
                "raise the hours per week or lower the estimate.",
                "hours_do_not_fit",
                per_week=per_week,
                weeks=_number(days / 7),
                days=days,
                fits=_number(per_week * days / 7),
                hours=hours,
            )

    if (
        values["mentor"]
        and not Membership.objects.filter(
            organization=organization, user_id=values["mentor"]
        ).exists()
    ):
        problem(
            "mentor",
            "The mentor must be a member of %(organization)s.",
            "mentor_not_member",
            organization=organization.name,
        )
    amount = values["compensation_amount"]
    if amount is not None and amount < 0:
        problem("compensation_amount", "Compensation cannot be negative.", "negative")
    elif values["unpaid"] and amount:
        problem(
            "compensation_amount",
            "An unpaid project has no compensation amount: clear it, or untick “unpaid”.",
            "unpaid_with_amount",
        )
    elif not values["unpaid"] and not amount:
        problem(
            "compensation_amount",
            "Give the compensation, or choose “unpaid — for academic credit”.",
            "required",
        )
    return problems


def _day(value: datetime.date) -> str:
    return date_format(value, "j M Y")


def _number(value: float) -> str:
    """3.857… → "3.9", 4.0 → "4"."""
    return f"{round(value, 1):g}"


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_related("organization")
        .select_for_update(of=("self",))
        .get(pk=project.pk)
    )


def release_mentor(sender, organization, user, **kwargs) -> None:
    """Receiver of accounts.signals.member_removed: projects the person mentored have no mentor
    until a member chooses one (publishing needs one)."""
    Project.objects.filter(organization=organization, mentor=user).update(mentor=None)


def count_place(project: Project, *, taken: int) -> Project:
    """One place taken (+1) or given back (-1). The engagement lifecycle calls this with the
    project's row locked (an acceptance, a cancellation), so the count stays exact."""
    project.places_taken = max(project.places_taken + taken, 0)
    project.save(update_fields=["places_taken"])
    return project


class _Cleaner(Cleaner):
    """Checks the type and length of every field, collecting all messages, and returns the
    values to store. Nothing here depends on the other fields: that is publish_problems."""

    def clean(self) -> dict[str, Any]:
        cleaned = {
            "title": self.text("title", TITLE_MAX),
            "summary": self.text("summary", SUMMARY_MAX),
            "description": self.text("description", DESCRIPTION_MAX, multiline=True),
            "objectives": self.lines("objectives", "Objective", OBJECTIVES_MAX),
            "learning_outcomes": self.lines(
                "learning_outcomes", "Learning outcome", LEARNING_OUTCOMES_MAX
            ),
            "screening_questions": self.lines(
                "screening_questions", "Screening question", SCREENING_QUESTIONS_MAX
            ),
            "starts_on": self.date("starts_on"),
            "ends_on": self.date("ends_on"),
            "application_deadline": self.date("application_deadline"),
            "estimated_hours": self.number(
                "estimated_hours", ESTIMATED_HOURS_MIN, ESTIMATED_HOURS_MAX
            ),
            "hours_per_week": self.number("hours_per_week", HOURS_PER_WEEK_MIN, HOURS_PER_WEEK_MAX),
            "compensation_amount": self.number(
                "compensation_amount", -money.MAX_MINOR_UNITS, money.MAX_MINOR_UNITS
            ),
            "currency": self.currency(),
            "unpaid": self.flag("unpaid"),
            "capacity": self.number("capacity", CAPACITY_MIN, CAPACITY_MAX, required=True),
            "work_mode": self.choice("work_mode", Project.WorkMode),
            "location": self.text("location", LOCATION_MAX),
            "timezone": self.timezone(),
            "mentor": self.mentor(),
            "checkin_cadence": self.choice("checkin_cadence", Project.Cadence),
            "checkin_weekday": self.choice("checkin_weekday", Project.Weekday),
            "checkin_time": self.time("checkin_time"),
            "response_time_hours": self.number(
                "response_time_hours", RESPONSE_TIME_MIN, RESPONSE_TIME_MAX, required=True
            ),
            "deliverables": self.deliverables(),
            "skills": self.skills(),
        }
        if not cleaned["title"] and "title" not in self.errors:
            self.error("title", "Give the project a title.", code="required")
        if self.errors:
            raise ValidationError(self.errors)
        return cleaned

    def lines(self, field: str, noun: str, max_count: int) -> list[str]:
        value = self.values[field]
        if not isinstance(value, list | tuple):
            self.error(field, "Enter a list of %(nouns)s.", nouns=noun.lower() + "s")
            return []
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.error(field, "%(noun)s %(number)s must be text.", noun=noun, number=index + 1)
            elif item.strip():
                items.append(item.strip())
        for index, item in enumerate(items):
            if len(item) > LIST_ITEM_MAX:
                self.error(
                    field,
                    "%(noun)s %(number)s (“%(value)s”) is longer than %(max)s characters.",
                    code="max_length",
                    noun=noun,
                    number=index + 1,
                    value=shorten(item),
                    max=LIST_ITEM_MAX,
                )
        self.at_most(field, len(items), max_count, noun.lower() + "s")
        return items

    def date(self, field: str) -> datetime.date | None:
        value = self.values[field]
        if value is None or value == "":
            return None
        day = as_date(value)
        if day is None:
            self.error(field, "Enter a date as YYYY-MM-DD.")
        elif not in_date_window(day):
            self.error(field, DATE_WINDOW_MESSAGE, code="date_out_of_range")
            return None
        return day

    def time(self, field: str) -> datetime.time:
        value = self.values[field]
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, str):
            try:
                return datetime.time.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(field, "Enter a time as HH:MM.")
        return datetime.time(10, 0)

    def number(self, field: str, low: int, high: int, *, required: bool = False) -> int | None:
        value = self.values[field]
        if value is None or value == "":
            if required:
                self.error(field, "This field is required.", code="required")
            return None
        number = as_int(value)
        if number is None or not low <= number <= high:
            self.error(
                field,
                "Enter a whole number between %(low)s and %(high)s.",
                code="out_of_range",
                low=f"{low:,}",
                high=f"{high:,}",
            )
            return None
        return number

    def flag(self, field: str) -> bool:
        value = self.values[field]
        if not isinstance(value, bool):
            self.error(field, "Enter true or false.")
            return False
        return value

    def currency(self) -> str:
        value = self.values["currency"]
        code = value.strip().upper() if isinstance(value, str) else value
        if not money.is_currency(code):
            self.error(
                "currency",
                "Choose a currency from the list (an ISO 4217 code such as EUR).",
                code="unknown_currency",
            )
            return "EUR"
        return code

    def choice(self, field: str, choices) -> Any:
        value = self.values[field]
        if isinstance(choices.values[0], int):
            value = as_int(value)
        if value not in choices.values:
            self.error(
                field,
                "Choose one of: %(choices)s.",
                choices=", ".join(str(label) for label in choices.labels),
            )
            return choices.values[0]
        return value

    def mentor(self) -> int | None:
        value = self.values["mentor"]
        if value is None or value == "":
            return None
        pk = as_int(value)
        # Only whether the user exists: belonging to the organization is a publishing rule.
        if pk is None or not User.objects.filter(pk=pk).exists():
            self.error("mentor", "Choose a mentor from the list.", code="unknown")
            return None
        return pk

    def rows(self, field: str, noun: str, max_count: int) -> list[Mapping]:
        value = self.values[field]
        if not isinstance(value, list | tuple) or not all(isinstance(v, Mapping) for v in value):
            self.error(field, "Enter a list of %(nouns)s.", nouns=noun + "s")
            return []
        self.at_most(field, len(value), max_count, noun + "s")
        return list(value)

    def deliverables(self) -> list[dict]:
        cleaned = []
        for index, row in enumerate(self.rows("deliverables", "deliverable", DELIVERABLES_MAX)):
            title = row.get("title", "")
            description = row.get("description", "")
            due_on = row.get("due_on")
            params = {"index": index, "number": index + 1}
            if not isinstance(title, str) or not title.strip():
                self.error(
                    "deliverables", "Deliverable %(number)s needs a title.", "required", **params
                )
                title = ""
            elif len(title.strip()) > DELIVERABLE_TITLE_MAX:
                self.error(
                    "deliverables",
                    "Deliverable %(number)s: the title has more than %(max)s characters.",
                    "max_length",
                    max=DELIVERABLE_TITLE_MAX,
                    **params,
                )
            if not isinstance(description, str):
                self.error(
                    "deliverables",
                    "Deliverable %(number)s: enter the description as text.",
                    **params,
                )
                description = ""
            description = description.replace("\r\n", "\n").strip()
            if len(description) > DELIVERABLE_DESCRIPTION_MAX:
                self.error(
                    "deliverables",
                    "Deliverable %(number)s: the description has more than %(max)s characters.",
                    "max_length",
                    max=f"{DELIVERABLE_DESCRIPTION_MAX:,}",
                    **params,
                )
            day = None if due_on in (None, "") else as_date(due_on)
            if due_on not in (None, "") and day is None:
                self.error(
                    "deliverables",
                    "Deliverable %(number)s: enter the due date as YYYY-MM-DD.",
                    **params,
                )
            cleaned.append({"title": title.strip(), "description": description, "due_on": day})
        return cleaned

    def skills(self) -> list[dict]:
        rows = self.rows("skills", "skill", SKILLS_MAX)
        ids = [as_int(row.get("skill")) for row in rows]
        known = set(Skill.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", flat=True))
        cleaned, seen = [], set()
        for index, (row, skill) in enumerate(zip(rows, ids, strict=True)):
            params = {"index": index, "number": index + 1}
            level = as_int(row.get("min_level"))
            required = row.get("is_required", True)
            if skill not in known:
                self.error("skills", "Skill %(number)s: choose a skill from the list.", **params)
                continue
            if skill in seen:
                self.error("skills", "Skill %(number)s is listed twice.", "duplicate", **params)
                continue
            seen.add(skill)
            if level is None or not SKILL_LEVEL_MIN <= level <= SKILL_LEVEL_MAX:
                self.error(
                    "skills",
                    "Skill %(number)s: the minimum level must be between %(low)s and %(high)s.",
                    "out_of_range",
                    low=SKILL_LEVEL_MIN,
                    high=SKILL_LEVEL_MAX,
                    **params,
                )
                continue
            if not isinstance(required, bool):
                self.error("skills", "Skill %(number)s: say whether it is required.", **params)
                continue
            cleaned.append({"skill": skill, "min_level": level, "is_required": required})
        return cleaned


def count_view(project: Project) -> None:
    """One more view of the project's page (one UPDATE; no row lock, no read)."""
    Project.objects.filter(pk=project.pk).update(view_count=F("view_count") + 1)
