from django import forms

from practicum.core.forms import LineField, TextField
from practicum.talent import services
from practicum.talent.models import NOTES_MAX


class TalentEntryForm(forms.Form):
    notes = TextField(
        label="Private notes",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only your organization's members read these. Markdown works.",
    )
    tags = LineField(
        label="Tags",
        required=False,
        help_text=(
            f"Separated by commas, e.g. “data, frontend”. At most {services.TAGS_MAX}, "
            f"each up to {services.TAG_LENGTH_MAX} characters."
        ),
    )

    def clean_tags(self) -> list[str]:
        try:
            return services.clean_tags(self.cleaned_data["tags"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.error_dict["tags"]) from exc

    @classmethod
    def for_entry(cls, entry, data=None):
        return cls(
            data,
            prefix=f"entry-{entry.pk}",
            initial={"notes": entry.notes, "tags": ", ".join(entry.tags)},
        )
