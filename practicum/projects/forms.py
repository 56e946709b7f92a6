"""The project pages' forms.

ProjectForm parses what the edit page sends; services hold every rule, so the page and the API
refuse the same things with the same messages. Deliverables arrive as parallel lists
(`deliverable_title`, `deliverable_due_on`, `deliverable_description`, one entry per row) and
skills as `skill_id`, `skill_level`, `skill_kind`. Rows are plain dataclasses the template
renders, so they keep exactly what was typed when a save is refused.

ProjectFilterForm validates discovery's query string for the page and the API alike.
"""

from dataclasses import dataclass, field
from itertools import zip_longest

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from practicum.core.forms import DateField, LineField, TextField, errors_by_field
from practicum.core.timezones import TimezoneField
from practicum.profiles.models import StudentSkill
from practicum.projects import money, selectors, services
from practicum.projects.models import Project
from practicum.projects.selectors import ProjectFilters, Sort
from practicum.skills.models import Skill, SkillCategory

SKILL_KINDS = [("required", "Required"), ("preferred", "Preferred")]

# Buttons that change the rows without saving: with JavaScript the script does it in place;
# without, the page comes back with the change made and nothing saved yet.
ROW_ACTIONS = ("add_deliverable", "remove_deliverable", "remove_skill")

# The form's name for a service field, where they differ.
FORM_FIELD = {"compensation_amount": "compensation"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class LinesField(TextField):
    """A list of strings edited as a textarea, one item per line."""

    def __init__(self, *, rows=4, **kwargs):
        super().__init__(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        return [line.strip() for line in super().to_python(value).splitlines() if line.strip()]


@dataclass
class DeliverableRow:
    title: str = ""
    due_on: str = ""
    description: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not (self.title or self.due_on or self.description)


@dataclass
class SkillRow:
    skill_id: str
    level: str
    kind: str  # "required" or "preferred"
    name: str
    errors: list[str] = field(default_factory=list)


class ProjectForm(forms.Form):
    title = LineField(
        max_length=services.TITLE_MAX,
        help_text="What the student will do, e.g. “Analyse our customer survey”.",
    )
    summary = LineField(
        required=False,
        max_length=services.SUMMARY_MAX,
        help_text="One or two sentences shown in search results.",
    )
    description = TextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": services.DESCRIPTION_MAX}),
        help_text=(
            "Markdown: **bold**, _italic_, lists and [links](https://example.org). "
            f"At most {services.DESCRIPTION_MAX:,} characters."
        ),
    )
    objectives = LinesField(
        required=False,
        help_text=f"One per line, in order. At most {services.OBJECTIVES_MAX}.",
    )
    learning_outcomes = LinesField(
        label="What the student will learn",
        required=False,
        help_text=f"One per line. At most {services.LEARNING_OUTCOMES_MAX}.",
    )
    screening_questions = LinesField(
        rows=3,
        required=False,
        help_text=(
            f"Questions every applicant answers, one per line. "
            f"At most {services.SCREENING_QUESTIONS_MAX}."
        ),
    )
    starts_on = DateField(label="Start date", required=False, widget=DateInput())
    ends_on = DateField(label="End date", required=False, widget=DateInput())
    application_deadline = DateField(
        required=False,
        widget=DateInput(),
        help_text="The last day to apply: on or before the start date.",
    )
    estimated_hours = forms.IntegerField(
        label="Estimated hours in total",
        required=False,
        min_value=services.ESTIMATED_HOURS_MIN,
        max_value=services.ESTIMATED_HOURS_MAX,
    )
    hours_per_week = forms.IntegerField(
        required=False,
        min_value=services.HOURS_PER_WEEK_MIN,
        max_value=services.HOURS_PER_WEEK_MAX,
        help_text="The weeks between the dates must leave room for the estimated hours.",
    )
    compensation = forms.DecimalField(
        label="Compensation for the whole project",
        required=False,
        max_digits=15,
        decimal_places=3,
        help_text="A fixed amount, e.g. 600.00.",
    )
    currency = forms.ChoiceField(choices=money.CURRENCY_CHOICES, initial="EUR")
    unpaid = forms.BooleanField(
        label="Unpaid — for academic credit",
        required=False,
        help_text="No pay: students see the project as unpaid, for academic credit. Leave the "
        "compensation empty.",
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=services.CAPACITY_MIN,
        max_value=services.CAPACITY_MAX,
        initial=1,
        help_text="How many students you will take on.",
    )
    work_mode = forms.ChoiceField(choices=Project.WorkMode.choices, initial="remote")
    location = LineField(
        required=False,
        max_length=services.LOCATION_MAX,
        help_text="Needed for on-site and hybrid projects, e.g. “Rotterdam, NL”.",
    )
    timezone = TimezoneField(initial="UTC")
    mentor = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The member of your organization who guides the student.",
    )
    checkin_cadence = forms.ChoiceField(
        label="Check-ins", choices=Project.Cadence.choices, initial="weekly"
    )
    checkin_weekday = forms.TypedChoiceField(
        label="Check-in day", coerce=int, choices=Project.Weekday.choices, initial=0
    )
    checkin_time = forms.TimeField(
        label="Check-in time",
        initial="10:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In the project's time zone.",
    )
    response_time_hours = forms.IntegerField(
        label="We answer questions within (hours)",
        min_value=services.RESPONSE_TIME_MIN,
        max_value=services.RESPONSE_TIME_MAX,
        initial=24,
    )

    deliverables_max = services.DELIVERABLES_MAX
    skills_max = services.SKILLS_MAX

    def __init__(self, data=None, *, organization, project: Project | None = None, locked=()):
        """`locked`: service fields that may not change (the terms, once an offer is made)."""
        initial = None
        if project is not None:
            # Bound forms need it too: disabled (locked) fields take their value from it.
            initial = services.current_data(project)
            if initial["compensation_amount"] is not None:
                initial["compensation"] = money.to_major(
                    initial["compensation_amount"], initial["currency"]
                )
        super().__init__(data, initial=initial)
        self.organization = organization
        self.locked = set(locked)
        self.fields["mentor"].choices = [
            ("", "Choose later"),
            *selectors.mentor_choices(organization),
        ]
        for name in self.locked:
            if FORM_FIELD.get(name, name) in self.fields:
                self.fields[FORM_FIELD.get(name, name)].disabled = True
        self.section_errors: dict[str, list[str]] = {"deliverables": [], "skills": []}
        self.publish_refused = False
        if data is None:
            stored = initial or {"deliverables": [], "skills": []}
            names = {s.skill_id: s.skill.name for s in project.skills.all()} if project else {}
            self.deliverable_rows = [
                DeliverableRow(
                    d["title"], d["due_on"].isoformat() if d["due_on"] else "", d["description"]
                )
                for d in stored["deliverables"]
            ]
            self.skill_rows = [
                SkillRow(
                    str(s["skill"]),
                    str(s["min_level"]),
                    "required" if s["is_required"] else "preferred",
                    names[s["skill"]],
                )
                for s in stored["skills"]
            ]
        else:
            self.deliverable_rows = [
                DeliverableRow(title.strip(), due.strip(), description.strip())
                for title, due, description in zip_longest(
                    data.getlist("deliverable_title"),
                    data.getlist("deliverable_due_on"),
                    data.getlist("deliverable_description"),
                    fillvalue="",
                )
            ]
            self.skill_rows = self._skill_rows_from(data)
        # An empty row to fill in, so a deliverable can be given without JavaScript.
        if not self.deliverable_rows and "deliverables" not in self.locked:
            self.deliverable_rows.append(DeliverableRow())

    @staticmethod
    def _skill_rows_from(data) -> list[SkillRow]:
        triples = [
            (skill_id.strip(), level.strip(), kind.strip())
            for skill_id, level, kind in zip_longest(
                data.getlist("skill_id"),
                data.getlist("skill_level"),
                data.getlist("skill_kind"),
                fillvalue="",
            )
            if skill_id.strip()
        ]
        names = dict(
            Skill.objects.filter(
                pk__in=[int(pk) for pk, _, _ in triples if pk.isdigit()]
            ).values_list("pk", "name")
        )
        return [
            SkillRow(pk, level, kind, (pk.isdigit() and names.get(int(pk))) or "Unknown skill")
            for pk, level, kind in triples
        ]

    @property
    def level_choices(self):
        return StudentSkill.Level.choices

    @property
    def kind_choices(self):
        return SKILL_KINDS

    @property
    def has_any_errors(self) -> bool:
        return bool(
            self.errors
            or any(self.section_errors.values())
            or any(row.errors for row in [*self.deliverable_rows, *self.skill_rows])
        )

    def apply_row_action(self) -> bool:
        """Carry out a no-JavaScript row button; True when one was pressed (then don't save)."""
        action = next((name for name in ROW_ACTIONS if name in self.data), None)
        if action is None:
            return False
        if action == "add_deliverable":
            self.deliverable_rows.append(DeliverableRow())
            return True
        rows = self.deliverable_rows if action == "remove_deliverable" else self.skill_rows
        index = self.data.get(action, "")
        if index.isdigit() and int(index) < len(rows):
            del rows[int(index)]
        return True

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("compensation")
        if amount is not None and "compensation_amount" not in self.locked:
            try:
                cleaned["compensation_amount"] = money.to_minor(amount, cleaned.get("currency"))
            except ValueError as exc:
                self.add_error("compensation", f"{exc}.")
        return cleaned

    def to_data(self) -> dict:
        """What the services need; call after is_valid(). Blank deliverable rows are left out,
        and so are the locked fields."""
        self._submitted_deliverables = [row for row in self.deliverable_rows if not row.is_blank]
        data = {name: self.cleaned_data[name] for name in self.fields if name != "compensation"}
        data["compensation_amount"] = self.cleaned_data.get("compensation_amount")
        data["deliverables"] = [
            {"title": row.title, "description": row.description, "due_on": row.due_on or None}
            for row in self._submitted_deliverables
        ]
        data["skills"] = [
            {
                "skill": row.skill_id,
                "min_level": row.level,
                "is_required": row.kind != "preferred",
            }
            for row in self.skill_rows
        ]
        return {name: value for name, value in data.items() if name not in self.locked}

    def show_publish_problems(self, exc: ValidationError) -> None:
        """Show publish_project's problems on an unbound form of the stored project."""
        # An unbound form has no errors or cleaned data to add to until it is "cleaned".
        self.full_clean()
        self.cleaned_data = {}
        self.publish_refused = True
        self.apply_service_errors(exc)

    def apply_service_errors(self, exc: ValidationError) -> None:
        """Show a service's errors: a row's own next to the row, the rest by the field."""
        if not hasattr(exc, "error_dict"):
            errors_by_field(self, exc)
            return
        errors = dict(exc.error_dict)
        submitted = getattr(self, "_submitted_deliverables", self.deliverable_rows)
        sections = {"deliverables": submitted, "skills": self.skill_rows}
        for section, rows in sections.items():
            for error in errors.pop(section, []):
                index = (error.params or {}).get("index")
                target = rows[index].errors if index is not None and index < len(rows) else None
                (target if target is not None else self.section_errors[section]).extend(error)
        errors_by_field(
            self,
            ValidationError({FORM_FIELD.get(name, name): errs for name, errs in errors.items()}),
        )


