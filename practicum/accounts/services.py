"""Writes for accounts, organizations, memberships, invitations and API tokens.

Each function is one transaction and checks who may do it.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from practicum.accounts import signals
from practicum.accounts.models import (
    ApiToken,
    InstitutionStaff,
    Invitation,
    Membership,
    Organization,
    User,
    hash_token,
)
from practicum.accounts.rules import is_institution_staff, is_org_owner
from practicum.core import images
from practicum.core.errors import Conflict, Refused, ServiceError

ORGANIZATION_FIELDS = ("name", "about", "website", "size", "industry", "location")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def complete_signup(user: User, *, account_type: str, organization_name: str = "") -> None:
    """A new account is a student (whose empty profile the profiles app makes on
    account_created) or the owner of a new organization."""
    if account_type not in (User.AccountType.STUDENT, User.AccountType.ORGANIZATION):
        raise ValidationError({"account_type": "Sign up as a student or as an organization."})
    user.account_type = account_type
    user.save(update_fields=["account_type"])
    if account_type == User.AccountType.ORGANIZATION:
        organization = Organization(name=organization_name.strip())
        organization.slug = _unique_slug(organization.name)
        organization.full_clean()
        organization.save()
        Membership.objects.create(user=user, organization=organization, role=Membership.Role.OWNER)
    signals.account_created.send(sender=User, user=user)


@transaction.atomic
def create_account(*, email: str, name: str, password: str, account_type: str, **extra) -> User:
    """An account with a verified address, for platform admins' tools and demo data.

    People signing up go through allauth instead, which verifies the address by email.
    """
    from allauth.account.models import EmailAddress

    user = User(
        email=User.objects.normalize_email(email).lower(),
        name=name,
        account_type=account_type,
        **extra,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@transaction.atomic
def add_institution_staff(user: User, institution) -> InstitutionStaff:
    """A platform admin adds an institution's first staff member; staff invite the rest."""
    if user.account_type != User.AccountType.CAREER_CENTER:
        raise ValidationError({"user": "Only career-center accounts can be institution staff."})
    staff, _ = InstitutionStaff.objects.get_or_create(user=user, institution=institution)
    return staff


@transaction.atomic
def update_organization(organization: Organization, *, by: User, **changes) -> Organization:
    """Only owners edit the organization's profile; the verified badge is for platform admins."""
    if not is_org_owner(by, organization):
        raise Refused("not_owner", "Only the organization's owners can edit its profile.")
    unknown = set(changes) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in unknown})
    for name, value in changes.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def set_logo(organization: Organization, *, by: User, upload) -> Organization:
    """The organization's logo, replacing any other (owners only): a JPEG, PNG or WebP picture
    of at most 5 MB and 4096 pixels a side, stored redrawn without its metadata. Public."""
    if not is_org_owner(by, organization):
        raise Refused("not_owner", "Only the organization's owners can change its logo.")
    data = images.redraw(upload, field="logo", square=False)
    old = organization.logo.name
    organization.logo.name = images.store(data, folder="logos")
    try:
        organization.save(update_fields=["logo"])
    except Exception:
        images.delete(organization.logo.name)
        raise
    if old:
        transaction.on_commit(lambda: images.delete(old))
    return organization


@transaction.atomic
def remove_logo(organization: Organization, *, by: User) -> Organization:
    if not is_org_owner(by, organization):
        raise Refused("not_owner", "Only the organization's owners can change its logo.")
    old = organization.logo.name
    organization.logo.name = ""
    organization.save(update_fields=["logo"])
    if old:
        transaction.on_commit(lambda: images.delete(old))
    return organization


