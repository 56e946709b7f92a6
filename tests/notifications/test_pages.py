import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from practicum.notifications import services
from practicum.notifications.kinds import Delivery
from practicum.notifications.models import Notification, NotificationPreference
from practicum.notifications.selectors import PAGE_SIZE
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LIST = "/notifications/"
BELL = "/notifications/bell/"
PREFERENCES = "/notifications/preferences/"


def notify_many(user, count, kind="new_message"):
    project = ProjectFactory(title="Survey analysis")
    return [services.notify(user, kind, project, occurrence=str(n)) for n in range(count)]


# --- who gets in ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, PREFERENCES, "/notifications/1/open/"])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", ["/notifications/1/read/", "/notifications/read-all/"])
def test_anonymous_cannot_mark_read(client, url):
    assert client.post(url).status_code == 302


def test_another_persons_notification_is_not_found(client_for, student, owner):
    [theirs] = notify_many(student, 1)
    client = client_for(owner)
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert "Survey analysis" not in client.get(LIST).content.decode()
    client.post("/notifications/read-all/")
    theirs.refresh_from_db()
    assert theirs.is_unread


# --- the list ------------------------------------------------------------------------------------


def test_list_shows_unread_first_then_newest(client_for, student):
    first, second, third = notify_many(student, 3)
    services.mark_read(third, by=student)
    page = client_for(student).get(LIST)
    assert page.status_code == 200
    order = [n.pk for n in page.context["page"]]
    assert order == [second.pk, first.pk, third.pk]
    content = page.content.decode()
    assert "2 unread" in content
    assert content.count('<span class="badge">New</span>') == 2
    assert f'href="/notifications/{first.pk}/open/"' in content


def test_list_is_paginated(client_for, student):
    notify_many(student, PAGE_SIZE + 3)
    client = client_for(student)
    assert len(client.get(LIST).context["page"]) == PAGE_SIZE
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 3


def test_opening_marks_read_and_goes_to_the_target(client_for, student):
    [notification] = notify_many(student, 1)
    response = client_for(student).get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == notification.url
    notification.refresh_from_db()
    assert not notification.is_unread


def test_opening_never_leaves_the_site(client_for, student):
    notification = services.notify(student, "new_message", url="https://evil.example/", title="x")
    response = client_for(student).get(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == LIST


def test_mark_read_and_mark_all_read(client_for, student):
    first, *_ = notify_many(student, 3)
    client = client_for(student)
    assert client.post(f"/notifications/{first.pk}/read/")["Location"] == LIST
    first.refresh_from_db()
    assert first.read_at is not None
    read_at = first.read_at
    client.post(f"/notifications/{first.pk}/read/")
    first.refresh_from_db()
    assert first.read_at == read_at  # reading again keeps the first time

    response = client.post("/notifications/read-all/", follow=True)
    assert "Marked 2 notifications read." in response.content.decode()
    assert not Notification.objects.filter(recipient=student, read_at__isnull=True).exists()


def test_marking_read_needs_post(client_for, student):
    [notification] = notify_many(student, 1)
    assert client_for(student).get(f"/notifications/{notification.pk}/read/").status_code == 405


# --- the bell ------------------------------------------------------------------------------------


def test_bell_counts_unread(client_for, student):
    client = client_for(student)
    assert "badge" not in client.get(BELL).content.decode()
    notify_many(student, 4)
    content = client.get(BELL).content.decode()
    assert '<span class="badge" aria-hidden="true">4</span>' in content
    assert 'hx-get="/notifications/bell/"' in content
    assert 'hx-trigger="every 30s"' in content


def test_bell_in_the_nav_asks_for_its_count_on_load():
    """What base.html includes: no count, so no query; HTMX fetches it when the page loads."""
    content = render_to_string("notifications/_bell.html")
    assert 'hx-get="/notifications/bell/"' in content
    assert 'hx-trigger="load, every 30s"' in content
    assert 'hx-swap="outerHTML"' in content
    assert "badge" not in content


def test_bell_for_someone_logged_out_changes_nothing(client):
    response = client.get(BELL)
    assert response.status_code == 204


# --- fixed query budgets -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 40])
def test_list_and_bell_cost_the_same_whatever_the_count(
    client_for, owner, count, django_assert_max_num_queries
):
    notify_many(owner, count)
    client = client_for(owner)
    # Session, user, navigation (memberships, staff roles), unread count, page count, page.
    with django_assert_max_num_queries(7):
        assert client.get(LIST).status_code == 200
    # Session, user, unread count.
    with django_assert_max_num_queries(3):
        assert client.get(BELL).status_code == 200


# --- preferences ---------------------------------------------------------------------------------


def test_preferences_page_shows_the_kinds_for_the_user(client_for, student, owner):
    content = client_for(student).get(PREFERENCES).content.decode()
    assert "You received an offer" in content
    assert "A student applied to your project" not in content
    assert "Account security" in content and "cannot be switched off" in content
    assert 'name="account_security"' not in content
    assert 'name="offer_made" value="email_now"' in content

    content = client_for(owner).get(PREFERENCES).content.decode()
    assert "A student applied to your project" in content


def test_preferences_are_saved_and_only_differences_stored(client_for, student):
    client = client_for(student)
    form = client.get(PREFERENCES).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(new_message=Delivery.EMAIL_DIGEST, offer_made=Delivery.IN_APP)
    response = client.post(PREFERENCES, data)
    assert response.status_code == 302
    assert dict(
        NotificationPreference.objects.filter(user=student).values_list("kind", "delivery")
    ) == {"new_message": "email_digest", "offer_made": "in_app"}

    data.update(offer_made=Delivery.EMAIL_NOW)
    client.post(PREFERENCES, data)
    assert list(
        NotificationPreference.objects.filter(user=student).values_list("kind", flat=True)
    ) == ["new_message"]


def test_preferences_refuse_unknown_values(client_for, student):
    response = client_for(student).post(PREFERENCES, {"offer_made": "carrier_pigeon"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()
