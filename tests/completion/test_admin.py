"""The admin shows completions, payments and talent entries without letting anyone rewrite
what the services recorded."""

import pytest
from django.urls import reverse

from practicum.talent import services as talent
from tests.factories import UserFactory
from tests.talent.conftest import set_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True, account_type="admin"))


def test_completions_and_payments_are_shown_read_only(admin_client, paid_engagement):
    payment = paid_engagement.payments.get()
    for model, pk in (("completion", paid_engagement.completion.pk), ("payment", payment.pk)):
        changelist = admin_client.get(reverse(f"admin:completion_{model}_changelist"))
        assert changelist.status_code == 200
        assert changelist.context["cl"].result_count == 1
        change = admin_client.get(reverse(f"admin:completion_{model}_change", args=[pk]))
        assert change.status_code == 200
        assert not change.context["has_change_permission"]
    assert admin_client.get(reverse("admin:completion_payment_add")).status_code == 403


def test_talent_entries_are_shown(admin_client, completed_engagement, student, mentor):
    set_open(student, True)
    entry = talent.add_to_list(completed_engagement, by=mentor, notes="Keep in touch")
    url = reverse("admin:talent_talententry_changelist")
    assert admin_client.get(url, {"q": student.email}).context["cl"].result_count == 1
    change = admin_client.get(reverse("admin:talent_talententry_change", args=[entry.pk]))
    assert change.status_code == 200
    assert "notes" not in change.context["adminform"].form.fields
