from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The name is asked by our sign-up form; allauth only knows email and password.
        user.name = form.cleaned_data.get("name", "").strip()
        user.account_type = form.cleaned_data.get("account_type", "")
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        """Everyone lands on their dashboard; a platform admin with no other role on the admin."""
        user = request.user
        if user.is_staff and not user.is_student and not _has_a_role(user):
            return reverse("admin:index")
        return super().get_login_redirect_url(request)


def _has_a_role(user) -> bool:
    return user.memberships.exists() or user.staff_roles.exists()
