import datetime
import smtplib

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError

from practicum.notifications import services, tasks
from practicum.notifications.models import EmailDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(student, project):
    services.notify(student, "offer_made", project)
    return EmailDelivery.objects.get()


def test_running_the_job_twice_sends_once(queued, mailoutbox):
    assert services.run_periodic_pass(worker="a")["sent"] == 1
    assert services.run_periodic_pass(worker="b")["sent"] == 0
    assert services.send_delivery(queued.pk) is None
    assert len(mailoutbox) == 1
    queued.refresh_from_db()
    assert queued.status == EmailDelivery.Status.SENT
    assert queued.attempts == 1
    assert queued.claimed_by == "a"
    assert queued.sent_at is not None


def test_the_task_sends_its_email_once(queued, mailoutbox, immediate_tasks):
    assert tasks.send_notification_email.enqueue(queued.pk).return_value == "sent"
    assert tasks.send_notification_email.enqueue(queued.pk).return_value is None
    assert len(mailoutbox) == 1


def test_a_failed_send_is_retried_later_then_given_up(queued, mailoutbox, monkeypatch, clock):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    assert services.send_due_emails(now=clock.now) == {"retry": 1}
    queued.refresh_from_db()
    assert queued.status == EmailDelivery.Status.PENDING
    assert queued.not_before == clock.now + services.RETRY_DELAY
    assert "SMTPServerDisconnected" in queued.last_error
    assert services.send_due_emails(now=clock.now) == {}  # not due again yet

    for _ in range(services.MAX_ATTEMPTS - 1):
        queued.refresh_from_db()
        services.send_due_emails(now=queued.not_before)
    queued.refresh_from_db()
    assert queued.status == EmailDelivery.Status.FAILED
    assert queued.attempts == services.MAX_ATTEMPTS

    monkeypatch.undo()
    assert services.send_due_emails(now=clock.now + datetime.timedelta(days=1)) == {}
    assert mailoutbox == []


def test_a_worker_killed_mid_send_leaves_the_email_to_the_next(queued, mailoutbox, monkeypatch):
    def killed(self, fail_silently=False):
        raise SystemExit(143)

    monkeypatch.setattr(EmailMultiAlternatives, "send", killed)
    with pytest.raises(SystemExit):
        services.send_due_emails()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.claimed_by) == ("pending", 0, "")

    monkeypatch.undo()
    assert services.send_due_emails()["sent"] == 1
    assert len(mailoutbox) == 1


def test_a_commit_lost_after_the_server_took_the_email_sends_it_again(
    queued, mailoutbox, monkeypatch
):
    """The one window of "at least once": the copy keeps the Message-ID of the first."""
    real_save = EmailDelivery.save

    def lost(self, *args, **kwargs):
        if self.status == EmailDelivery.Status.SENT:  # recording the outcome, after the send
            raise OperationalError("server closed the connection unexpectedly")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(EmailDelivery, "save", lost)
    with pytest.raises(OperationalError):
        services.send_due_emails()
    monkeypatch.setattr(EmailDelivery, "save", real_save)
    services.send_due_emails()
    assert len(mailoutbox) == 2
    assert mailoutbox[0].extra_headers["Message-ID"] == mailoutbox[1].extra_headers["Message-ID"]
    queued.refresh_from_db()
    assert queued.status == EmailDelivery.Status.SENT


def test_deactivated_accounts_get_no_email(queued, student, mailoutbox):
    student.is_active = False
    student.save()
    assert services.send_due_emails() == {"failed": 1}
    queued.refresh_from_db()
    assert queued.last_error == "The account is deactivated."
    assert mailoutbox == []


def test_an_email_whose_notifications_are_gone_is_not_sent(queued, mailoutbox):
    queued.notifications.all().delete()
    assert services.send_due_emails() == {"failed": 1}
    assert mailoutbox == []


def test_the_email_has_both_parts_and_links(queued, student, mailoutbox, settings):
    settings.SITE_URL = "https://practicum.example"
    services.send_due_emails()
    [message] = mailoutbox
    notification = queued.notifications.get()
    open_link = f"https://practicum.example/notifications/{notification.pk}/open/"
    assert open_link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{open_link}"' in html
    assert "Hello" in html and "“Survey analysis”" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://practicum.example/notifications/unsubscribe/")
    assert unsubscribe[1:-1] in message.body
    assert message.extra_headers["Message-ID"].endswith("@practicum.example>")


def test_html_escapes_what_people_wrote(student, project, mailoutbox):
    project.title = "<script>alert(1)</script>"
    project.save()
    services.notify(student, "offer_made", project)
    services.send_due_emails()
    html = mailoutbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in mailoutbox[0].body  # plain text is not HTML


def test_account_security_mail_has_no_unsubscribe(student, mailoutbox):
    services.notify(student, "account_security", title="Your password changed")
    services.send_due_emails()
    [message] = mailoutbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/unsubscribe/" not in message.body
