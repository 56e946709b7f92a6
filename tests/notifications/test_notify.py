import datetime
from collections import defaultdict

import pytest

from practicum.core.errors import ServiceError
from practicum.notifications import kinds, services
from practicum.notifications.kinds import Delivery
from practicum.notifications.models import EmailDelivery, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def prefer(user, kind, delivery):
    NotificationPreference.objects.create(user=user, kind=kind, delivery=delivery)


# --- the registry --------------------------------------------------------------------------------

REQUIRED_KINDS = [
    *("application_received", "offer_made", "offer_accepted", "offer_declined", "offer_expired"),
    *("agreement_ready", "amendment_proposed", "amendment_accepted", "amendment_rejected"),
    *("engagement_cancelled", "checkin_tomorrow", "checkin_rescheduled", "deliverable_due_soon"),
    *("deliverable_overdue", "submission_received", "changes_requested", "submission_accepted"),
    *("new_message", "question_unanswered", "feedback_open", "feedback_closing"),
    *("reviews_revealed", "payment_recorded", "payment_overdue"),
]


def test_every_kind_the_product_needs_is_registered():
    assert set(REQUIRED_KINDS) <= set(kinds.KINDS)


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=lambda k: k.key)
def test_each_kind_renders_its_texts_from_the_title_and_count(kind):
    assert kind.default in Delivery
    # A message may also use its notification's context: any value stands in here.
    message = kind.message.format_map(defaultdict(lambda: "…", title="Survey"))
    assert "Survey" in kind.subject.format(title="Survey") + message
    if kind.batch_window:
        assert "3" in kind.batch_subject.format(title="Survey", count=3)
        assert "3" in kind.batch_message.format(title="Survey", count=3)


def test_defaults_follow_what_matters_now():
    assert kinds.get("offer_made").default == Delivery.EMAIL_NOW
    assert kinds.get("agreement_ready").default == Delivery.EMAIL_NOW
    assert kinds.get("checkin_tomorrow").default == Delivery.EMAIL_NOW
    assert kinds.get("application_received").default == Delivery.EMAIL_DIGEST
    assert kinds.get("new_message").batch_window == datetime.timedelta(minutes=15)


def test_only_account_security_cannot_be_switched_off():
    assert [k.key for k in kinds.KINDS.values() if not k.can_switch_off] == ["account_security"]


def test_kinds_are_offered_to_the_side_they_concern(student, owner):
    for_student = {k.key for k in kinds.kinds_for(student)}
    for_owner = {k.key for k in kinds.kinds_for(owner)}
    assert "offer_made" in for_student - for_owner
    assert "application_received" in for_owner - for_student
    assert {"new_message", "account_security"} <= for_student & for_owner


# --- recording -----------------------------------------------------------------------------------


def test_notify_records_what_the_list_needs(student, project):
    notification = services.notify(student, "offer_made", project, {"expires_in_days": 3})
    assert notification.recipient == student
    assert notification.target == project
    assert notification.title == "Survey analysis"
    assert notification.url == project.get_absolute_url()
    assert notification.message.startswith("You received an offer for “Survey analysis”.")
    assert notification.context == {"expires_in_days": 3}
    assert notification.key == f"{student.pk}:offer_made:projects.project:{project.pk}:"
    assert notification.is_unread


def test_the_same_event_is_recorded_once(student, project):
    first = services.notify(student, "offer_made", project)
    again = services.notify(student, "offer_made", project, {"changed": True})
    assert again == first
    assert Notification.objects.count() == 1
    assert EmailDelivery.objects.count() == 1
    assert again.context == {}


def test_occurrence_tells_repeated_events_apart(student, project):
    services.notify(student, "deliverable_due_soon", project, occurrence="2030-03-05")
    services.notify(student, "deliverable_due_soon", project, occurrence="2030-03-12")
    services.notify(student, "deliverable_due_soon", project, occurrence="2030-03-12")
    assert Notification.objects.count() == 2


def test_each_recipient_gets_their_own(student, owner, project):
    services.notify(student, "agreement_ready", project)
    services.notify(owner, "agreement_ready", project)
    assert Notification.objects.filter(kind="agreement_ready").count() == 2


def test_title_and_url_can_be_given(student, project):
    notification = services.notify(
        student, "new_message", project, url="/somewhere/", title="Questions about the survey"
    )
    assert (notification.url, notification.title) == ("/somewhere/", "Questions about the survey")


def test_unknown_kind_and_long_occurrence_are_refused(student, project):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        services.notify(student, "offer_made_typo", project)
    with pytest.raises(ValueError, match="occurrence"):
        services.notify(student, "offer_made", project, occurrence="x" * 65)
    assert not Notification.objects.exists()


def test_a_rolled_back_change_leaves_no_notification(student, project):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(student, "offer_made", project)
        raise RuntimeError("the offer failed")
    assert not Notification.objects.exists()
    assert not EmailDelivery.objects.exists()


# --- preferences decide the delivery ------------------------------------------------------------


