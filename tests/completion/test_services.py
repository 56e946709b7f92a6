"""The rules of completion and payment, service by service: who may, in which state, what is
written, which events and notifications follow, and when a payment becomes overdue."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practicum.completion import reminders, selectors, services
from practicum.completion.models import Completion, Payment
from practicum.core.errors import Conflict, Refused
from practicum.engagements import agreements, lifecycle, notices
from practicum.engagements.models import EngagementEvent
from practicum.notifications.models import Notification
from practicum.notifications.services import record_due_reminders
from practicum.workspace.checkins.models import CheckIn
from tests.completion.conftest import due_on

pytestmark = pytest.mark.django_db

Kind = EngagementEvent.Kind
DAY = datetime.timedelta(days=1)


def events(engagement, kind):
    return list(engagement.events.filter(kind=kind).order_by("pk"))


class TestComplete:
    def test_all_accepted_completes_and_makes_the_payment_due(self, accepted_engagement, mentor):
        now = timezone.now()
        completion = services.complete(accepted_engagement, by=mentor, now=now)

        accepted_engagement.refresh_from_db()
        assert accepted_engagement.state == "completed"
        assert accepted_engagement.state_changed_at == now
        assert completion.partial is False
        assert (completion.amount, completion.currency) == (60000, "EUR")
        assert completion.payment_due_on == now.date() + datetime.timedelta(days=14)
        [event] = events(accepted_engagement, Kind.COMPLETED)
        assert event.actor == mentor
        assert event.details == {
            "side": "organization",
            "partial": False,
            "reason": "",
            "payment_due_on": completion.payment_due_on.isoformat(),
        }
        [note] = Notification.objects.filter(kind="engagement_completed")
        assert note.recipient == accepted_engagement.student

    def test_an_owner_completes_too(self, accepted_engagement, owner):
        services.complete(accepted_engagement, by=owner)
        accepted_engagement.refresh_from_db()
        assert accepted_engagement.state == "completed"

    def test_not_all_accepted_needs_partial(self, active_engagement, mentor):
        with pytest.raises(Conflict) as caught:
            services.complete(active_engagement, by=mentor)
        assert caught.value.code == "deliverables_open"
        active_engagement.refresh_from_db()
        assert active_engagement.state == "active"
        assert not Completion.objects.exists()
        assert not events(active_engagement, Kind.COMPLETED)

    def test_partial_needs_a_reason(self, active_engagement, mentor):
        for reason in ("", "   \r\n "):
            with pytest.raises(ValidationError) as caught:
                services.complete(active_engagement, by=mentor, partial=True, reason=reason)
            assert "reason" in caught.value.message_dict
        with pytest.raises(ValidationError):
            services.complete(active_engagement, by=mentor, partial=True, reason="x" * 2001)
        active_engagement.refresh_from_db()
        assert active_engagement.state == "active"

    def test_partial_with_a_reason(self, active_engagement, mentor):
        completion = services.complete(
            active_engagement, by=mentor, partial=True, reason="  The data never arrived.\r\n"
        )
        assert completion.partial is True
        assert completion.reason == "The data never arrived."
        [event] = events(active_engagement, Kind.COMPLETED)
        assert event.details["partial"] is True
        assert event.details["reason"] == "The data never arrived."

    @pytest.mark.parametrize("who", ["student", "staff"])
    def test_only_the_organization_side(self, request, accepted_engagement, who):
        with pytest.raises(Refused):
            services.complete(accepted_engagement, by=request.getfixturevalue(who))
        accepted_engagement.refresh_from_db()
        assert accepted_engagement.state == "active"

    def test_not_active_is_a_conflict(self, pending_engagement, completed_engagement, mentor):
        for engagement in (pending_engagement, completed_engagement):
            with pytest.raises(Conflict) as caught:
                services.complete(engagement, by=mentor, partial=True, reason="Done")
            assert caught.value.code == "engagement_not_active"
            assert caught.value.status == 409

    def test_cancelled_is_a_conflict(self, active_engagement, student, mentor):
        agreements.cancel(active_engagement, by=student, reason="Moving abroad")
        with pytest.raises(Conflict):
            services.complete(active_engagement, by=mentor, partial=True, reason="Done")

    def test_upcoming_checkins_are_called_off(self, accepted_engagement, mentor):
        upcoming = CheckIn.objects.filter(engagement=accepted_engagement, status="scheduled")
        assert upcoming.exists()  # the project starts in 14 days: every check-in is ahead

        services.complete(accepted_engagement, by=mentor)

        assert not upcoming.exists()
        assert CheckIn.objects.filter(engagement=accepted_engagement, status="cancelled").exists()

    def test_no_compensation_no_payment_due(self, active_engagement, mentor):
        version = active_engagement.agreement_versions.get(status="current")
        version.terms = {**version.terms, "compensation_amount": 0}
        version.save()

        completion = services.complete(active_engagement, by=mentor, partial=True, reason="Ok")

        assert completion.amount is None and completion.payment_due_on is None
        assert events(active_engagement, Kind.COMPLETED)[0].details["payment_due_on"] is None
        status = selectors.payment_status(active_engagement, today=timezone.localdate() + 99 * DAY)
        assert (status.due, status.state) == (False, "not_due")
        with pytest.raises(Conflict) as caught:
            services.record_payment(
                active_engagement, by=mentor, amount=1, paid_on=timezone.localdate()
            )
        assert caught.value.code == "no_payment_due"

    def test_due_date_is_in_the_organization_time_zone(self, accepted_engagement, mentor):
        project = accepted_engagement.project
        project.timezone = "Pacific/Auckland"
        project.save()
        # 20:00 UTC on 1 March is 09:00 on 2 March in Auckland.
        now = datetime.datetime(2030, 3, 1, 20, 0, tzinfo=datetime.UTC)
        completion = services.complete(accepted_engagement, by=mentor, now=now)
        assert completion.payment_due_on == datetime.date(2030, 3, 16)

    def test_two_completions_at_once_make_one(self, accepted_engagement, mentor, owner):
        services.complete(accepted_engagement, by=owner)
        with pytest.raises(Conflict):
            services.complete(accepted_engagement, by=mentor)  # a stale copy: the lock re-reads
        assert Completion.objects.count() == 1
        assert len(events(accepted_engagement, Kind.COMPLETED)) == 1


class TestPaymentStatus:
    def test_before_completion_shows_what_the_agreement_promises(self, active_engagement):
        status = selectors.payment_status(active_engagement)
        assert (status.due, status.state, status.amount, status.currency) == (
            False,
            "not_due",
            60000,
            "EUR",
        )
        assert status.due_on is None and status.payment is None

    def test_due_then_overdue_after_14_days(self, completed_engagement):
        day = due_on(completed_engagement)
        assert day == lifecycle.today_of(completed_engagement) + 14 * DAY
        assert selectors.payment_status(completed_engagement).state == "due"
        assert selectors.payment_status(completed_engagement, today=day).state == "due"
        late = selectors.payment_status(completed_engagement, today=day + DAY)
        assert late.state == "overdue" and late.overdue and late.due
        assert late.amount_display == "600.00 EUR"

    def test_recording_ends_overdue(self, completed_engagement, mentor):
        late = due_on(completed_engagement) + 5 * DAY
        services.record_payment(
            completed_engagement,
            by=mentor,
            amount=60000,
            paid_on=lifecycle.today_of(completed_engagement),
        )
        assert selectors.payment_status(completed_engagement, today=late).state == "recorded"

    def test_overdue_count_of_the_organization(
        self, completed_engagement, organization, mentor, django_assert_max_num_queries
    ):
        day = due_on(completed_engagement)
        assert selectors.overdue_payments_of_organization(organization, today=day) == 0
        with django_assert_max_num_queries(1):
            late = selectors.overdue_payments_of_organization(organization, today=day + DAY)
        assert late == 1
        assert selectors.overdue_payments_of_organization(organization) == 0  # today: not yet
        services.record_payment(
            completed_engagement,
            by=mentor,
            amount=60000,
            paid_on=lifecycle.today_of(completed_engagement),
        )
        assert selectors.overdue_payments_of_organization(organization, today=day + DAY) == 0

    def test_overdue_count_without_today_uses_the_organization_date(
        self, completed_engagement, organization
    ):
        completion = completed_engagement.completion
        completion.payment_due_on = lifecycle.today_of(completed_engagement) - DAY
        completion.save()
        assert selectors.overdue_payments_of_organization(organization) == 1


class TestRecordPayment:
    def test_records_with_event_and_tells_the_student(self, completed_engagement, mentor, student):
        today = lifecycle.today_of(completed_engagement)
        payment = services.record_payment(
            completed_engagement, by=mentor, amount=60000, paid_on=today, reference=" TRX-9 "
        )

        assert (payment.amount, payment.currency, payment.reference) == (60000, "EUR", "TRX-9")
        assert payment.status == "recorded" and payment.recorded_by == mentor
        [event] = events(completed_engagement, Kind.PAYMENT_RECORDED)
        assert event.details == {
            "side": "organization",
            "payment": payment.pk,
            "amount": 60000,
            "currency": "EUR",
            "paid_on": today.isoformat(),
            "reference": "TRX-9",
            "difference_reason": "",
        }
        [note] = Notification.objects.filter(kind="payment_recorded")
        assert note.recipient == student
        assert note.url == f"/engagements/{completed_engagement.pk}/completion/"

    def test_not_before_completion(self, accepted_engagement, mentor):
        with pytest.raises(Conflict) as caught:
            services.record_payment(
                accepted_engagement, by=mentor, amount=60000, paid_on=timezone.localdate()
            )
        assert caught.value.code == "not_completed"

    @pytest.mark.parametrize("who", ["student", "staff"])
    def test_only_the_organization_side(self, request, completed_engagement, who):
        with pytest.raises(Refused):
            services.record_payment(
                completed_engagement,
                by=request.getfixturevalue(who),
                amount=60000,
                paid_on=timezone.localdate(),
            )

    @pytest.mark.parametrize(
        ("amount", "paid_on", "reference", "field"),
        [
            (0, 0, "", "amount"),
            (-5, 0, "", "amount"),
            (2**31, 0, "", "amount"),
            ("600", 0, "", "amount"),
            (True, 0, "", "amount"),
            (100, 1, "", "paid_on"),  # tomorrow
            (100, -400, "", "paid_on"),  # before the engagement began
            (100, "not a date", "", "paid_on"),
            (100, 0, "x" * 201, "reference"),
        ],
    )
    def test_bad_input(self, completed_engagement, mentor, amount, paid_on, reference, field):
        today = lifecycle.today_of(completed_engagement)
        if isinstance(paid_on, int):
            paid_on = today + paid_on * DAY
        with pytest.raises(ValidationError) as caught:
            services.record_payment(
                completed_engagement,
                by=mentor,
                amount=amount,
                paid_on=paid_on,
                reference=reference,
            )
        assert field in caught.value.message_dict
        assert not Payment.objects.exists()

    def test_one_standing_payment_at_a_time(self, paid_engagement, owner):
        with pytest.raises(Conflict) as caught:
            services.record_payment(
                paid_engagement, by=owner, amount=100, paid_on=timezone.localdate()
            )
        assert caught.value.code == "payment_recorded"

    def test_a_corrected_payment_after_a_dispute(self, paid_engagement, student, owner):
        services.dispute_payment(paid_engagement, by=student, reason="Only 500 arrived")
        corrected = services.record_payment(
            paid_engagement,
            by=owner,
            amount=10000,
            paid_on=timezone.localdate(),
            reference="2",
            difference_reason="The missing 100.00 EUR",
        )

        status = selectors.payment_status(paid_engagement)
        assert status.state == "recorded" and status.payment == corrected
        assert [p.status for p in selectors.payments_of(paid_engagement)] == [
            "disputed",
            "recorded",
        ]
        assert len(events(paid_engagement, Kind.PAYMENT_RECORDED)) == 2
        assert Notification.objects.filter(kind="payment_recorded").count() == 2

    def test_nothing_after_a_confirmation(self, paid_engagement, student, owner):
        services.confirm_payment(paid_engagement, by=student)
        with pytest.raises(Conflict):
            services.record_payment(
                paid_engagement, by=owner, amount=100, paid_on=timezone.localdate()
            )


class TestConfirmAndDispute:
    def test_the_student_confirms(self, paid_engagement, student):
        payment = services.confirm_payment(paid_engagement, by=student)

        assert payment.status == "confirmed" and payment.answered_at is not None
        assert selectors.payment_status(paid_engagement).state == "confirmed"
        [event] = events(paid_engagement, Kind.PAYMENT_CONFIRMED)
        assert event.details == {"side": "student", "payment": payment.pk}

    def test_the_student_disputes_with_a_reason(self, paid_engagement, student):
        payment = services.dispute_payment(paid_engagement, by=student, reason=" Not received ")

        assert payment.status == "disputed" and payment.dispute_reason == "Not received"
        assert selectors.payment_status(paid_engagement).state == "disputed"
        [event] = events(paid_engagement, Kind.PAYMENT_DISPUTED)
        assert event.details == {"side": "student", "payment": payment.pk, "reason": "Not received"}
        told = Notification.objects.filter(kind="payment_disputed")
        engagement = paid_engagement
        assert {n.recipient for n in told} == set(notices.engagement_organization_side(engagement))
        assert student not in {n.recipient for n in told}

    def test_a_dispute_needs_a_reason(self, paid_engagement, student):
        with pytest.raises(ValidationError):
            services.dispute_payment(paid_engagement, by=student, reason="  ")
        assert selectors.payment_status(paid_engagement).state == "recorded"

    @pytest.mark.parametrize("who", ["mentor", "owner", "staff"])
    def test_only_the_student(self, request, paid_engagement, who):
        person = request.getfixturevalue(who)
        with pytest.raises(Refused):
            services.confirm_payment(paid_engagement, by=person)
        with pytest.raises(Refused):
            services.dispute_payment(paid_engagement, by=person, reason="No")

    def test_only_after_a_payment_is_recorded(self, completed_engagement, student):
        with pytest.raises(Conflict) as caught:
            services.confirm_payment(completed_engagement, by=student)
        assert caught.value.code == "no_payment"
        with pytest.raises(Conflict):
            services.dispute_payment(completed_engagement, by=student, reason="Where is it?")

    def test_answered_once(self, paid_engagement, student):
        services.confirm_payment(paid_engagement, by=student)
        with pytest.raises(Conflict) as caught:
            services.dispute_payment(paid_engagement, by=student, reason="Changed my mind")
        assert caught.value.code == "already_answered"
        with pytest.raises(Conflict):
            services.confirm_payment(paid_engagement, by=student)


class TestOverdueReminder:
    def at(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)

    def test_student_and_organization_side_once(self, completed_engagement, student, mentor, owner):
        day = due_on(completed_engagement)
        assert list(reminders.payments_overdue(self.at(day))) == []

        found = list(reminders.payments_overdue(self.at(day + DAY)))
        assert {r.recipient for r in found} == {student, mentor, owner}
        assert {(r.kind, r.occurrence) for r in found} == {("payment_overdue", day.isoformat())}
        assert found[0].url == f"/engagements/{completed_engagement.pk}/completion/"

        assert record_due_reminders(now=self.at(day + DAY)) == 3
        assert record_due_reminders(now=self.at(day + 2 * DAY)) == 0  # once per engagement
        assert Notification.objects.filter(kind="payment_overdue").count() == 3

    def test_none_once_recorded(self, paid_engagement):
        assert list(reminders.payments_overdue(self.at(due_on(paid_engagement) + DAY))) == []

    def test_none_without_compensation(self, active_engagement, mentor):
        version = active_engagement.agreement_versions.get(status="current")
        version.terms = {**version.terms, "compensation_amount": None}
        version.save()
        services.complete(active_engagement, by=mentor, partial=True, reason="Ok")
        later = self.at(timezone.localdate() + 30 * DAY)
        assert list(reminders.payments_overdue(later)) == []

    def test_queries_do_not_grow(self, completed_engagement, mentor, django_assert_max_num_queries):
        later = self.at(due_on(completed_engagement) + DAY)
        with django_assert_max_num_queries(2):
            list(reminders.payments_overdue(later))


class TestPaymentDifference:
    """Issue 12, money: a payment that differs from the amount agreed needs a reason both sides
    see."""

    def test_a_different_amount_without_a_reason_is_refused(self, completed_engagement, mentor):
        with pytest.raises(ValidationError) as caught:
            services.record_payment(
                completed_engagement, by=mentor, amount=50000, paid_on=timezone.localdate()
            )
        assert caught.value.error_dict["difference_reason"][0].code == "required"
        assert not Payment.objects.exists()

    def test_a_different_amount_with_a_reason_is_recorded(self, completed_engagement, mentor):
        payment = services.record_payment(
            completed_engagement,
            by=mentor,
            amount=50000,
            paid_on=timezone.localdate(),
            difference_reason="Two days were not worked, as agreed by email.",
        )
        assert payment.difference_reason == "Two days were not worked, as agreed by email."
        event = events(completed_engagement, Kind.PAYMENT_RECORDED)[0]
        assert event.details["difference_reason"] == payment.difference_reason

    def test_the_agreed_amount_needs_no_reason_and_keeps_none(self, completed_engagement, mentor):
        payment = services.record_payment(
            completed_engagement,
            by=mentor,
            amount=60000,
            paid_on=timezone.localdate(),
            difference_reason="Not needed",
        )
        assert payment.difference_reason == ""
