"""Several workers on one outbox, each thread with its own database connection, as separate
processes would be. On PostgreSQL they send side by side (row locks, SKIP LOCKED); on SQLite
their transactions take turns. Either way each email leaves exactly once."""

import threading
import time

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, connection

from practicum.notifications import services
from practicum.notifications.models import EmailDelivery
from tests.factories import ProjectFactory, StudentFactory

WORKERS = 4
EMAILS = 24


def pending() -> bool:
    try:
        return EmailDelivery.objects.filter(status="pending").exists()
    except OperationalError as exc:
        # SQLite's in-memory test database shares one cache between connections, where even a
        # read waits for a writer ("table is locked"). A database file in WAL mode, as the
        # settings configure, lets readers through.
        if "is locked" not in str(exc):
            raise
        return True


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_email_exactly_once(mailoutbox, monkeypatch):
    project = ProjectFactory()
    for student in StudentFactory.create_batch(EMAILS // 2):
        services.notify(student, "offer_made", project)
        services.notify(student, "deliverable_due_soon", project, occurrence="2030-03-05")
    assert EmailDelivery.objects.filter(status="pending").count() == EMAILS

    real_send = EmailMultiAlternatives.send

    def slow_send(self, fail_silently=False):
        time.sleep(0.02)  # an SMTP round trip, so the workers' sends overlap
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    start = threading.Barrier(WORKERS)
    errors = []

    def work(name):
        try:
            start.wait()
            # A worker that finds every row locked or the SQLite write lock busy ends its pass
            # early, as the periodic job would; it looks again until nothing is pending.
            while pending():
                if not services.send_due_emails(worker=name):
                    time.sleep(0.01)
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []

    assert len(mail.outbox) == EMAILS
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(set(ids)) == EMAILS
    sent = EmailDelivery.objects.filter(status="sent")
    assert sent.count() == EMAILS
    assert set(sent.values_list("attempts", flat=True)) == {1}
    if connection.vendor == "postgresql":
        assert sent.values("claimed_by").distinct().count() > 1  # they did work side by side
