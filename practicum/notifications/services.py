"""Writes for notifications: recording them, the email outbox, digests, reminders, preferences.

Other apps call `notify()` (usually inside their own transaction, right after the state change it
announces) and register reminder finders (see reminders.py). Nothing else here is for them.
"""

import datetime
import logging
import os
import socket
import zoneinfo
from collections import Counter
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from practicum.core import idempotency
from practicum.core.errors import ServiceError
from practicum.notifications import kinds, reminders, selectors
from practicum.notifications.emails import build_email
from practicum.notifications.kinds import Delivery, Kind
from practicum.notifications.models import (
    EMAIL_STATES,
    EmailDelivery,
    Notification,
    NotificationPreference,
)
from practicum.notifications.rules import is_recipient

logger = logging.getLogger(__name__)

MAX_OCCURRENCE_LENGTH = 64
MAX_ATTEMPTS = 5
RETRY_DELAY = datetime.timedelta(minutes=2)  # doubled after each failed attempt
DIGEST_HOUR = 8  # local time of the recipient


def _target_label(target) -> str:
    if target is None:
        return "-"
    content_type = ContentType.objects.get_for_model(target)
    return f"{content_type.app_label}.{content_type.model}:{target.pk}"


def notification_key(recipient, kind: str, target, occurrence: str = "") -> str:
    return f"{recipient.pk}:{kind}:{_target_label(target)}:{occurrence}"


def notify(
    recipient,
    kind: str,
    target=None,
    context: dict | None = None,
    occurrence: str = "",
    *,
    url: str | None = None,
    title: str | None = None,
) -> Notification | None:
    """Record that `kind` happened to `target` for `recipient`, and queue its email.

    One event is recorded once: the key (recipient, kind, target, occurrence) is unique, and
    calling again with the same key returns the notification already recorded and queues nothing.
    Use `occurrence` to tell repeated events about the same target apart (a message id, a due
    date). The recipient's preference for the kind decides the rest: "off" records nothing (and
    returns None), "in_app" only records, "email_now" queues an email (batched for kinds with a
    batch window), "email_digest" leaves it for the daily digest.

    `url` and `title` default to the target's get_absolute_url() and str(target). An email is
    handed to the task worker when the surrounding transaction commits, so a rolled-back change
    never sends anything; a batched one is sent by the periodic job when its window ends.
    """
    return _record(recipient, kind, target, context, occurrence, url=url, title=title)[0]


def _record(
    recipient, kind: str, target, context, occurrence: str, *, url, title
) -> tuple[Notification | None, bool]:
    """notify(), and whether this call recorded it (False when it was already there, perhaps
    recorded a moment ago by another process)."""
    spec = kinds.get(kind)
    if len(occurrence) > MAX_OCCURRENCE_LENGTH:
        raise ValueError(f"occurrence is longer than {MAX_OCCURRENCE_LENGTH} characters.")
    delivery = selectors.delivery_for(recipient, spec)
    if delivery == Delivery.OFF:
        return None, False
    if title is None:
        title = str(target) if target is not None else spec.label
    if url is None:
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    now = timezone.now()
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            key=notification_key(recipient, kind, target, occurrence),
            defaults={
                "recipient": recipient,
                "kind": kind,
                "target_type": (
                    ContentType.objects.get_for_model(target) if target is not None else None
                ),
                "target_id": target.pk if target is not None else None,
                "occurrence": occurrence,
                "title": title[:200],
                "url": url,
                "message": spec.message.format(**(context or {}), title=title)[:500],
                "context": context or {},
                "delivery": delivery,
                "created_at": now,
            },
        )
        if created and delivery == Delivery.EMAIL_NOW:
            if spec.batch_window:
                _add_to_batch(notification, spec, _target_label(target), now)
            else:
                _queue_email(notification, now)
    return notification, created


