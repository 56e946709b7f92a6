"""The completion page and its buttons: who sees and uses which form, errors kept next to the
fields (422), and a query budget that does not grow with the number of payments."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practicum.completion import services
from practicum.completion.models import Payment
from practicum.engagements import lifecycle

pytestmark = pytest.mark.django_db

READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff", "superuser"]
DAY = datetime.timedelta(days=1)


def url(name, engagement):
    return reverse(f"completion:{name}", args=[engagement.pk])


def client_of(client_for, person):
    return Client() if person is None else client_for(person)


def html_of(response) -> str:
    return response.content.decode()


def payment_data(engagement, amount="600.00", paid_on=None, reference="TRX-1"):
    paid_on = paid_on or lifecycle.today_of(engagement)
    return {"payment-amount": amount, "payment-paid_on": paid_on, "payment-reference": reference}


class TestWhoSeesWhat:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_page(self, request, client_for, active_engagement, who):
        response = client_for(request.getfixturevalue(who)).get(url("detail", active_engagement))

        html = html_of(response)
        assert response.status_code == 200
        assert 'aria-current="page">Completion' in html
        assert "Deliverables accepted: <strong>0 of 1</strong>" in html
        assert "600.00 EUR becomes due" in html
        assert ("Complete partially" in html) is (who in ("mentor", "owner"))

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404(self, request, client_for, active_engagement, who):
        response = client_for(request.getfixturevalue(who)).get(url("detail", active_engagement))
        assert response.status_code == 404

    def test_anonymous_is_sent_to_log_in(self, client, active_engagement):
        response = client.get(url("detail", active_engagement))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    def test_complete_button_only_when_all_accepted(self, client_for, mentor, accepted_engagement):
        html = html_of(client_for(mentor).get(url("detail", accepted_engagement)))
        assert "Deliverables accepted: <strong>1 of 1</strong>" in html
        assert "Complete the engagement</button>" in html

    def test_without_every_deliverable_only_partially(self, client_for, mentor, active_engagement):
        html = html_of(client_for(mentor).get(url("detail", active_engagement)))
        assert "Complete the engagement</button>" not in html
        assert "can only be completed partially" in html

    def test_pending_and_cancelled_say_so(self, client_for, student, pending_engagement):
        html = html_of(client_for(student).get(url("detail", pending_engagement)))
        assert "waits for signatures" in html

    def test_the_student_reads_the_partial_reason(
        self, client_for, student, active_engagement, mentor
    ):
        services.complete(
            active_engagement, by=mentor, partial=True, reason="The *data* never came."
        )
        html = html_of(client_for(student).get(url("detail", active_engagement)))
        assert "Completed partially" in html
        assert "The <em>data</em> never came." in html
        assert "Payment due" in html

    def test_overdue_is_shown_to_both_sides(
        self, client_for, student, mentor, completed_engagement
    ):
        completion = completed_engagement.completion
        completion.payment_due_on = lifecycle.today_of(completed_engagement) - DAY
        completion.save()
        for person in (student, mentor):
            html = html_of(client_for(person).get(url("detail", completed_engagement)))
            assert "Payment overdue" in html
            assert "is overdue" in html

    @pytest.mark.parametrize("who", ["staff", "superuser"])
    def test_no_payment_reference_for_who_is_no_party(
        self, client_for, people, paid_engagement, who
    ):
        response = client_for(people[who]).get(url("detail", paid_engagement))
        assert response.status_code == 404
        assert "TRX-1" not in response.content.decode()


class TestComplete:
    def test_mentor_completes(self, client_for, mentor, accepted_engagement):
        response = client_for(mentor).post(url("complete", accepted_engagement), {})
        assert response.status_code == 302 and response.url == url("detail", accepted_engagement)
        accepted_engagement.refresh_from_db()
        assert accepted_engagement.state == "completed"

    def test_not_all_accepted_is_a_message(self, client_for, mentor, active_engagement):
        client = client_for(mentor)
        response = client.post(url("complete", active_engagement), {}, follow=True)
        assert "Not every deliverable is accepted yet" in html_of(response)
        active_engagement.refresh_from_db()
        assert active_engagement.state == "active"

    def test_partial_without_a_reason_is_422_and_keeps_the_form(
        self, client_for, owner, active_engagement
    ):
        response = client_for(owner).post(
            url("complete_partially", active_engagement), {"partial-reason": "  "}
        )
        assert response.status_code == 422
        assert "Give a reason." in html_of(response)
        active_engagement.refresh_from_db()
        assert active_engagement.state == "active"

    def test_partial_with_a_reason(self, client_for, owner, active_engagement):
        response = client_for(owner).post(
            url("complete_partially", active_engagement), {"partial-reason": "Out of budget"}
        )
        assert response.status_code == 302
        assert active_engagement.events.filter(kind="completed").get().details["partial"]

    def test_too_long_a_reason_keeps_what_was_typed(self, client_for, owner, active_engagement):
        response = client_for(owner).post(
            url("complete_partially", active_engagement), {"partial-reason": "w" * 2001}
        )
        assert response.status_code == 422
        assert "w" * 2001 in html_of(response)

    def test_completed_twice_is_a_message(self, client_for, mentor, completed_engagement):
        response = client_for(mentor).post(
            url("complete_partially", completed_engagement),
            {"partial-reason": "Again"},
            follow=True,
        )
        assert "only an active engagement can be completed" in html_of(response)


class TestPayment:
    def test_the_form_is_filled_with_what_is_due(self, client_for, mentor, completed_engagement):
        html = html_of(client_for(mentor).get(url("detail", completed_engagement)))
        assert 'value="600.00"' in html
        assert "Record the payment" in html

    def test_recording(self, client_for, mentor, student, completed_engagement):
        response = client_for(mentor).post(
            url("record_payment", completed_engagement),
            {
                **payment_data(completed_engagement, amount="550.5"),
                "payment-difference_reason": "Half a day was not worked",
            },
        )
        assert response.status_code == 302
        payment = Payment.objects.get()
        assert (payment.amount, payment.reference) == (55050, "TRX-1")
        for person in (student, mentor):
            html = html_of(client_for(person).get(url("detail", completed_engagement)))
            assert "550.50 EUR" in html
            assert "differs from the 600.00 EUR agreed" in html
            assert "Half a day was not worked" in html
        assert "Yes, I received it" in html_of(
            client_for(student).get(url("detail", completed_engagement))
        )

    def test_a_different_amount_needs_a_reason(self, client_for, mentor, completed_engagement):
        response = client_for(mentor).post(
            url("record_payment", completed_engagement),
            payment_data(completed_engagement, amount="550.5"),
        )
        assert response.status_code == 422
        assert "differs from the 600.00 EUR agreed" in html_of(response)
        assert not Payment.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"payment-amount": "0"}, "greater than zero"),
            ({"payment-amount": "1.234"}, "at most 2 decimal places"),
            ({"payment-amount": "abc"}, "Enter a number."),
            ({"payment-paid_on": "someday"}, "Enter a valid date."),
            ({"payment-paid_on": "2099-01-01"}, "not ahead"),
            ({"payment-paid_on": "2999-01-01"}, "between 2000-01-01 and 2100-12-31"),
        ],
    )
    def test_bad_input_is_422(self, client_for, mentor, completed_engagement, data, message):
        response = client_for(mentor).post(
            url("record_payment", completed_engagement),
            {**payment_data(completed_engagement), **data},
        )
        assert response.status_code == 422
        assert message in html_of(response)
        assert 'value="TRX-1"' in html_of(response)  # what was typed is kept
        assert not Payment.objects.exists()

    def test_student_confirms(self, client_for, student, paid_engagement):
        response = client_for(student).post(url("confirm_payment", paid_engagement))
        assert response.status_code == 302
        assert Payment.objects.get().status == "confirmed"

    def test_student_disputes(self, client_for, student, mentor, paid_engagement):
        response = client_for(student).post(
            url("dispute_payment", paid_engagement), {"dispute-reason": "Nothing arrived"}
        )
        assert response.status_code == 302
        assert Payment.objects.get().status == "disputed"
        html = html_of(client_for(mentor).get(url("detail", paid_engagement)))
        assert "Nothing arrived" in html and "Record a corrected payment" in html

    def test_dispute_without_a_reason_is_422(self, client_for, student, paid_engagement):
        response = client_for(student).post(
            url("dispute_payment", paid_engagement), {"dispute-reason": ""}
        )
        assert response.status_code == 422
        assert Payment.objects.get().status == "recorded"

    def test_confirm_before_recording_is_a_message(self, client_for, student, completed_engagement):
        response = client_for(student).post(
            url("confirm_payment", completed_engagement), follow=True
        )
        assert "No payment has been recorded yet." in html_of(response)


# Every button with data that would succeed for the right person, and the state it needs.
BUTTONS = {
    "complete": ("accepted_engagement", {}, "organization"),
    "complete_partially": ("active_engagement", {"partial-reason": "Stop"}, "organization"),
    "record_payment": ("completed_engagement", None, "organization"),
    "confirm_payment": ("paid_engagement", {}, "student"),
    "dispute_payment": ("paid_engagement", {"dispute-reason": "No"}, "student"),
}
EXPECTED = {
    "organization": {"mentor": 302, "owner": 302, "student": 403},
    "student": {"student": 302, "mentor": 403, "owner": 403},
}


@pytest.mark.parametrize("button", list(BUTTONS))
@pytest.mark.parametrize("who", [*READERS, *STRANGERS, "anonymous"])
def test_permission_matrix(request, client_for, people, button, who):
    fixture, data, side = BUTTONS[button]
    engagement = request.getfixturevalue(fixture)
    if data is None:
        data = payment_data(engagement)
    response = client_of(client_for, people[who]).post(url(button, engagement), data)
    if who == "anonymous":
        assert response.status_code == 302 and "login" in response.url
    else:
        assert response.status_code == EXPECTED[side].get(who, 404)


@pytest.mark.parametrize("who", READERS)
def test_get_is_not_allowed_on_buttons(request, client_for, completed_engagement, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url("complete", completed_engagement)).status_code == 405


@pytest.mark.parametrize("payments", [1, 6])
@pytest.mark.parametrize("who", READERS)
def test_query_budget(
    request, client_for, completed_engagement, student, owner, who, payments,
    django_assert_max_num_queries,
):  # fmt: skip
    for number in range(payments):
        services.record_payment(
            completed_engagement,
            by=owner,
            amount=100 + number,
            paid_on=timezone.localdate(),
            reference=str(number),
            difference_reason=f"Instalment {number}",
        )
        if number < payments - 1:
            services.dispute_payment(completed_engagement, by=student, reason=f"No {number}")
    client = client_for(request.getfixturevalue(who))
    client.get(url("detail", completed_engagement))  # warm the session and content types
    # 17: the page's own, the talent panel's and the credential panel's one each.
    with django_assert_max_num_queries(17):
        response = client.get(url("detail", completed_engagement))
    assert response.status_code == 200
