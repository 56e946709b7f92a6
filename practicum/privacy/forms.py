from django import forms


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="To be sure it is you.",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    revoke_credentials = forms.BooleanField(
        label="Also revoke my credentials",
        help_text=(
            "Without this, credentials you earned stay verifiable by whoever you gave them to."
        ),
        required=False,
    )
    confirm = forms.BooleanField(
        label="I understand that my account cannot be restored",
        error_messages={"required": "Tick the box to confirm."},
    )
