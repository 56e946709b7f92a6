"""The whole way out: the outbox, Django's SMTP backend, and a real SMTP server on localhost."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from practicum.notifications import services
from practicum.notifications.kinds import Delivery
from practicum.notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "http://testserver"
    yield inbox
    controller.stop()


def test_a_notification_arrives_over_smtp_with_a_working_unsubscribe(
    smtp_inbox, student, project, settings
):
    notification = services.notify(student, "offer_made", project)
    assert services.run_periodic_pass()["sent"] == 1
    assert services.run_periodic_pass()["sent"] == 0

    [envelope] = smtp_inbox.envelopes
    assert envelope.rcpt_tos == [student.email]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"] == student.email
    assert message["Subject"] == "You have an offer for “Survey analysis”"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"

    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "You received an offer for “Survey analysis”." in text
    assert f"http://testserver/notifications/{notification.pk}/open/" in text
    assert f'href="http://testserver/notifications/{notification.pk}/open/"' in html

    # Long headers arrive folded; the value is the URL in angle brackets.
    unsubscribe = re.fullmatch(r"<(http://testserver(/\S+))>", message["List-Unsubscribe"].strip())
    assert unsubscribe.group(1) in text
    assert unsubscribe.group(1) in html
    # The mail provider's one-click request: a POST with this body, no cookies, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe.group(2),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    preference = NotificationPreference.objects.get(user=student)
    assert (preference.kind, preference.delivery) == ("offer_made", Delivery.OFF)


def test_a_server_that_is_down_leaves_the_email_for_a_retry(smtp_inbox, student, project, settings):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    services.notify(student, "offer_made", project)
    assert services.run_periodic_pass()["retry"] == 1
    assert smtp_inbox.envelopes == []
