from django import forms
from django.core.exceptions import ValidationError

from practicum.core.forms import DateTimeField, LineField, TextField
from practicum.workspace.checkins.models import (
    AGENDA_ITEM_MAX,
    LOCATION_MAX,
    MEETING_URL_MAX,
    NOTES_MAX,
    REASON_MAX,
    CheckIn,
)


class AgendaItemForm(forms.Form):
    text = LineField(
        label="Add a point to the agenda",
        max_length=AGENDA_ITEM_MAX,
        help_text=f"One point, up to {AGENDA_ITEM_MAX} characters.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="agenda", **kwargs)


class AgendaPointEditForm(forms.Form):
    """The author's change to their agenda point; prefixed by the point, one form per point."""

    text = forms.CharField(
        label="Change this point",
        max_length=AGENDA_ITEM_MAX,
        help_text="Until the other side responds. The timeline keeps what it said before.",
    )


class NotesForm(forms.Form):
    notes = TextField(
        label="Shared notes",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown. Both sides can edit them; the last edit is shown with its author.",
    )
    # The revision the editor started from: an edit made from an outdated copy is refused.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="notes", **kwargs)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened",
        choices=[("held", "It was held"), ("missed", "It was missed")],
        widget=forms.RadioSelect,
    )
    missed_by = forms.ChoiceField(
        label="Missed by",
        required=False,
        choices=[("", "—"), *CheckIn.MissedBy.choices],
        help_text="Only when it was missed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="outcome", **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "missed" and not data.get("missed_by"):
            self.add_error("missed_by", ValidationError("Say who missed it.", code="required"))
        if data.get("outcome") == "held":
            data["missed_by"] = ""
        return data


class RescheduleForm(forms.Form):
    scheduled_at = DateTimeField(
        label="New date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone.",
    )
    reason = TextField(
        label="Why it moves",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="reschedule", **kwargs)


class PlaceForm(forms.Form):
    """Where a check-in (or, prefixed "default", every check-in of the engagement) takes
    place."""

    location = LineField(
        label="Location", max_length=LOCATION_MAX, required=False, help_text="An address or a room."
    )
    meeting_url = LineField(
        label="Meeting link",
        max_length=MEETING_URL_MAX,
        required=False,
        help_text="A video call address starting with https://",
    )

    def __init__(self, *args, prefix="place", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
