"""Compose the email for an outbox row: plain text and HTML from templates, with one-click
unsubscribe links (RFC 8058) for everything that can be switched off, and a notification's own
"stop these" link where its context carries one (a saved search's alerts)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from practicum.notifications import kinds
from practicum.notifications.models import EmailDelivery, Notification
from practicum.notifications.tokens import make_unsubscribe_token


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(user, kind_keys: list[str]) -> str:
    token = make_unsubscribe_token(user, kind_keys)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def _open_url(notification: Notification) -> str:
    # Through the open view, so following the link from an email marks it read in the app too.
    return absolute(reverse("notifications:open", args=[notification.pk]))


def _stop_url(notification: Notification) -> str:
    """The notification's own "stop these" link, for kinds whose every occurrence can be
    stopped on its own (a saved search's alerts): its `stop_url` context, made absolute."""
    path = (notification.context or {}).get("stop_url")
    return absolute(path) if isinstance(path, str) and path.startswith("/") else ""


def _message_id(delivery: EmailDelivery) -> str:
    # Stable across retries: if a send is repeated (see services.send_due_emails), receiving
    # systems that deduplicate by Message-ID show it once. created_at keeps ids apart across
    # databases whose primary keys restart.
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification.{delivery.pk}.{int(delivery.created_at.timestamp())}@{host}>"


def build_email(delivery: EmailDelivery, notifications: list[Notification]):
    """The EmailMultiAlternatives for a delivery and the notifications it carries (oldest first,
    at least one)."""
    user = delivery.recipient
    if delivery.kind == EmailDelivery.DIGEST:
        groups: dict[str, list[Notification]] = {}
        for notification in notifications:
            groups.setdefault(notification.kind, []).append(notification)
        sections = [
            {
                "kind": kind,
                "entries": [(n, _open_url(n), _stop_url(n)) for n in groups[kind.key]],
                "unsubscribe_url": (
                    unsubscribe_url(user, [kind.key]) if kind.can_switch_off else ""
                ),
            }
            for kind in kinds.KINDS.values()
            if kind.key in groups
        ]
        count = len(notifications)
        subject = f"Your Practicum digest: {count} update{'s' if count != 1 else ''}"
        template = "notifications/email/digest"
        switchable = [s["kind"].key for s in sections if s["kind"].can_switch_off]
        context = {"sections": sections}
    else:
        kind = kinds.get(delivery.kind)
        latest = notifications[-1]
        count = len(notifications)
        if count > 1:
            subject = kind.batch_subject.format(title=latest.title, count=count)
            message = kind.batch_message.format(title=latest.title, count=count)
        else:
            subject = kind.subject.format(title=latest.title)
            message = latest.message
        template = "notifications/email/notification"
        switchable = [kind.key] if kind.can_switch_off else []
        context = {
            "kind": kind,
            "message": message,
            "link": _open_url(latest),
            "stop_link": _stop_url(latest),
        }

    context.update(
        user=user,
        subject=subject,
        unsubscribe_url=unsubscribe_url(user, switchable) if switchable else "",
        preferences_url=absolute(reverse("notifications:preferences")),
    )
    with timezone.override(user.timezone or "UTC"):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    headers = {"Message-ID": _message_id(delivery)}
    if switchable:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(subject=subject, body=text, to=[user.email], headers=headers)
    email.attach_alternative(html, "text/html")
    return email