@transaction.atomic
def request_verification(organization: Organization, *, by: User) -> Organization:
    """An owner asks platform admins to verify the organization. The request waits in the
    admin's list of organizations (filter "verification requested") until an admin decides;
    asking again while it waits changes nothing."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not is_org_owner(by, organization):
        raise Refused("not_owner", "Only the organization's owners can ask to be verified.")
    if organization.is_verified:
        raise Conflict("already_verified", "This organization is verified already.")
    if organization.verification_requested_at is None:
        organization.verification_requested_at = timezone.now()
        organization.save(update_fields=["verification_requested_at"])
    return organization


def _check_may_invite(by: User, *, organization=None, institution=None) -> None:
    if organization is not None and not is_org_owner(by, organization):
        raise Refused("not_owner", "Only the organization's owners can invite people.")
    if institution is not None and not is_institution_staff(by, institution):
        raise Refused("not_staff", "Only the institution's staff can invite staff.")


def invitation_url(raw_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[raw_token])


def create_invitation(
    *, by: User, email: str, organization: Organization | None = None, institution=None
) -> tuple[Invitation, str]:
    """Invite someone by email: owners invite mentors, institution staff invite staff.

    Returns the invitation and the raw token (only ever sent in the email).
    """
    _check_may_invite(by, organization=organization, institution=institution)
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    members = (
        User.objects.filter(memberships__organization=organization)
        if organization
        else User.objects.filter(staff_roles__institution=institution)
    )
    if members.filter(email__iexact=email).exists():
        raise Conflict(
            "already_member",
            f"{email} is already a member.",
            fields={"email": ["Already a member."]},
        )
    raw = Invitation.new_token()
    now = timezone.now()
    with transaction.atomic():
        # A fresh invitation replaces any pending one to the same address.
        Invitation.objects.filter(
            email__iexact=email,
            organization=organization,
            institution=institution,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            organization=organization,
            institution=institution,
            role=Membership.Role.MENTOR if organization else "",
            token_hash=hash_token(raw),
            invited_by=by,
            created_at=now,
            expires_at=now + Invitation.VALID_FOR,
        )
        context = {"invitation": invitation, "url": invitation_url(raw), "by": by}
        transaction.on_commit(
            lambda: send_mail(
                f"{by} invited you to join {invitation.target} on Practicum",
                render_to_string("accounts/email/invitation.txt", context),
                None,
                [email],
            )
        )
    return invitation, raw


def find_invitation(raw_token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organization", "institution", "invited_by")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def _check_acceptable(invitation: Invitation, user: User) -> None:
    status = invitation.status
    if status == "accepted":
        raise Conflict("invitation_used", "This invitation has already been used.")
    if status == "revoked":
        raise Conflict("invitation_revoked", "This invitation was withdrawn. Ask for a new one.")
    if status == "expired":
        raise Conflict("invitation_expired", "This invitation has expired. Ask for a new one.")
    if user.email.lower() != invitation.email.lower():
        raise Refused(
            "wrong_account",
            f"This invitation was sent to {invitation.email}, but you are logged in as "
            f"{user.email}. Log out and open the link again.",
        )
    expected = (
        User.AccountType.ORGANIZATION
        if invitation.organization_id
        else User.AccountType.CAREER_CENTER
    )
    if user.account_type != expected:
        raise Refused(
            "wrong_account_type",
            f"A {user.get_account_type_display().lower()} account cannot join "
            f"{invitation.target}. Use a separate account for it.",
        )


@transaction.atomic
def accept_invitation(raw_token: str, *, user: User) -> Invitation:
    """Single use, within 7 days, by the account the invitation was sent to."""
    invitation = find_invitation(raw_token)
    if invitation is None:
        raise ServiceError("invitation_not_found", "This invitation link is not valid.", status=404)
    # Lock the row so two simultaneous clicks cannot both use it.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_acceptable(invitation, user)
    try:
        with transaction.atomic():
            if invitation.organization_id:
                Membership.objects.create(
                    user=user, organization_id=invitation.organization_id, role=invitation.role
                )
            else:
                InstitutionStaff.objects.create(user=user, institution_id=invitation.institution_id)
    except IntegrityError:
        raise Conflict("already_member", "You are already a member.") from None
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic
def sign_up_by_invitation(raw_token: str, *, name: str, password: str) -> User:
    """Create the invitee's account. Clicking the emailed link proves they own the address."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.password_validation import validate_password

    invitation = find_invitation(raw_token)
    if invitation is None:
        raise ServiceError("invitation_not_found", "This invitation link is not valid.", status=404)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise Conflict(
            "account_exists", "An account with this email exists already. Log in to accept."
        )
    user = User(
        email=invitation.email,
        name=name.strip(),
        account_type=User.AccountType.ORGANIZATION
        if invitation.organization_id
        else User.AccountType.CAREER_CENTER,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    accept_invitation(raw_token, user=user)
    return user


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by: User) -> None:
    _check_may_invite(by, organization=invitation.organization, institution=invitation.institution)
    if invitation.status != "pending":
        raise Conflict("invitation_not_pending", f"This invitation is {invitation.status} already.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def remove_member(membership: Membership, *, by: User) -> None:
    """Owners remove members; the last owner cannot leave the organization ownerless."""
    if not is_org_owner(by, membership.organization):
        raise Refused("not_owner", "Only the organization's owners can remove members.")
    if membership.role == Membership.Role.OWNER:
        owners = Membership.objects.select_for_update().filter(
            organization=membership.organization, role=Membership.Role.OWNER
        )
        if owners.count() <= 1:
            raise Conflict("last_owner", "An organization needs at least one owner.")
    membership.delete()
    signals.member_removed.send(
        sender=Membership, organization=membership.organization, user=membership.user, by=by
    )


def create_api_token(
    user: User,
    *,
    name: str,
    scope: str = ApiToken.Scope.READ,
    expires_in_days: int = ApiToken.DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """A new personal token: read only unless `scope` is "write", working for
    `expires_in_days` (1 to ApiToken.MAX_DAYS, 90 unless chosen). The raw value is returned
    once and never stored."""
    errors: dict[str, str] = {}
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = "Give the token a name, e.g. the script that uses it."
    elif len(name) > 100:
        errors["name"] = "Keep the name under 100 characters."
    if scope not in ApiToken.Scope.values:
        errors["scope"] = "Choose read or write."
    if (
        isinstance(expires_in_days, bool)
        or not isinstance(expires_in_days, int)
        or not 1 <= expires_in_days <= ApiToken.MAX_DAYS
    ):
        errors["expires_in_days"] = f"Choose from 1 to {ApiToken.MAX_DAYS} days."
    if errors:
        raise ValidationError(errors)
    raw = ApiToken.PREFIX + Invitation.new_token()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_token(raw),
        hint=raw[:10],
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=expires_in_days),
    )
    return token, raw


