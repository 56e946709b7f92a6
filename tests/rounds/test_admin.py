import pytest
from django.urls import reverse

from practicum.rounds.models import RoundResult
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True, account_type="admin"))


def test_rounds_list_and_search(admin_client, draft_round):
    url = reverse("admin:rounds_matchround_changelist")

    assert admin_client.get(url).status_code == 200
    found = admin_client.get(url, {"q": "Northfield"})
    assert list(found.context["cl"].result_list) == [draft_round]


def test_the_state_is_read_only(admin_client, draft_round):
    response = admin_client.get(reverse("admin:rounds_matchround_change", args=[draft_round.pk]))

    assert response.status_code == 200
    assert "state" not in response.context["adminform"].form.fields
    assert "Survey analysis" in response.content.decode()  # the projects, inline


def test_results_are_read_only(admin_client, matched):
    result = RoundResult.objects.first()

    assert admin_client.get(reverse("admin:rounds_roundresult_changelist")).status_code == 200
    response = admin_client.get(reverse("admin:rounds_roundresult_change", args=[result.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_round_students(admin_client, draft_round):
    url = reverse("admin:rounds_roundstudent_changelist")

    assert admin_client.get(url, {"q": "Ada"}).context["cl"].result_count == 1
