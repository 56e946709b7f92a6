"""Several workers on one outbox, each thread with its own database connection, as separate
processes would be. On PostgreSQL they send side by side (row locks, SKIP LOCKED); on SQLite
their transactions take turns. Either way each email leaves exactly once."""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, connection
from django.utils import timezone

from practicum.engagements import reminders as engagement_reminders
from practicum.engagements.models import Application
from practicum.notifications import reminders, services
from practicum.notifications.models import EmailDelivery, Notification
from tests.factories import ApplicationFactory, ProjectFactory, StudentFactory

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


@pytest.mark.django_db(transaction=True)
def test_two_periodic_schedulers_at_once_send_each_reminder_once(mailoutbox, monkeypatch):
    """Two `run_periodic` processes (two machines) list the same due reminders at the same
    moment; the unique key of a notification and of its email leaves one of each."""
    now = timezone.now()
    project = ProjectFactory()
    offers = [
        ApplicationFactory(
            project=project,
            status=Application.Status.OFFERED,
            offered_at=now - datetime.timedelta(days=2),
            offer_expires_at=now + datetime.timedelta(hours=n + 1),
        )
        for n in range(EMAILS // 2)
    ]
    real_finder = engagement_reminders.offers_expiring
    listed = threading.Barrier(2)

    def finder_in_step(at):
        # Both schedulers have listed every due reminder before either records one: the
        # worst case, where only the database can keep them apart.
        due = list(real_finder(at))
        listed.wait(timeout=5)
        return due

    monkeypatch.setattr(reminders, "_finders", {"offers_expiring": finder_in_step})
    errors, summaries = [], []

    def scheduler(name):
        try:
            summaries.append(services.run_periodic_pass(worker=name))
        except OperationalError as exc:
            # SQLite's shared in-memory test database refuses a second writer at once ("table
            # is locked") where a database file waits; the command logs a failed pass and
            # tries again a minute later, as the pass below does.
            if connection.vendor != "sqlite" or "is locked" not in str(exc):
                errors.append(exc)
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler, args=(f"scheduler-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    monkeypatch.setattr(reminders, "_finders", {"offers_expiring": real_finder})
    # The next minute records what a refused write (SQLite) left; a pass sends what was due when
    # it began, so the emails of those are sent by the pass after (or at once by a task worker,
    # which the tests do not run).
    for minute in ("next-minute", "minute-after"):
        services.run_periodic_pass(worker=minute)

    assert Notification.objects.filter(kind="offer_expiring").count() == len(offers)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(a.student.email for a in offers)
    assert EmailDelivery.objects.filter(status="sent").count() == len(offers)
    if connection.vendor == "postgresql":
        # Both listed and both recorded; the constraint, not luck, kept the second copy out.
        assert sum(s["reminders"] for s in summaries) == len(offers)
