"""Who may do what with notifications: only their recipient ever sees or touches them."""

import rules


@rules.predicate
def is_recipient(user, notification) -> bool:
    return user.is_authenticated and notification.recipient_id == user.pk


rules.add_perm("notifications.read_notification", is_recipient)