def revoke_api_token(token: ApiToken, *, by: User) -> None:
    if token.user_id != by.pk:
        raise Refused("not_yours", "You can only revoke your own tokens.")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


@transaction.atomic
def update_account(user: User, *, name: str, timezone_name: str) -> User:
    user.name = name.strip()
    user.timezone = timezone_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "timezone"])
    return user


FORMER_MEMBER = "Former member"


def organizations_left_ownerless(user: User) -> list[Organization]:
    """The organizations `user` is the only owner of: they must hand them over first."""
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER).values("organization")
    return list(
        Organization.objects.filter(pk__in=owned)
        .annotate(owners=Count("memberships", filter=Q(memberships__role=Membership.Role.OWNER)))
        .filter(owners=1)
        .order_by("name")
    )


@transaction.atomic
def delete_account(user: User, *, password: str, revoke_credentials: bool = False) -> None:
    """The person deletes their own account, after typing their password again.

    What they wrote in shared engagements (messages, updates, reviews, signed agreements) stays
    for the other party, shown as by a "Former member"; their name, email, profile, tokens and
    notifications go. Sessions die with the password (Django checks the password's hash on every
    request), calendar feeds with the account (feeds serve active accounts only). The last owner
    of an organization must hand it over first: organizations are never left ownerless.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise Conflict("deleted", "This account is deleted already.")
    if not isinstance(password, str) or not user.check_password(password):
        raise ValidationError({"password": "That is not your password."})
    ownerless = organizations_left_ownerless(user)
    if ownerless:
        names = ", ".join(org.name for org in ownerless)
        raise Conflict(
            "last_owner",
            f"You are the only owner of {names}. Make another member an owner first, "
            "or ask us to close the organization.",
        )
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        membership.delete()
        signals.member_removed.send(
            sender=Membership, organization=membership.organization, user=user, by=user
        )
    InstitutionStaff.objects.filter(user=user).delete()
    signals.account_deleted.send(sender=User, user=user, revoke_credentials=revoke_credentials)
    ApiToken.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    user.name = FORMER_MEMBER
    user.email = f"former-member-{user.pk}@deleted.invalid"
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
