import datetime

import pytest

from practicum.notifications import services
from practicum.notifications.kinds import Delivery
from practicum.notifications.models import EmailDelivery, NotificationPreference
from tests.factories import MembershipFactory, ProjectFactory
from tests.notifications.conftest import MORNING

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(db):
    return MembershipFactory(user__name="Nora Field").user


def record_applications(organizer, clock, count):
    """`count` applications to two projects, from 06:00 UTC on, ten minutes apart."""
    clock.set(MORNING.replace(hour=6, minute=0))
    projects = [ProjectFactory(title=f"Project {n}") for n in range(2)]
    for n in range(count):
        services.notify(organizer, "application_received", projects[n % 2], occurrence=f"a{n}")
        clock.advance(datetime.timedelta(minutes=10))
    return projects


def test_the_digest_collects_a_day_of_notifications_grouped_by_kind(organizer, clock, mailoutbox):
    NotificationPreference.objects.create(
        user=organizer, kind="offer_declined", delivery=Delivery.EMAIL_DIGEST
    )
    projects = record_applications(organizer, clock, 3)
    services.notify(organizer, "offer_declined", projects[0])
    assert services.queue_digests() == 0  # 06:30 UTC, before the digest hour
    assert mailoutbox == []

    clock.set(MORNING)
    summary = services.run_periodic_pass()
    assert summary["digests"] == 1
    assert summary["sent"] == 1
    [message] = mailoutbox
    assert message.subject == "Your Practicum digest: 4 updates"
    body = message.body
    assert "A student applied to your project (3)" in body
    assert "A student declined your offer (1)" in body
    assert body.index("applied to your project") < body.index("declined your offer")
    assert body.count("A student applied to “Project 0”.") == 2
    assert body.count("A student applied to “Project 1”.") == 1
    html = message.alternatives[0][0]
    assert "A student applied to your project (3)" in html
    # One link to stop each kind, and one for everything in the digest.
    assert body.count("/notifications/unsubscribe/") == 3
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_is_sent_once_a_day(organizer, clock, mailoutbox):
    record_applications(organizer, clock, 2)
    clock.set(MORNING)
    services.run_periodic_pass()
    services.run_periodic_pass()
    clock.advance(datetime.timedelta(hours=5))
    services.run_periodic_pass()
    assert len(mailoutbox) == 1
    assert EmailDelivery.objects.get().key == f"digest:{organizer.pk}:2030-03-04"


def test_what_comes_after_the_digest_waits_for_tomorrow(organizer, clock, mailoutbox):
    projects = record_applications(organizer, clock, 1)
    clock.set(MORNING)
    services.run_periodic_pass()
    services.notify(organizer, "application_received", projects[1], occurrence="late")
    clock.advance(datetime.timedelta(hours=12))  # 21:20, same day
    assert services.run_periodic_pass()["digests"] == 0
    clock.advance(datetime.timedelta(hours=11))  # 08:20 the next day
    assert services.run_periodic_pass()["digests"] == 1
    assert [m.subject for m in mailoutbox] == [
        "Your Practicum digest: 1 update",
        "Your Practicum digest: 1 update",
    ]
    assert "Project 1" in mailoutbox[1].body


def test_the_digest_hour_is_the_recipients_own(organizer, clock, mailoutbox):
    organizer.timezone = "America/New_York"  # 09:20 UTC is 05:20 there
    organizer.save()
    record_applications(organizer, clock, 1)
    clock.set(MORNING)
    assert services.run_periodic_pass()["digests"] == 0
    clock.set(MORNING.replace(hour=13))  # 09:00 in New York
    assert services.run_periodic_pass()["digests"] == 1
    assert len(mailoutbox) == 1


def test_nothing_to_digest_sends_nothing(organizer, clock, mailoutbox):
    services.run_periodic_pass()
    assert not EmailDelivery.objects.exists()
    assert mailoutbox == []
