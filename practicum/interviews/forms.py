from django import forms
from django.core.exceptions import ValidationError

from practicum.core.forms import DateTimeField, LineField, TextField
from practicum.interviews.models import (
    DURATION_MAX,
    DURATION_MIN,
    PLACE_MAX,
    REASON_MAX,
    SLOTS_MAX,
    URL_MAX,
    Side,
)


class SlotForm(forms.Form):
    starts_at = DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone.",
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=DURATION_MIN, max_value=DURATION_MAX, initial=30
    )
    place = LineField(
        label="Place", max_length=PLACE_MAX, required=False, help_text="An address or a room."
    )
    video_url = LineField(
        label="Video link",
        max_length=URL_MAX,
        required=False,
        help_text="Or a link starting with https://",
    )


class _SlotFormSet(forms.BaseFormSet):
    def apply_service_errors(self, exc: ValidationError) -> None:
        """The service judges the times together (overlaps, how many): its errors go at the
        top of the list of times."""
        messages = [
            m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms
        ]
        self._non_form_errors = self.error_class(messages, error_class="nonform")

    def slots(self) -> list[dict]:
        """The rows filled in (blank extra rows are left out)."""
        return [data for data in self.cleaned_data if data]


SlotFormSet = forms.formset_factory(
    SlotForm,
    formset=_SlotFormSet,
    extra=2,
    max_num=SLOTS_MAX,
    validate_max=True,
    absolute_max=SLOTS_MAX,
)


def slot_formset(data=None) -> _SlotFormSet:
    return SlotFormSet(data, prefix="slots")


class PickForm(forms.Form):
    slot = forms.TypedChoiceField(
        label="Choose a time", coerce=int, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, prefix="pick", **kwargs)
        self.fields["slot"].choices = [(s.pk, str(s.pk)) for s in slots]
        self.slots = list(slots)


class RescheduleForm(forms.Form):
    reason = TextField(
        label="Why the time no longer works",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The other side is told. Less than 24 hours before the time counts as late.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="reschedule", **kwargs)


class CancelForm(forms.Form):
    reason = TextField(
        label="Why (optional)",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cancel", **kwargs)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened",
        choices=[("held", "It was held"), ("no_show", "Someone did not show up")],
        widget=forms.RadioSelect,
    )
    no_show_by = forms.ChoiceField(
        label="Who did not show up",
        required=False,
        choices=[("", "—"), *Side.choices],
        help_text="Only when someone did not show up.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="outcome", **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "no_show" and not data.get("no_show_by"):
            self.add_error("no_show_by", ValidationError("Say who.", code="required"))
        if data.get("outcome") == "held":
            data["no_show_by"] = ""
        return data
