from django import forms

from practicum.notifications.kinds import Delivery


class PreferencesForm(forms.Form):
    """A radio group per kind the user may change; fixed kinds are shown, not asked."""

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        for pref in preferences:
            if pref.kind.can_switch_off:
                self.fields[pref.kind.key] = forms.ChoiceField(
                    label=pref.kind.label,
                    choices=Delivery.choices,
                    initial=pref.delivery,
                    widget=forms.RadioSelect,
                )