def _queue_email(notification: Notification, now: datetime.datetime) -> None:
    from practicum.notifications.tasks import send_notification_email

    email = EmailDelivery.objects.create(
        recipient_id=notification.recipient_id,
        key=f"now:{notification.pk}",
        kind=notification.kind,
        not_before=now,
    )
    notification.email = email
    notification.save(update_fields=["email"])
    # The periodic job sends whatever is due too, so an enqueue lost between the commit and
    # this callback only delays the email by a minute.
    transaction.on_commit(partial(send_notification_email.enqueue, email.pk), robust=True)


def _window_start(now: datetime.datetime, window: datetime.timedelta) -> datetime.datetime:
    seconds = window.total_seconds()
    return datetime.datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=datetime.UTC)


def _add_to_batch(
    notification: Notification, spec: Kind, target_label: str, now: datetime.datetime
) -> None:
    """Attach to the email of the current window for (recipient, kind, target), which goes out
    when the window ends. Windows are fixed slices of time, so concurrent notify() calls agree
    on the key and the unique constraint leaves them one email."""
    start = _window_start(now, spec.batch_window)
    while True:
        key = f"batch:{notification.recipient_id}:{spec.key}:{target_label}:{start:%Y%m%dT%H%M%S}"
        email, _ = EmailDelivery.objects.get_or_create(
            key=key,
            defaults={
                "recipient_id": notification.recipient_id,
                "kind": spec.key,
                "not_before": start + spec.batch_window,
            },
        )
        # The lock makes a worker that is sending this email right now finish first; a window
        # already sent (a slow transaction, a worker clock ahead) passes the message on to the
        # next window instead of losing it.
        email = EmailDelivery.objects.select_for_update().get(pk=email.pk)
        if email.status == EmailDelivery.Status.PENDING:
            break
        start += spec.batch_window
    notification.email = email
    notification.save(update_fields=["email"])


def mark_read(notification: Notification, *, by) -> Notification:
    """Only the recipient reads their notifications; reading twice keeps the first time."""
    if not is_recipient(by, notification):
        # Someone else's notification is as good as missing, as in the selectors.
        raise ServiceError("not_found", "Not found.", status=404)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_read_about(user, kind: str, target) -> int:
    """Mark read the user's unread notifications of `kind` about `target`: whoever opens the
    thing itself (a message thread) has read what announced it. The number marked."""
    return Notification.objects.filter(
        recipient=user,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        read_at__isnull=True,
    ).update(read_at=timezone.now())


def mark_read_at(user, path: str) -> int:
    """Mark read the user's unread notifications that lead to `path` (their link, with or
    without a #fragment): whoever has the page open has read what announced it, however they
    got there. The number marked."""
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .filter(Q(url=path) | Q(url__startswith=f"{path}#"))
        .update(read_at=timezone.now())
    )


