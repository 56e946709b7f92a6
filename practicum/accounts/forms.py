from django import forms

from practicum.accounts.models import ApiToken, Organization, User
from practicum.core.forms import LineField, PictureField, TextField
from practicum.core.timezones import TimezoneField


class SignupExtraForm(forms.Form):
    """What allauth's sign-up form asks on top of email and password."""

    name = LineField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    account_type = forms.ChoiceField(
        label="I am signing up as",
        choices=[
            (User.AccountType.STUDENT, "A student looking for projects"),
            (User.AccountType.ORGANIZATION, "An organization offering projects"),
        ],
        # Chosen first on the sign-up page, which then sends it as a hidden field.
        widget=forms.HiddenInput,
    )
    organization_name = LineField(
        label="Organization name",
        max_length=200,
        required=False,
        help_text="You become its owner and can invite mentors.",
    )

    field_order = ["name", "email", "password1", "password2", "account_type", "organization_name"]

    def clean(self):
        data = super().clean()
        if (
            data.get("account_type") == User.AccountType.ORGANIZATION
            and not data.get("organization_name", "").strip()
        ):
            self.add_error("organization_name", "Give your organization's name.")
        return data

    def signup(self, request, user):
        from practicum.accounts.services import complete_signup

        complete_signup(
            user,
            account_type=self.cleaned_data["account_type"],
            organization_name=self.cleaned_data.get("organization_name", ""),
        )


class InvitationSignupForm(forms.Form):
    name = LineField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password.",
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address of the person to invite")


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "about", "website", "size", "industry", "location"]
        field_classes = {
            "name": LineField,
            "about": TextField,
            "industry": LineField,
            "location": LineField,
        }
        help_texts = {
            "about": "Markdown. What you do and what students can expect working with you."
        }


class AccountForm(forms.Form):
    name = LineField(label="Full name", max_length=150)
    timezone = TimezoneField(help_text="Times are shown to you in this time zone.")


class ApiTokenForm(forms.Form):
    name = LineField(
        label="Token name", max_length=100, help_text="What will use it, e.g. “grading script”."
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="A read-only token cannot change anything; give write access only when needed.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=ApiToken.MAX_DAYS,
        initial=ApiToken.DEFAULT_DAYS,
        help_text=f"From 1 to {ApiToken.MAX_DAYS} days. A password change also ends every token.",
    )


class LogoForm(forms.Form):
    logo = PictureField(
        label="Logo",
        help_text="It shows on your organization's page and on your projects, to everyone.",
    )
