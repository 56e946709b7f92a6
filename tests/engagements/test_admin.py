import pytest
from django.urls import reverse

from practicum.engagements import services
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True, account_type="admin"))


def test_applications_filter_and_search(admin_client, application):
    ApplicationFactory(status="rejected")
    url = reverse("admin:engagements_application_changelist")

    by_org = admin_client.get(
        url, {"project__organization__id__exact": application.project.organization_id}
    )
    assert by_org.status_code == 200
    assert by_org.context["cl"].result_count == 1

    by_status = admin_client.get(url, {"status__exact": "rejected"})
    assert by_status.context["cl"].result_count == 1

    for term in (application.student.email, application.project.title):
        found = admin_client.get(url, {"q": term})
        assert list(found.context["cl"].result_list) == [application]


def test_the_status_is_read_only(admin_client, application):
    url = reverse("admin:engagements_application_change", args=[application.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert "status" not in response.context["adminform"].form.fields


def test_engagements(admin_client, offered, student):
    services.accept_offer(offered, by=student)

    response = admin_client.get(reverse("admin:engagements_engagement_changelist"), {"q": "survey"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