def mark_all_read(user) -> int:
    """Mark every unread notification of the user read; the number marked."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_preferences(user, choices: dict[str, str]) -> list[selectors.Preference]:
    """Set how each kind reaches the user; kinds left out go back to their default.

    Only kinds meant for the user can be set, and never those that cannot be switched off
    (account security).
    """
    available = {kind.key: kind for kind in kinds.kinds_for(user)}
    errors = {}
    for key, value in choices.items():
        kind = available.get(key)
        if kind is None:
            errors[key] = ["There is no such notification for you."]
        elif not kind.can_switch_off:
            errors[key] = ["These emails are always sent and cannot be changed."]
        elif value not in Delivery.values:
            errors[key] = [f"Choose one of: {', '.join(Delivery.values)}."]
    if errors:
        raise ValidationError(errors)
    # Only choices that differ from the default are stored, so a better default reaches everyone
    # who never changed it.
    NotificationPreference.objects.filter(user=user).delete()
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=user, kind=key, delivery=value)
        for key, value in choices.items()
        if value != available[key].default
    )
    return selectors.preferences_for(user)


@transaction.atomic
def unsubscribe(token: str) -> selectors.Unsubscribe:
    """Switch the kinds named in a signed unsubscribe link off for its user. No login needed:
    the signature is the proof; InvalidLink when it does not hold."""
    link = selectors.unsubscribe_link(token)
    for kind in link.kinds:
        NotificationPreference.objects.update_or_create(
            user=link.user, kind=kind.key, defaults={"delivery": Delivery.OFF}
        )
    return link


# --- The outbox --------------------------------------------------------------------------------


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def send_due_emails(*, now: datetime.datetime | None = None, worker: str = "") -> Counter:
    """Send every email that is due, one per transaction; counts by outcome.

    Each email is sent while its row is locked and marked sent in that same transaction. On
    PostgreSQL another worker skips the locked row (SKIP LOCKED) and, once the first commits,
    no longer sees it pending. On SQLite the transaction takes the database's write lock when it
    begins, so workers take turns (and other writers wait out one SMTP exchange, within the busy
    timeout: fine on a laptop; production runs PostgreSQL). A worker killed mid-send leaves
    nothing committed: the lock goes with its connection, the row is still pending and the next
    pass sends it.

    That is at least once, and exactly once but for one window: the SMTP server has accepted
    the message and the commit that records it fails (the process dies or the database goes away
    in between). The email is then sent again on the next pass; its Message-ID stays the same so
    receiving systems can drop the copy.
    """
    now = now or timezone.now()
    due = EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING, not_before__lte=now)
    outcomes = Counter()
    while outcome := _send_next(due, now, worker or default_worker_id()):
        outcomes[outcome] += 1
    return outcomes


def send_delivery(delivery_id: int, *, worker: str = "") -> str | None:
    """Send one email if it is still due (the task worker's way in); its outcome, or None."""
    now = timezone.now()
    due = EmailDelivery.objects.filter(
        pk=delivery_id, status=EmailDelivery.Status.PENDING, not_before__lte=now
    )
    return _send_next(due, now, worker or default_worker_id())


def _send_next(due, now: datetime.datetime, worker: str) -> str | None:
    """Lock the first due email, send it and record the outcome; None when none is left to
    this worker (all sent, or all locked by others)."""
    try:
        with transaction.atomic():
            email = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .order_by("not_before", "pk")
                .first()
            )
            if email is None:
                return None
            email.attempts += 1
            email.claimed_by, email.claimed_at = worker[:100], now
            # Write the claim before sending: a write refused for lock contention then fails
            # before the email leaves, not after, and the outcome below is written with locks
            # this transaction already holds.
            email.save(update_fields=["attempts", "claimed_by", "claimed_at"])
            outcome = _attempt(email, now)
            if outcome == "retry":
                email.save(update_fields=["last_error", "not_before"])
            return outcome
    except OperationalError as exc:
        # SQLite: another worker holds the write lock for longer than the busy timeout. What is
        # due stays pending for the next pass.
        if "is locked" in str(exc).lower():
            return None
        raise


def _attempt(email: EmailDelivery, now: datetime.datetime) -> str:
    """Send the claimed email: "sent", "failed" (given up: both written now) or "retry" (the
    caller saves the error and the next attempt's time)."""
    if not email.recipient.is_active:
        EMAIL_STATES.move(email, "give_up", last_error="The account is deactivated.")
        return "failed"
    notifications = list(email.notifications.order_by("created_at", "pk"))
    if not notifications:
        EMAIL_STATES.move(email, "give_up", last_error="Nothing left to send.")
        return "failed"
    try:
        build_email(email, notifications).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if email.attempts >= MAX_ATTEMPTS:
            EMAIL_STATES.move(email, "give_up", last_error=error)
            logger.error("Gave up sending %s: %s", email.key, error)
            return "failed"
        email.last_error = error
        email.not_before = now + RETRY_DELAY * 2 ** (email.attempts - 1)
        logger.warning("Sending %s failed, will retry: %s", email.key, error)
        return "retry"
    EMAIL_STATES.move(email, "send", sent_at=now, last_error="")
    return "sent"


