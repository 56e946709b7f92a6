"""What accounts announce to the apps above it, which it cannot import."""

from django.dispatch import Signal

# Sent inside complete_signup's transaction, with `user`, once its account type is set: the
# profiles app gives a new student their (empty) profile.
account_created = Signal()

# Sent inside remove_member's transaction, with `organization`, `user` and `by` (the owner who
# removed them), once the membership
# is gone: the apps above take back what the person had through it (engagements they mentor).
member_removed = Signal()

# Sent inside delete_account's transaction, with `user` (not yet anonymised) and
# `revoke_credentials`, after their memberships are gone: each app above erases the personal
# data it keeps about the person (profile, notifications, talent lists, typed signatures) and
# keeps what they wrote in shared engagements, which then shows as by a former member.
account_deleted = Signal()
