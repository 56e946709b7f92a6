import datetime
import io

import pytest
from django.core.management import call_command

from practicum.engagements.models import Application
from practicum.notifications import reminders, services
from practicum.notifications.models import EmailDelivery, Notification
from tests.factories import ApplicationFactory, MembershipFactory
from tests.notifications.conftest import MORNING

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def offer(project, expires_at, status=Application.Status.OFFERED):
    return ApplicationFactory(
        project=project,
        status=status,
        offered_at=expires_at - 72 * HOUR,
        offer_expires_at=expires_at,
    )


@pytest.fixture
def only_offer_finders(monkeypatch):
    """Only the offer finders, whatever other apps have registered by now."""
    monkeypatch.setattr(
        reminders,
        "_finders",
        {
            name: finder
            for name, finder in reminders.finders().items()
            if name.startswith("practicum.engagements.reminders.")
        },
    )


def test_the_offer_finders_are_registered():
    assert {
        "practicum.engagements.reminders.offers_expiring",
        "practicum.engagements.reminders.offers_expired",
    } <= set(reminders.finders())


def test_a_student_is_reminded_once_of_an_offer_expiring_within_a_day(
    project, clock, mailoutbox, only_offer_finders
):
    soon = offer(project, MORNING + 20 * HOUR)
    offer(project, MORNING + 30 * HOUR)  # not yet
    offer(project, MORNING + 2 * HOUR, status=Application.Status.ACCEPTED)  # answered

    summary = services.run_periodic_pass()
    assert (summary["reminders"], summary["sent"]) == (1, 1)
    reminder = Notification.objects.get()
    assert reminder.recipient == soon.student
    assert reminder.kind == "offer_expiring"
    assert reminder.target == soon
    assert reminder.url == project.get_absolute_url()
    assert reminder.context == {"expires_at": "2030-03-05T05:20:00Z"}
    assert mailoutbox[0].subject == "Your offer for “Survey analysis” expires soon"

    clock.advance(HOUR)
    assert services.run_periodic_pass() == {
        "reminders": 0,
        "digests": 0,
        "sent": 0,
        "retry": 0,
        "failed": 0,
    }
    assert len(mailoutbox) == 1


def test_a_new_expiry_is_a_new_occasion(project, clock, only_offer_finders):
    application = offer(project, MORNING + 20 * HOUR)
    services.run_periodic_pass()
    application.offer_expires_at = MORNING + 22 * HOUR  # the offer was extended
    application.save()
    services.run_periodic_pass()
    assert Notification.objects.filter(kind="offer_expiring").count() == 2


def test_the_organization_hears_when_an_offer_expired(project, clock, only_offer_finders):
    owner = MembershipFactory(organization=project.organization).user
    application = offer(project, MORNING - HOUR)
    offer(project, MORNING - 8 * 24 * HOUR)  # too long ago to announce now

    assert services.run_periodic_pass()["reminders"] == 2
    expired = Notification.objects.filter(kind="offer_expired")
    assert {n.recipient for n in expired} == {owner, project.mentor}
    assert {n.target for n in expired} == {application}
    assert expired[0].context["student"] == application.student.name
    assert services.run_periodic_pass()["reminders"] == 0


def test_finders_cost_a_fixed_number_of_queries(
    project, clock, only_offer_finders, django_assert_max_num_queries
):
    for n in range(5):
        offer(project, MORNING + (n + 1) * HOUR)
        offer(project, MORNING - (n + 1) * HOUR)
    services.record_due_reminders()
    # Expiring: offers. Expired: offers, owners. One known-keys query per finder.
    with django_assert_max_num_queries(5):
        assert services.record_due_reminders() == 0


def test_a_finder_may_yield_plain_tuples(student, project, monkeypatch):
    def due_checkins(now):
        yield (student, "checkin_tomorrow", project, "2030-03-05T10:00", {"when": "at 10:00"})

    monkeypatch.setattr(reminders, "_finders", {})
    reminders.reminder_finder(due_checkins)
    assert services.record_due_reminders() == 1
    assert Notification.objects.get().context == {"when": "at 10:00"}


def test_a_broken_finder_does_not_stop_the_others(student, project, monkeypatch, caplog):
    def broken(now):
        raise RuntimeError("bug in a finder")

    def working(now):
        return [reminders.Reminder(student, "offer_expiring", project, "x")]

    monkeypatch.setattr(reminders, "_finders", {})
    reminders.reminder_finder(broken)
    reminders.reminder_finder(working)
    assert services.run_periodic_pass()["reminders"] == 1
    assert "broken failed" in caplog.text


def test_the_command_runs_one_pass(student, project, mailoutbox):
    services.notify(student, "offer_made", project)
    out = io.StringIO()
    call_command("run_periodic", "--once", stdout=out)
    assert "sent: 1" in out.getvalue()
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.SENT
    call_command("run_periodic", "--once", stdout=out)
    assert len(mailoutbox) == 1
