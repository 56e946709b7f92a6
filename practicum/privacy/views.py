"""Your data: download a copy of it, or delete your account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from practicum.accounts import services as account_services
from practicum.core.actions import form_action
from practicum.core.errors import Conflict
from practicum.core.forms import apply_errors
from practicum.privacy import selectors, services
from practicum.privacy.forms import DeleteAccountForm

EXPORTS_PER_PAGE = 10


@login_required
@require_GET
def data(request):
    page = Paginator(selectors.exports_of(request.user), EXPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/data.html", {"page": page})


@login_required
@require_POST
def request_export(request):
    return form_action(
        request,
        None,
        lambda _: services.request_export(request.user),
        rerender=None,
        done="We are preparing your data. We will email you when it is ready to download.",
        then="privacy:data",
    )


@login_required
@require_GET
def download(request, pk):
    return selectors.export_download(request.user, pk)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Deleting is final, so a refusal (the last owner of an organization, an engagement in
    progress, a wrong password) stays on this page, at the top of the form."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.delete_account(
                request.user,
                password=form.cleaned_data["password"],
                revoke_credentials=form.cleaned_data["revoke_credentials"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for using Practicum.")
            return redirect("home")
    return render(
        request,
        "privacy/delete.html",
        {
            "form": form,
            "ownerless": account_services.organizations_left_ownerless(request.user),
        },
        status=422 if form.is_bound else 200,
    )
