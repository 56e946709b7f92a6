"""Who may do what with organizations and institutions, for views, API and templates alike."""

import rules

from practicum.accounts.models import Membership


@rules.predicate
def is_org_member(user, organization) -> bool:
    if not user.is_authenticated or organization is None:
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


@rules.predicate
def is_org_owner(user, organization) -> bool:
    if not user.is_authenticated or organization is None:
        return False
    return Membership.objects.filter(
        user=user, organization=organization, role=Membership.Role.OWNER
    ).exists()


@rules.predicate
def is_institution_staff(user, institution) -> bool:
    if not user.is_authenticated or institution is None:
        return False
    return user.staff_roles.filter(institution=institution).exists()


rules.add_perm("accounts.change_organization", is_org_owner)
rules.add_perm("accounts.manage_members", is_org_owner)
rules.add_perm("accounts.view_members", is_org_member)
rules.add_perm("accounts.manage_institution_staff", is_institution_staff)