class ProjectFilterForm(forms.Form):
    """Discovery's filters, read from the query string. Only valid filters are applied."""

    q = LineField(
        label="Search",
        required=False,
        max_length=selectors.SEARCH_MAX_LENGTH,
        help_text='Words to find; "an exact phrase"; -word to leave out.',
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.order_by("name"),
        required=False,
        error_messages={
            "invalid_choice": "There is no skill with the id %(value)s.",
            "invalid_pk_value": "“%(pk)s” is not a skill id.",
        },
    )
    category = forms.ModelChoiceField(
        label="Skill category",
        queryset=SkillCategory.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Any category",
        error_messages={"invalid_choice": "There is no such skill category."},
    )
    max_hours_per_week = forms.IntegerField(
        label="Hours per week, at most", required=False, min_value=1, max_value=80
    )
    min_weeks = forms.IntegerField(
        label="Lasts at least (weeks)", required=False, min_value=1, max_value=104
    )
    max_weeks = forms.IntegerField(
        label="Lasts at most (weeks)", required=False, min_value=1, max_value=104
    )
    min_pay = forms.DecimalField(
        label="Pay from", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    max_pay = forms.DecimalField(
        label="Pay up to", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    work_mode = forms.ChoiceField(choices=[("", "Any"), *Project.WorkMode.choices], required=False)
    starts_from = DateField(label="Starting from", required=False, widget=DateInput())
    starts_to = DateField(label="Starting by", required=False, widget=DateInput())
    # A text box, not a list of every organization (there are thousands): type a name (or a
    # slug) and submit; with JavaScript HTMX fills its <datalist> with a few suggestions.
    organization = LineField(
        required=False,
        max_length=200,
        help_text="Its name, e.g. “Acme”.",
        widget=forms.TextInput(
            attrs={
                "list": "organization-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("projects:suggest_organizations"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#organization-suggestions",
                "hx-swap": "innerHTML",
                "hx-push-url": "false",
                "hx-sync": "this:replace",
            }
        ),
    )
    sort = forms.ChoiceField(
        label="Sort by", choices=[*Sort.CHOICES, Sort.FIT_CHOICE], required=False
    )

    RANGES = (
        ("min_weeks", "max_weeks", "“Lasts at least” must not be more than “Lasts at most”."),
        ("min_pay", "max_pay", "“Pay from” must not be more than “Pay up to”."),
        ("starts_from", "starts_to", "“Starting from” must be on or before “Starting by”."),
    )

    def __init__(self, data=None, *, offer_fit: bool = False):
        """`offer_fit`: the "best fit" sort, for students (it needs their profile)."""
        super().__init__(data)
        self.offer_fit = offer_fit
        if not offer_fit:
            # Hidden from the menu but still a known value, so asking for it gets a message
            # that says why (clean_sort) rather than "not one of the available choices".
            self.fields["sort"].widget.choices = Sort.CHOICES

    def clean_sort(self):
        sort = self.cleaned_data["sort"]
        if sort == Sort.FIT and not self.offer_fit:
            raise ValidationError(
                "Sorting by best fit needs your student profile: log in with a student account.",
                code="fit_for_students",
            )
        return sort

    def clean_organization(self):
        """The organization's slug, found by slug (links, the API) or by name as typed."""
        typed = self.cleaned_data["organization"]
        if not typed:
            return ""
        slug = selectors.organization_slug_for(typed)
        if slug is None:
            raise ValidationError(
                "There is no organization called “%(name)s”.", params={"name": typed}
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        for low, high, message in self.RANGES:
            lowest, highest = cleaned.get(low), cleaned.get(high)
            if lowest is not None and highest is not None and lowest > highest:
                # Neither end of a reversed range is applied: which one is wrong is a guess.
                self.add_error(high, message)
                del cleaned[low]
        return cleaned

    def to_filters(self) -> ProjectFilters:
        """The valid filters (after is_valid(), whatever it said)."""
        data = self.cleaned_data
        return ProjectFilters(
            q=data.get("q") or "",
            skills=[skill.pk for skill in data.get("skills") or []],
            category=data["category"].slug if data.get("category") else "",
            max_hours_per_week=data.get("max_hours_per_week"),
            min_weeks=data.get("min_weeks"),
            max_weeks=data.get("max_weeks"),
            min_pay=data.get("min_pay"),
            max_pay=data.get("max_pay"),
            work_mode=data.get("work_mode") or "",
            starts_from=data.get("starts_from"),
            starts_to=data.get("starts_to"),
            organization=data.get("organization") or "",
            sort=data.get("sort") or "",
        )

    def selected_skills(self) -> list[Skill]:
        # The field's validation already ran this queryset, so listing it costs no query.
        return list(self.cleaned_data.get("skills") or [])
