from django import forms

from practicum.accounts.models import Institution


class EnrollmentForm(forms.Form):
    institution = forms.ModelChoiceField(
        queryset=Institution.objects.order_by("name"), empty_label="Choose your institution"
    )
    email = forms.EmailField(
        label="Your address at the institution (optional)",
        required=False,
        max_length=254,
        help_text=(
            "We send a link to this address; following it verifies you at once. Leave it empty "
            "to ask the career center's staff to confirm you instead."
        ),
    )
