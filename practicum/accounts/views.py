from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from practicum.accounts import selectors, services
from practicum.accounts.forms import (
    AccountForm,
    ApiTokenForm,
    InvitationForm,
    InvitationSignupForm,
    LogoForm,
    OrganizationForm,
)
from practicum.accounts.models import ApiToken, Institution, Invitation, Membership, Organization
from practicum.core import files, images
from practicum.core.actions import upload_action
from practicum.core.errors import ServiceError
from practicum.core.forms import apply_errors


@login_required
def account_settings(request):
    form = AccountForm(
        request.POST or None, initial={"name": request.user.name, "timezone": request.user.timezone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account(
                request.user,
                name=form.cleaned_data["name"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = services.create_api_token(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form = ApiTokenForm()
    page = Paginator(selectors.working_tokens(request.user), selectors.TOKENS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "page": page, "new_token": new_token},
    )


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token, by=request.user)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("accounts:api_tokens")


def invitation(request, token):
    """Show an invitation; accept it as the logged-in user, or create the invitee's account."""
    found = services.find_invitation(token)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    signup_form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(token, user=request.user)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"Welcome to {found.target}.")
                return redirect(_landing_for(found))
    elif found.status == "pending" and not selectors.account_exists(found.email):
        signup_form = InvitationSignupForm(request.POST or None)
        if request.method == "POST" and signup_form.is_valid():
            try:
                user = services.sign_up_by_invitation(token, **signup_form.cleaned_data)
            except ValidationError as exc:
                apply_errors(signup_form, exc)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome to {found.target}.")
                return redirect(_landing_for(found))
    return render(
        request, "accounts/invitation.html", {"invitation": found, "signup_form": signup_form}
    )


def _landing_for(invitation: Invitation) -> str:
    if invitation.organization_id:
        return invitation.organization.get_absolute_url()
    return invitation.institution.get_staff_url()


def organization(request, slug):
    org = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "accounts/organization.html",
        {
            "organization": org,
            "can_edit": request.user.has_perm("accounts.change_organization", org),
            "is_member": request.user.has_perm("projects.list_organization_projects", org),
        },
    )


def _owned_organization(request, slug) -> Organization:
    org = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm("accounts.change_organization", org):
        raise PermissionDenied("Only the organization's owners can edit its profile.")
    return org


@login_required
def edit_organization(request, slug):
    org = _owned_organization(request, slug)
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(
                org, by=request.user, **{f: form.cleaned_data[f] for f in form.fields}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The organization profile is saved.")
            return redirect(org.get_absolute_url())
    return render(
        request,
        "accounts/organization_form.html",
        {"organization": org, "form": form, "logo_form": LogoForm()},
    )


@login_required
@require_POST
def upload_logo(request, slug):
    org = _owned_organization(request, slug)
    return upload_action(
        request,
        LogoForm(request.POST, request.FILES),
        lambda upload: services.set_logo(org, by=request.user, upload=upload),
        field="logo",
        rerender=lambda form: render(
            request,
            "accounts/organization_form.html",
            {"organization": org, "form": OrganizationForm(instance=org), "logo_form": form},
        ),
        done="The logo is saved.",
        then=reverse("accounts:edit_organization", kwargs={"slug": org.slug}),
    )


@login_required
@require_POST
def remove_logo(request, slug):
    org = _owned_organization(request, slug)
    services.remove_logo(org, by=request.user)
    messages.success(request, "The logo is removed.")
    return redirect("accounts:edit_organization", slug=org.slug)


@require_GET
def logo(request, slug):
    """The logo, public like the organization's page."""
    org = get_object_or_404(Organization, slug=slug)
    return files.inline(org.logo, content_type=images.CONTENT_TYPE, public=True)


@login_required
@require_POST
def request_verification(request, slug):
    org = _owned_organization(request, slug)
    try:
        services.request_verification(org, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Your request is sent. We will write to you once we have checked."
        )
    return redirect(org.get_absolute_url())


def verified_organizations(request):
    """What the "Verified" badge means and how an organization gets it."""
    return render(request, "accounts/verified_organizations.html")


@login_required
def members(request, slug):
    org = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm("accounts.manage_members", org):
        raise PermissionDenied("Only the organization's owners can manage members.")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.create_invitation(
                by=request.user, email=form.cleaned_data["email"], organization=org
            )
        except ServiceError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(
                request, f"We emailed an invitation to {invitation.email}. It is valid for 7 days."
            )
            return redirect("accounts:members", slug=org.slug)
    return render(
        request,
        "accounts/members.html",
        {
            "organization": org,
            "members": selectors.members_of(org),
            "invitations": selectors.pending_invitations(organization=org),
            "form": form,
        },
    )


@login_required
@require_POST
def remove_member(request, slug, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("organization", "user"), pk=pk, organization__slug=slug
    )
    if not request.user.has_perm("accounts.manage_members", membership.organization):
        raise PermissionDenied("Only the organization's owners can manage members.")
    try:
        services.remove_member(membership, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{membership.user} is no longer a member.")
    return redirect("accounts:members", slug=slug)


@login_required
@require_POST
def revoke_invitation(request, pk):
    found = get_object_or_404(
        Invitation.objects.select_related("organization", "institution"), pk=pk
    )
    target_perm = (
        ("accounts.manage_members", found.organization)
        if found.organization_id
        else ("accounts.manage_institution_staff", found.institution)
    )
    if not request.user.has_perm(*target_perm):
        raise PermissionDenied("Only owners (or institution staff) can revoke invitations.")
    try:
        services.revoke_invitation(found, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The invitation to {found.email} is revoked.")
    if found.organization_id:
        return redirect("accounts:members", slug=found.organization.slug)
    return redirect("accounts:institution_staff", slug=found.institution.slug)


@login_required
def institution_staff(request, slug):
    institution = get_object_or_404(Institution, slug=slug)
    if not request.user.has_perm("accounts.manage_institution_staff", institution):
        raise PermissionDenied("Only the institution's staff can see this page.")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.create_invitation(
                by=request.user, email=form.cleaned_data["email"], institution=institution
            )
        except ServiceError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(
                request, f"We emailed an invitation to {invitation.email}. It is valid for 7 days."
            )
            return redirect("accounts:institution_staff", slug=institution.slug)
    return render(
        request,
        "accounts/institution_staff.html",
        {
            "institution": institution,
            "staff": institution.staff.select_related("user").order_by("user__name"),
            "invitations": selectors.pending_invitations(institution=institution),
            "form": form,
        },
    )
