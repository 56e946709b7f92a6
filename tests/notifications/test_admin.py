import pytest

from practicum.notifications import services
from practicum.notifications.models import EmailDelivery, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True, account_type="admin"))


@pytest.mark.parametrize("model", ["notification", "emaildelivery", "notificationpreference"])
def test_admins_list_and_search(admin_client, student, project, model):
    services.notify(student, "offer_made", project)
    url = f"/admin/notifications/{model}/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": student.email}).status_code == 200


def test_change_pages_open(admin_client, student, project):
    services.notify(student, "offer_made", project)
    email = EmailDelivery.objects.get()
    assert (
        admin_client.get(f"/admin/notifications/emaildelivery/{email.pk}/change/").status_code
        == 200
    )
    notification = Notification.objects.get()
    url = f"/admin/notifications/notification/{notification.pk}/change/"
    assert admin_client.get(url).status_code == 200
