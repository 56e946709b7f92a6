from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404

from practicum.accounts.models import Institution
from practicum.analytics.outcomes import Filters
from practicum.core.forms import DateField, LineField

YEAR_MIN, YEAR_MAX = 1950, 2100


class OutcomesFilterForm(forms.Form):
    """The cohort and range of the outcomes page, its charts and its export (a GET form)."""

    institution = forms.ModelChoiceField(
        queryset=Institution.objects.none(), required=False, empty_label="All your institutions"
    )
    graduation_year = forms.IntegerField(
        required=False, min_value=YEAR_MIN, max_value=YEAR_MAX, label="Graduation year"
    )
    programme = LineField(required=False, max_length=200)
    begun_from = DateField(
        required=False,
        label="Begun from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Engagements begun on or after this day",
    )
    begun_to = DateField(
        required=False,
        label="Begun until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Engagements begun on or before this day",
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(
            pk__in=[i.pk for i in institutions]
        )
        if len(institutions) < 2:
            del self.fields["institution"]

    @staticmethod
    def refuse_other_institutions(value, institutions) -> None:
        """Another institution's outcomes do not exist for the user: 404, as for its students'
        records (a value that is no id at all is the form's error to report)."""
        if value and str(value).isdigit() and int(value) not in {i.pk for i in institutions}:
            raise Http404("No such institution.")

    def clean(self):
        data = super().clean()
        start, end = data.get("begun_from"), data.get("begun_to")
        if start and end and end < start:
            raise ValidationError({"begun_to": "Choose a day on or after the first one."})
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            institution=data.get("institution"),
            graduation_year=data.get("graduation_year"),
            programme=(data.get("programme") or "").strip(),
            begun_from=data.get("begun_from"),
            begun_to=data.get("begun_to"),
        )
