"""Who may see and change a student profile: one place, used by views, API and templates.

A profile is personal: people who may not see it get a 404, as if it did not exist. Career-center
staff do not see it: a student who consents shares outcomes only, in the careers app.
"""

import rules

from practicum.accounts.models import Membership


@rules.predicate
def is_profile_owner(user, profile) -> bool:
    return user.is_authenticated and profile is not None and profile.user_id == user.pk


@rules.predicate
def is_platform_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


@rules.predicate
def is_org_member_and_student_discoverable(user, profile) -> bool:
    """Organizations browse students only when the student chose to be discoverable."""
    if not user.is_authenticated or profile is None or not profile.discoverable:
        return False
    return Membership.objects.filter(user=user).exists()


@rules.predicate
def is_member_of_an_organization_applied_to(user, profile) -> bool:
    """An application shows the student's profile to the organization it was sent to, whether
    or not the student is discoverable: choosing applicants needs it. (Applications live in the
    engagements app, above this one: the query follows the relations, it imports nothing.)"""
    if not user.is_authenticated or profile is None:
        return False
    return Membership.objects.filter(
        user=user, organization__projects__applications__student_id=profile.user_id
    ).exists()


may_view_profile = (
    is_profile_owner
    | is_platform_admin
    | is_org_member_and_student_discoverable
    | is_member_of_an_organization_applied_to
)
may_change_profile = is_profile_owner
# The CV goes only where the student sent it: to the organizations of projects they applied to.
# Not to organizations browsing discoverable students, nor to platform admins or career centers.
may_view_cv = is_profile_owner | is_member_of_an_organization_applied_to

rules.add_perm("profiles.view_profile", may_view_profile)
rules.add_perm("profiles.change_profile", may_change_profile)
# The photo is seen wherever the profile is.
rules.add_perm("profiles.view_cv", may_view_cv)
