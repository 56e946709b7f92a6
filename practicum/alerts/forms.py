from django import forms

from practicum.alerts import services
from practicum.alerts.models import SavedSearch
from practicum.core.forms import LineField


class SavedSearchForm(forms.Form):
    """Save the discovery search in `query` (the page's query string), or change one."""

    name = LineField(max_length=services.NAME_MAX, help_text="e.g. “Remote data projects”.")
    frequency = forms.ChoiceField(
        label="Tell me about new projects", choices=SavedSearch.Frequency.choices, initial="daily"
    )
    query = LineField(required=False, max_length=services.QUERY_MAX, widget=forms.HiddenInput)


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label="Alerts", choices=SavedSearch.Frequency.choices)
