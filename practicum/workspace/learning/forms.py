"""The learning plan's forms. They parse what was typed; the services apply the rules (the same
ones the API meets), and their ValidationErrors land back on these forms."""

from django import forms

from practicum.core.forms import LineField, TextField
from practicum.workspace.learning import services
from practicum.workspace.learning.models import LearningItem

Kind = LearningItem.Kind

_TITLE_LABELS = {Kind.GOAL: "Goal", Kind.RESOURCE: "Title", Kind.TRAINING: "Training"}
_TITLE_HELP = {
    Kind.GOAL: "Something to learn during the engagement, e.g. “Write SQL window functions”.",
    Kind.RESOURCE: "A book, article, video or course worth reading or following.",
    Kind.TRAINING: "A course, workshop or exercise to do, e.g. “Company data-privacy module”.",
}


class ItemForm(forms.Form):
    """Adding or editing an item of one kind; the page shows one per kind (prefix = kind)."""

    title = LineField(max_length=services.TITLE_MAX)
    url = LineField(label="Link", max_length=services.URL_MAX, required=False)
    notes = TextField(
        label="Notes",
        max_length=services.NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Markdown works.",
    )

    def __init__(self, *args, kind: str, item: LearningItem | None = None, **kwargs):
        if item is not None:
            kwargs.setdefault(
                "initial", {"title": item.title, "url": item.url, "notes": item.notes}
            )
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["title"].label = _TITLE_LABELS[kind]
        self.fields["title"].help_text = _TITLE_HELP[kind]
        url = self.fields["url"]
        url.widget = forms.URLInput(attrs={"placeholder": "https://…"})
        url.required = kind == Kind.RESOURCE
        url.help_text = "" if url.required else "Optional."
        if item is not None and item.from_agreement:
            # The agreement's wording: shown, not sent (the service refuses a change anyway).
            self.fields["title"].disabled = True
            self.fields[
                "title"
            ].help_text = "This goal is written in the agreement; its text changes by an amendment."
        if kind == Kind.GOAL:
            del self.fields["url"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=LearningItem.Status.choices)


class PractisedSkillForm(forms.Form):
    """The skill comes from a select of likely skills (the project's, a search's); the skill
    picker's autocomplete adds the one picked to that select."""

    skill = forms.IntegerField(
        label="Skill",
        min_value=1,
        error_messages={"required": "Choose a skill.", "invalid": "Choose a skill from the list."},
    )
    note = LineField(
        label="Note",
        max_length=services.NOTE_MAX,
        required=False,
        help_text="Optional: where or how, e.g. “Cleaned the survey data in pandas”.",
    )

    def offer(self, skills) -> None:
        """The skills the select lists (see selectors.skill_choices)."""
        self.fields["skill"].widget = forms.Select(
            choices=[("", "Choose a skill"), *((s.pk, s.name) for s in skills)]
        )

    @property
    def chosen_id(self) -> int | None:
        try:
            return int(self.data.get(self.add_prefix("skill"), ""))
        except (TypeError, ValueError):
            return None
