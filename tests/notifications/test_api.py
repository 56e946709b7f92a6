import pytest

from practicum.notifications import services
from practicum.notifications.models import NotificationPreference
from practicum.notifications.selectors import PAGE_SIZE

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"


@pytest.fixture
def three(student, project):
    made = [
        services.notify(student, "new_message", project, {"n": n}, occurrence=str(n))
        for n in range(3)
    ]
    services.mark_read(made[0], by=student)
    return made


def test_anonymous_gets_401(client):
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/preferences").status_code == 401


def test_list_unread_first(api_client_for, student, three):
    body = api_client_for(student).get(BASE).json()
    assert body["count"] == 3
    assert body["page_size"] == PAGE_SIZE
    assert [n["id"] for n in body["results"]] == [three[2].pk, three[1].pk, three[0].pk]
    first = body["results"][0]
    assert first["kind"] == "new_message"
    assert first["title"] == "Survey analysis"
    assert first["message"] == "New message in “Survey analysis”."
    assert first["context"] == {"n": 2}
    assert first["unread"] is True
    assert first["read_at"] is None
    assert body["results"][2]["unread"] is False


def test_list_only_unread(api_client_for, student, three):
    body = api_client_for(student).get(BASE, {"unread": "true"}).json()
    assert [n["id"] for n in body["results"]] == [three[2].pk, three[1].pk]


def test_list_is_ones_own(api_client_for, owner, three):
    assert api_client_for(owner).get(BASE).json()["count"] == 0


def test_page_past_the_end_is_empty(api_client_for, student, three):
    body = api_client_for(student).get(BASE, {"page": 9}).json()
    assert body["results"] == []
    assert body["count"] == 3


def test_mark_one_read(api_client_for, student, three):
    response = api_client_for(student).post(f"{BASE}/{three[1].pk}/read")
    assert response.status_code == 200
    assert response.json()["unread"] is False
    three[1].refresh_from_db()
    assert three[1].read_at is not None


def test_another_persons_notification_is_404(api_client_for, owner, three):
    response = api_client_for(owner).post(f"{BASE}/{three[1].pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    three[1].refresh_from_db()
    assert three[1].is_unread


def test_mark_all_read(api_client_for, student, owner, three, project):
    services.notify(owner, "new_message", project, occurrence="x")
    assert api_client_for(student).post(f"{BASE}/read-all").json() == {"marked": 2}
    assert api_client_for(owner).get(BASE, {"unread": "true"}).json()["count"] == 1


def test_session_posts_need_the_csrf_token(client_for, student, three):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(f"{BASE}/read-all").status_code == 403


def test_get_preferences(api_client_for, student):
    body = api_client_for(student).get(f"{BASE}/preferences").json()
    by_kind = {p["kind"]: p for p in body}
    assert "application_received" not in by_kind  # for organizations
    assert by_kind["offer_made"] == {
        "kind": "offer_made",
        "label": "You received an offer",
        "delivery": "email_now",
        "default": "email_now",
        "can_switch_off": True,
    }
    assert by_kind["account_security"]["can_switch_off"] is False


def test_put_preferences(api_client_for, student):
    client = api_client_for(student)
    response = client.put(
        f"{BASE}/preferences",
        {"preferences": {"new_message": "email_digest", "offer_made": "off"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    by_kind = {p["kind"]: p["delivery"] for p in response.json()}
    assert by_kind["new_message"] == "email_digest"
    assert by_kind["offer_made"] == "off"
    # PUT replaces: what is left out goes back to its default.
    client.put(
        f"{BASE}/preferences",
        {"preferences": {"new_message": "in_app"}},
        content_type="application/json",
    )
    assert dict(
        NotificationPreference.objects.filter(user=student).values_list("kind", "delivery")
    ) == {"new_message": "in_app"}


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ({"offer_made": "pigeon"}, "offer_made"),
        ({"account_security": "off"}, "account_security"),
        ({"application_received": "off"}, "application_received"),  # not for students
        ({"no_such_kind": "off"}, "no_such_kind"),
    ],
)
def test_put_refuses_what_cannot_be_set(api_client_for, student, choices, field):
    response = api_client_for(student).put(
        f"{BASE}/preferences", {"preferences": choices}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert not NotificationPreference.objects.exists()
