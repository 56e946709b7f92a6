"""Reads for notifications: each a fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import BooleanField, Exists, ExpressionWrapper, Q

from practicum.core.errors import ServiceError
from practicum.notifications import kinds, tokens
from practicum.notifications.kinds import Delivery, Kind
from practicum.notifications.models import Notification, NotificationPreference

PAGE_SIZE = 20


def notifications_for(user, *, unread_only: bool = False):
    """The user's notifications, unread first, newest first within each group."""
    found = Notification.objects.filter(recipient=user)
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found.annotate(
        unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    ).order_by("-unread", "-created_at", "-pk")


def announced(kind: str, model, target_id, occurrence) -> Exists:
    """Whether `kind` was recorded for this occasion of a target, for anyone: an expression for
    a reminder finder's query (`target_id` and `occurrence` usually OuterRef()s), so it lists
    only the occasions not announced yet instead of every one still due (issue 14)."""
    return Exists(
        Notification.objects.filter(
            target_id=target_id,
            kind=kind,
            occurrence=occurrence,
            target_type=ContentType.objects.get_for_model(model),
        )
    )


def notification_of(user, pk: int) -> Notification | None:
    """One of the user's own notifications; another person's is as good as missing."""
    return Notification.objects.filter(recipient=user, pk=pk).first()


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _effective(kind: Kind, chosen: str | None) -> Delivery:
    if chosen is None or not kind.can_switch_off:
        return kind.default
    return Delivery(chosen)


def delivery_for(user, kind: Kind) -> Delivery:
    """How the user wants this kind delivered: their choice, or the kind's default."""
    if not kind.can_switch_off:
        return kind.default
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind.key)
        .values_list("delivery", flat=True)
        .first()
    )
    return _effective(kind, chosen)


@dataclass
class Preference:
    kind: Kind
    delivery: Delivery


def preferences_for(user) -> list[Preference]:
    """Every kind the user can receive with how it is delivered, in registry order."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        Preference(kind, _effective(kind, chosen.get(kind.key))) for kind in kinds.kinds_for(user)
    ]


def pending_digest_recipients() -> list[tuple[int, str]]:
    """(user id, time zone) of everyone with digest notifications not yet put in an email."""
    return list(
        Notification.objects.filter(delivery=Delivery.EMAIL_DIGEST, email__isnull=True)
        .values_list("recipient_id", "recipient__timezone")
        .distinct()
    )


class InvalidLink(ServiceError):
    def __init__(self):
        super().__init__(
            "invalid_link",
            "This unsubscribe link is not valid: it was changed, or it is too old. "
            "Log in and choose what you receive on the notification preferences page.",
            status=400,
        )


@dataclass
class Unsubscribe:
    user: object
    kinds: list[Kind]


def unsubscribe_link(token: str) -> Unsubscribe:
    """Who a signed unsubscribe link is for and which kinds it switches off; InvalidLink if it
    was tampered with, has expired, or names something that can no longer be switched off."""
    try:
        user_id, keys = tokens.read_unsubscribe_token(token)
    except signing.BadSignature:
        raise InvalidLink from None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    found = [kinds.KINDS.get(key) for key in keys]
    if user is None or not found or not all(k and k.can_switch_off for k in found):
        raise InvalidLink
    return Unsubscribe(user, found)
