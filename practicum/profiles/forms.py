"""The profile edit page's form: it parses what the browser sends; services.update_profile
holds every rule, so the page and the API refuse the same things with the same messages.

Skills arrive as two parallel lists, `skill_id` and `skill_level` (one entry per row);
availability windows as `window_start` and `window_end`. Rows are plain dataclasses the
template renders, so they keep exactly what the student typed when a save is refused.
"""

from dataclasses import dataclass, field
from itertools import zip_longest

from django import forms
from django.core.exceptions import ValidationError

from practicum.accounts.models import Institution
from practicum.core.forms import LineField, PictureField, TextField, errors_by_field
from practicum.core.timezones import TimezoneSelect, timezone_choices
from practicum.profiles import services
from practicum.profiles.models import StudentSkill
from practicum.skills.models import Skill

# Buttons that change the rows without saving: with JavaScript the script does it in place;
# without, the page comes back with the change made and nothing saved yet.
ROW_ACTIONS = ("remove_skill", "add_window", "remove_window")


class LinesField(TextField):
    """A list of strings edited as a textarea, one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        return [line.strip() for line in super().to_python(value).splitlines() if line.strip()]


class PortfolioLinksField(LinesField):
    """Links edited one per line: a label, then the web address (the line's last word)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(
                " ".join(part for part in (link.get("label", ""), link.get("url", "")) if part)
                if isinstance(link, dict)
                else str(link)
                for link in value
            )
        return value

    def to_python(self, value):
        links = []
        for line in super().to_python(value):
            label, _, url = line.rpartition(" ")
            links.append({"label": label.strip(), "url": url})
        return links


@dataclass
class SkillRow:
    skill_id: str
    level: str
    name: str
    errors: list[str] = field(default_factory=list)


@dataclass
class WindowRow:
    starts_on: str
    ends_on: str
    errors: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not (self.starts_on or self.ends_on)