# --- Digests -----------------------------------------------------------------------------------


def queue_digests(*, now: datetime.datetime | None = None) -> int:
    """Put each user's digest notifications in that day's digest email, once the day has reached
    DIGEST_HOUR in their time zone; the number of digests started. One digest per user and local
    day (its key), so running this any number of times queues each digest once."""
    now = now or timezone.now()
    due = {}
    for user_id, tzname in selectors.pending_digest_recipients():
        local = now.astimezone(zoneinfo.ZoneInfo(tzname or "UTC"))
        if local.hour >= DIGEST_HOUR:
            due[_digest_key(user_id, local.date())] = user_id
    # Whoever already had today's digest waits for tomorrow's: found in one query, so a pass
    # costs no more for the many people with news since this morning's digest.
    sent = set(
        EmailDelivery.objects.filter(key__in=list(due))
        .exclude(status=EmailDelivery.Status.PENDING)
        .values_list("key", flat=True)
    )
    return sum(_queue_digest(user_id, key, now) for key, user_id in due.items() if key not in sent)


def _digest_key(user_id: int, day: datetime.date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


@transaction.atomic
def _queue_digest(user_id: int, key: str, now: datetime.datetime) -> bool:
    email, created = EmailDelivery.objects.get_or_create(
        key=key,
        defaults={"recipient_id": user_id, "kind": EmailDelivery.DIGEST, "not_before": now},
    )
    email = EmailDelivery.objects.select_for_update().get(pk=email.pk)
    if email.status != EmailDelivery.Status.PENDING:
        return False  # today's digest is out; what came after waits for tomorrow's
    Notification.objects.filter(
        recipient_id=user_id,
        delivery=Delivery.EMAIL_DIGEST,
        email__isnull=True,
        created_at__lte=now,
    ).update(email=email)
    return created


# --- Reminders and the periodic pass -----------------------------------------------------------


def record_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Ask every registered finder what is due and notify() it; the number newly recorded.

    A finder that fails is logged and skipped, so one broken finder cannot hold up the others
    or the outbox.
    """
    now = now or timezone.now()
    recorded = 0
    for name, finder in reminders.finders().items():
        try:
            due = {
                notification_key(r.recipient, r.kind, r.target, r.occurrence): r
                for r in reminders.due_reminders(finder, now)
            }
            # Most of what a finder lists on each pass is already recorded: skip those in one
            # query instead of a notify() each.
            known = set(
                Notification.objects.filter(key__in=list(due)).values_list("key", flat=True)
            )
            for key, r in due.items():
                # Another scheduler may record the same reminder between the query above and
                # this call: only what this pass recorded itself counts.
                if key in known:
                    continue
                _, created = _record(
                    r.recipient, r.kind, r.target, r.context, r.occurrence, url=r.url, title=r.title
                )
                recorded += created
        except Exception:
            logger.exception("Reminder finder %s failed", name)
    return recorded


def run_periodic_pass(*, now: datetime.datetime | None = None, worker: str = "") -> dict:
    """One pass of the periodic job: due reminders and registered jobs (reminders.periodic_job),
    due digests, then every email that is due."""
    now = now or timezone.now()
    reminders_recorded = record_due_reminders(now=now)
    for name, job in reminders.jobs().items():
        try:
            reminders_recorded += job(now)
        except Exception:
            logger.exception("Periodic job %s failed", name)
    digests = queue_digests(now=now)
    emails = send_due_emails(now=now, worker=worker)
    idempotency.forget_old_keys(now)
    return {
        "reminders": reminders_recorded,
        "digests": digests,
        "sent": emails["sent"],
        "retry": emails["retry"],
        "failed": emails["failed"],
    }


def forget_recipient(sender, user, **kwargs) -> None:
    """accounts.signals.account_deleted: nothing is kept or sent for a deleted account."""
    Notification.objects.filter(recipient=user).delete()
    EmailDelivery.objects.filter(recipient=user).delete()
