"""Who may see and change a credential, for views, API and templates alike.

A credential is public (anybody, logged in or not, may see and verify it) until its student
hides it; a hidden one exists only for its student (404 for everybody else). Only its student
hides or shows it; only a platform admin revokes it, and a platform admin is not a party to
the engagement: revoking is moderation, not a reading right.

Checked with `rules.has_perm`, never `user.has_perm`: Django grants every permission to a
superuser, and a superuser is not the student.
"""

import rules


@rules.predicate
def is_holder(user, credential) -> bool:
    return user.is_authenticated and credential is not None and credential.student_id == user.pk


@rules.predicate
def is_shown(user, credential) -> bool:
    return credential is not None and not credential.hidden


@rules.predicate
def is_platform_admin(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_staff


rules.add_perm("credentials.view_credential", is_holder | is_shown)
rules.add_perm("credentials.hide_credential", is_holder)
rules.add_perm("credentials.revoke_credential", is_platform_admin)
