"""The round pages' forms. They check the shape of the input; the rules live in services.py, whose
ValidationErrors are shown next to the fields they name (practicum.core.forms.apply_errors)."""

import re

from django import forms

from practicum.core.forms import DateTimeField, LineField, TextField
from practicum.rounds import services
from practicum.rounds.models import MAX_CHOICES


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _deadline_field(required: bool = False) -> forms.DateTimeField:
    return DateTimeField(
        label="Ranking deadline",
        required=required,
        widget=DateTimeInput(),
        help_text="Students rank projects until then (your time zone).",
    )


class RoundForm(forms.Form):
    """A new round: its name, who runs it, and optionally its deadline."""

    name = LineField(
        label="Name", max_length=services.NAME_MAX, help_text="For example “Spring 2026 cohort”."
    )
    owner = forms.ChoiceField(label="Run by")
    ranking_deadline = _deadline_field()

    def __init__(self, *args, institutions, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {f"institution:{i.pk}": ("institution", i) for i in institutions} | {
            f"organization:{o.pk}": ("organization", o) for o in organizations
        }
        self.fields["owner"].choices = [
            (key, f"{body} ({'career center' if kind == 'institution' else 'organization'})")
            for key, (kind, body) in self.bodies.items()
        ]

    def to_data(self) -> dict:
        kind, body = self.bodies[self.cleaned_data["owner"]]
        return {
            "name": self.cleaned_data["name"],
            kind: body,
            "ranking_deadline": self.cleaned_data["ranking_deadline"],
        }


class RoundSettingsForm(forms.Form):
    name = LineField(label="Name", max_length=services.NAME_MAX)
    ranking_deadline = _deadline_field()


class AddProjectForm(forms.Form):
    project = forms.ModelChoiceField(
        label="Project",
        queryset=None,
        empty_label="Choose a project",
        help_text="Projects taking applications, with a place left.",
    )
    capacity = forms.IntegerField(
        label="Places in the round",
        required=False,
        min_value=1,
        help_text="Leave empty for all the project's remaining places.",
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.title} — {p.organization}"


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label="Places", min_value=1)


class AddStudentsForm(forms.Form):
    emails = TextField(
        label="Students' email addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or more, separated by commas, spaces or new lines.",
    )

    def clean_emails(self) -> list[str]:
        return [e for e in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if e]


class RunForm(forms.Form):
    force = forms.BooleanField(
        label="Run now, before the ranking deadline",
        required=False,
        help_text="Students cannot change their ranking once the round has run.",
    )


class StudentRankingForm(forms.Form):
    """A position (1 = most wanted) for each of the round's projects; empty = not ranked."""

    def __init__(self, *args, entries, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        positions = {entry.pk: i for i, entry in enumerate(ranking, start=1)}
        choices = [("", "Not ranked")] + [
            (str(n), str(n)) for n in range(1, min(MAX_CHOICES, len(entries)) + 1)
        ]
        for entry in entries:
            self.fields[self.field_name(entry)] = forms.TypedChoiceField(
                label=f"Position of “{entry.project.title}” ({entry.project.organization})",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=positions.get(entry.pk),
            )

    @staticmethod
    def field_name(entry) -> str:
        return f"project_{entry.project_id}"

    def rows(self):
        """(round project, bound field) in the round's order, for the template."""
        return [(entry, self[self.field_name(entry)]) for entry in self.entries]

    def clean(self):
        data = super().clean()
        _refuse_shared_positions(self, data, "project")
        return data

    def to_project_ids(self) -> list[int]:
        return _ordered(self.cleaned_data, "project_")


class ApplicantRankingForm(forms.Form):
    """The organization's position (1 = best) for each applicant; empty = not acceptable."""

    def __init__(self, *args, applicants, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicants = applicants
        for applicant in applicants:
            self.fields[self.field_name(applicant)] = forms.IntegerField(
                label=f"Rank of {applicant.student.name or applicant.student.email}",
                min_value=1,
                max_value=len(applicants),
                required=False,
                initial=applicant.position,
            )

    @staticmethod
    def field_name(applicant) -> str:
        return f"student_{applicant.student.pk}"

    def rows(self):
        return [(a, self[self.field_name(a)]) for a in self.applicants]

    def clean(self):
        data = super().clean()
        _refuse_shared_positions(self, data, "student")
        return data

    def to_student_ids(self) -> list[int]:
        return _ordered(self.cleaned_data, "student_")


def _refuse_shared_positions(form: forms.Form, data: dict, what: str) -> None:
    """An error next to every field that shares its position with another."""
    by_position: dict[int, list[str]] = {}
    for name, value in data.items():
        if value is not None:
            by_position.setdefault(value, []).append(name)
    for position, names in by_position.items():
        if len(names) > 1:
            for name in names:
                form.add_error(
                    name,
                    f"Position {position} is given to {len(names)} {what}s: give each its own.",
                )


def _ordered(data: dict, prefix: str) -> list[int]:
    """The ids of the fields with a position, by position: gaps close up (1, 3 → 1st, 2nd)."""
    ranked = sorted(
        (value, int(name.removeprefix(prefix))) for name, value in data.items() if value
    )
    return [pk for _, pk in ranked]