class ProfileForm(forms.Form):
    headline = LineField(
        required=False,
        widget=forms.TextInput(attrs={"maxlength": services.HEADLINE_MAX}),
        help_text="One line that sums you up, e.g. “Data science student who loves maps”.",
    )
    about = TextField(
        label="About you",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": services.ABOUT_MAX}),
        help_text=(
            f"Markdown: **bold**, _italic_, lists and [links](https://example.org). "
            f"At most {services.ABOUT_MAX:,} characters."
        ),
    )
    institution = LineField(
        required=False,
        widget=forms.Select,
        help_text=(
            "Naming your institution shares nothing with it. To let its career center see your "
            "outcomes, get verified and choose to share on the Career center page."
        ),
    )
    institution_name = LineField(
        label="Institution name, if not in the list",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": services.INSTITUTION_NAME_MAX}),
    )
    programme = LineField(
        label="Programme of study",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": services.PROGRAMME_MAX}),
        help_text="E.g. “BSc Computer Science”.",
    )
    graduation_year = forms.IntegerField(label="Expected graduation year", required=False)
    timezone = TextField(
        label="Time zone",
        required=False,
        widget=TimezoneSelect(
            attrs={"data-browser-timezone": ""},
            choices=[("", "Choose a time zone"), *timezone_choices()],
        ),
        help_text="Organizations plan check-ins with you in this time zone.",
    )
    weekly_hours = forms.IntegerField(
        label="Hours available per week",
        required=False,
        widget=forms.NumberInput(
            attrs={"min": services.WEEKLY_HOURS_MIN, "max": services.WEEKLY_HOURS_MAX}
        ),
        help_text=f"Between {services.WEEKLY_HOURS_MIN} and {services.WEEKLY_HOURS_MAX}.",
    )
    interests = LinesField(
        required=False,
        help_text=(
            f"One per line, e.g. “climate”, “open source”. At most {services.INTERESTS_MAX}, "
            f"each up to {services.INTEREST_LENGTH_MAX} characters."
        ),
    )
    learning_goals = LinesField(
        label="What you want to learn",
        required=False,
        help_text=(
            f"One goal per line. At most {services.GOALS_MAX}, each up to "
            f"{services.GOAL_LENGTH_MAX} characters. They go into your agreements."
        ),
    )
    portfolio_links = PortfolioLinksField(
        label="Portfolio links",
        required=False,
        help_text=(
            f"One per line: a label, then the web address starting with https:// or http://, "
            f"e.g. “My thesis https://example.org/thesis”. At most {services.LINKS_MAX} links, "
            f"labels up to {services.LINK_LABEL_MAX} characters."
        ),
    )
    open_to_future_roles = forms.BooleanField(
        label="I am open to future roles",
        required=False,
        help_text="Organizations you complete a project with may add you to their talent pipeline.",
    )
    discoverable = forms.BooleanField(
        label="Organizations may find my profile",
        required=False,
        help_text="Members of organizations on Practicum can then see this profile.",
    )

    skills_max = services.SKILLS_MAX

    def __init__(self, data=None, *, profile):
        initial = None
        if data is None:
            initial = services.current_data(profile)
            initial.pop("skills")
            initial.pop("availability")
        super().__init__(data, initial=initial)
        self.fields["institution"].widget.choices = [
            ("", "Not listed, or none"),
            *Institution.objects.values_list("pk", "name"),
        ]
        self.section_errors: dict[str, list[str]] = {"skills": [], "availability": []}
        if data is None:
            self.skill_rows = [
                SkillRow(str(held.skill_id), str(held.level), held.skill.name)
                for held in profile.skills.all()
            ]
            self.window_rows = [
                WindowRow(w.starts_on.isoformat(), w.ends_on.isoformat())
                for w in profile.availability.all()
            ]
        else:
            self.skill_rows = self._skill_rows_from(data)
            self.window_rows = [
                WindowRow(start.strip(), end.strip())
                for start, end in zip_longest(
                    data.getlist("window_start"), data.getlist("window_end"), fillvalue=""
                )
            ]
        # An empty row to fill in, so availability can be given without JavaScript.
        if not self.window_rows:
            self.window_rows.append(WindowRow("", ""))

    @staticmethod
    def _skill_rows_from(data) -> list[SkillRow]:
        pairs = [
            (skill_id.strip(), level.strip())
            for skill_id, level in zip_longest(
                data.getlist("skill_id"), data.getlist("skill_level"), fillvalue=""
            )
            if skill_id.strip()
        ]
        ids = [int(pk) for pk, _ in pairs if pk.isdigit()]
        names = dict(Skill.objects.filter(pk__in=ids).values_list("pk", "name"))
        return [
            SkillRow(pk, level, (pk.isdigit() and names.get(int(pk))) or "Unknown skill")
            for pk, level in pairs
        ]

    @property
    def level_choices(self):
        return StudentSkill.Level.choices

    @property
    def has_any_errors(self) -> bool:
        return bool(
            self.errors
            or any(self.section_errors.values())
            or any(row.errors for row in [*self.skill_rows, *self.window_rows])
        )

    def apply_row_action(self) -> bool:
        """Carry out a no-JavaScript row button; True when one was pressed (then don't save)."""
        action = next((name for name in ROW_ACTIONS if name in self.data), None)
        if action is None:
            return False
        if action == "add_window":
            self.window_rows.append(WindowRow("", ""))
            return True
        rows = self.skill_rows if action == "remove_skill" else self.window_rows
        index = self.data.get(action, "")
        if index.isdigit() and int(index) < len(rows):
            del rows[int(index)]
        if not self.window_rows:
            self.window_rows.append(WindowRow("", ""))
        return True

    def to_data(self) -> services.ProfileData:
        """What update_profile needs; call after is_valid(). Blank window rows are left out."""
        self._submitted_windows = [row for row in self.window_rows if not row.is_blank]
        return services.ProfileData(
            **{name: self.cleaned_data[name] for name in self.fields},
            skills=[(row.skill_id, row.level) for row in self.skill_rows],
            availability=[
                (row.starts_on or None, row.ends_on or None) for row in self._submitted_windows
            ],
        )

    def apply_service_errors(self, exc: ValidationError) -> None:
        """Show update_profile's errors: a row's own next to the row, the rest by the field."""
        errors = dict(exc.error_dict)
        sections = {"skills": self.skill_rows, "availability": self._submitted_windows}
        for section, rows in sections.items():
            for error in errors.pop(section, []):
                index = (error.params or {}).get("index")
                in_row = index is not None and index < len(rows)
                (rows[index].errors if in_row else self.section_errors[section]).extend(error)
        if errors:
            errors_by_field(self, ValidationError(errors))


class PhotoForm(forms.Form):
    photo = PictureField(
        label="Photo",
        help_text=(
            "We crop it to a square and remove its hidden details (such as where it was taken)."
        ),
    )


class CvForm(forms.Form):
    cv = forms.FileField(
        label="CV",
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
        help_text=(
            "A PDF of at most 5 MB, without a password. Organizations see it only on the "
            "applications you send them."
        ),
    )
