"""Reads for accounts: querysets with their joins, so pages do a fixed number of queries."""

from dataclasses import dataclass, field

from django.utils import timezone

from practicum.accounts.models import ApiToken, Invitation, Membership, User


@dataclass
class Navigation:
    is_student: bool = False
    organizations: list = field(default_factory=list)  # [(Organization, role)]
    institutions: list = field(default_factory=list)


def navigation_for(user) -> Navigation:
    if not user.is_authenticated:
        return Navigation()
    if user.is_student:
        return Navigation(is_student=True)
    memberships = Membership.objects.filter(user=user).select_related("organization")
    staff = user.staff_roles.select_related("institution")
    return Navigation(
        organizations=[(m.organization, m.role) for m in memberships],
        institutions=[s.institution for s in staff],
    )


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def members_of(organization):
    return organization.memberships.select_related("user").order_by("role", "user__name")


def pending_invitations(*, organization=None, institution=None):
    return Invitation.objects.filter(
        organization=organization,
        institution=institution,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


# Tokens a page or an API page lists at a time.
TOKENS_PAGE_SIZE = 20


def working_tokens(user):
    """The person's tokens that still work (neither revoked nor expired), newest first."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-pk")