def test_email_now_queues_an_email_sent_after_the_commit(
    student, project, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(student, "offer_made", project)
        assert mailoutbox == []  # nothing leaves before the change is committed
    email = EmailDelivery.objects.get()
    assert email.status == EmailDelivery.Status.SENT
    assert list(email.notifications.all()) == [notification]
    assert [m.subject for m in mailoutbox] == ["You have an offer for “Survey analysis”"]
    assert mailoutbox[0].to == [student.email]


def test_email_now_without_a_worker_waits_in_the_outbox(student, project, mailoutbox):
    services.notify(student, "offer_made", project)
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.PENDING
    assert services.send_due_emails()["sent"] == 1
    assert len(mailoutbox) == 1


def test_in_app_only_records(student, project, mailoutbox):
    prefer(student, "offer_made", Delivery.IN_APP)
    notification = services.notify(student, "offer_made", project)
    assert notification.delivery == Delivery.IN_APP
    assert not EmailDelivery.objects.exists()
    services.run_periodic_pass()
    assert mailoutbox == []


def test_off_records_nothing(student, project):
    prefer(student, "offer_made", Delivery.OFF)
    assert services.notify(student, "offer_made", project) is None
    assert not Notification.objects.exists()
    assert not EmailDelivery.objects.exists()


def test_digest_leaves_it_for_the_daily_email(student, project, mailoutbox):
    prefer(student, "offer_made", Delivery.EMAIL_DIGEST)
    notification = services.notify(student, "offer_made", project)
    assert notification.delivery == Delivery.EMAIL_DIGEST
    assert notification.email is None
    assert not EmailDelivery.objects.exists()


def test_kinds_default_without_a_preference(owner, project):
    notification = services.notify(owner, "application_received", project)
    assert notification.delivery == Delivery.EMAIL_DIGEST


def test_a_preference_for_another_kind_does_not_count(student, project):
    prefer(student, "new_message", Delivery.OFF)
    assert services.notify(student, "offer_made", project).delivery == Delivery.EMAIL_NOW


def test_account_security_ignores_preferences(student):
    prefer(student, "account_security", Delivery.OFF)  # as if written behind the service's back
    notification = services.notify(student, "account_security", title="Your password changed")
    assert notification.delivery == Delivery.EMAIL_NOW
    assert notification.key == f"{student.pk}:account_security:-:"


# --- batching -----------------------------------------------------------------------------------


def test_three_messages_in_a_window_make_one_email_saying_three(
    student, project, clock, mailoutbox
):
    for n in range(3):
        services.notify(student, "new_message", project, occurrence=f"message-{n}")
        clock.advance(datetime.timedelta(minutes=2))
    assert Notification.objects.filter(kind="new_message").count() == 3
    email = EmailDelivery.objects.get()
    assert email.notifications.count() == 3

    assert services.send_due_emails()["sent"] == 0  # 09:26: the window runs to 09:30
    assert mailoutbox == []

    clock.set(email.not_before)
    assert services.send_due_emails()["sent"] == 1
    [message] = mailoutbox
    assert message.subject == "3 new messages in “Survey analysis”"
    assert "3 new messages arrived in “Survey analysis”." in message.body


def test_a_lone_message_reads_like_one(student, project, clock, mailoutbox):
    services.notify(student, "new_message", project, occurrence="message-1")
    clock.advance(datetime.timedelta(minutes=15))
    services.send_due_emails()
    assert mailoutbox[0].subject == "New message in “Survey analysis”"


def test_the_next_window_gets_the_next_email(student, project, clock, mailoutbox):
    services.notify(student, "new_message", project, occurrence="message-1")
    clock.advance(datetime.timedelta(minutes=15))  # 09:35, the 09:30 window
    services.send_due_emails()
    services.notify(student, "new_message", project, occurrence="message-2")
    services.notify(student, "new_message", project, occurrence="message-3")
    assert services.send_due_emails()["sent"] == 0
    clock.advance(datetime.timedelta(minutes=10))
    assert services.send_due_emails()["sent"] == 1
    assert [m.subject for m in mailoutbox] == [
        "New message in “Survey analysis”",
        "2 new messages in “Survey analysis”",
    ]


def test_windows_are_per_thread_and_per_recipient(student, owner, project, clock):
    other = type(project).objects.get(pk=project.pk)
    other.pk = None
    other.title = "Another thread"
    other.save()
    services.notify(student, "new_message", project, occurrence="1")
    services.notify(student, "new_message", other, occurrence="2")
    services.notify(owner, "new_message", project, occurrence="3")
    assert EmailDelivery.objects.count() == 3


def test_a_window_already_sent_passes_new_messages_to_the_next(student, project, clock):
    """A worker whose clock runs ahead sent the window's email before a last message came."""
    services.notify(student, "new_message", project, occurrence="1")
    first = EmailDelivery.objects.get()
    services.send_due_emails(now=first.not_before)
    services.notify(student, "new_message", project, occurrence="2")
    second = EmailDelivery.objects.exclude(pk=first.pk).get()
    assert second.not_before == first.not_before + datetime.timedelta(minutes=15)
    assert first.notifications.count() == second.notifications.count() == 1


def test_only_the_recipient_marks_read(student, owner, project):
    notification = services.notify(student, "offer_made", project)
    with pytest.raises(ServiceError) as refused:
        services.mark_read(notification, by=owner)
    assert refused.value.status == 404
    assert owner.has_perm("notifications.read_notification", notification) is False
    assert student.has_perm("notifications.read_notification", notification) is True
    assert services.mark_read(notification, by=student).read_at is not None
    assert services.mark_all_read(student) == 0
