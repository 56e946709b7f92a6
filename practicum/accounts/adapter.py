from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The name is asked by our sign-up form; allauth only knows email and password.
        user.name = form.cleaned_data.get("name", "").strip()
        user.account_type = form.cleaned_data.get("account_type", "")
        return super().save_user(request, user, form, commit=commit)
