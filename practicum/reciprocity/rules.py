"""Who sees which reciprocity index: one place for pages, API and the profile fragment.

An organization's index is public, like its page and its projects. A student's index is shown
to the student and to organization members who may see the student's profile (the profiles
rules: discoverable students, or students who applied to the organization). Career-center
staff and platform admins see the profile, not the index: it exists to help the two sides of
an engagement choose each other.
"""

import rules

from practicum.accounts.models import Membership
from practicum.profiles.rules import is_profile_owner, may_view_profile


@rules.predicate
def is_organization_member(user) -> bool:
    return user.is_authenticated and Membership.objects.filter(user=user).exists()


may_view_student_index = is_profile_owner | (is_organization_member & may_view_profile)

# The object is the student's profile.
rules.add_perm("reciprocity.view_student_index", may_view_student_index)
