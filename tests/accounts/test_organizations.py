import pytest
from django.urls import reverse

from practicum.accounts.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_organization_page_is_public_and_renders_markdown_safely(client, owner):
    org = owner.memberships.get().organization
    org.about = "We **ship**. <script>alert(1)</script>"
    org.is_verified = True
    org.save()
    body = client.get(org.get_absolute_url()).content.decode()
    assert "<strong>ship</strong>" in body
    assert "<script>alert(1)" not in body
    assert "Verified" in body


def test_owner_edits_profile_in_the_page(client_for, owner):
    org = owner.memberships.get().organization
    url = reverse("accounts:edit_organization", args=[org.slug])
    response = client_for(owner).post(
        url,
        {
            "name": "Acme Maps",
            "about": "",
            "website": "https://maps.example",
            "size": "11-50",
            "industry": "Geo",
            "location": "Lisbon",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.size, org.location) == ("Acme Maps", "11-50", "Lisbon")


def test_bad_organization_input_in_the_page_saves_nothing(client_for, owner):
    org = owner.memberships.get().organization
    url = reverse("accounts:edit_organization", args=[org.slug])
    response = client_for(owner).post(url, {"name": "", "website": "ftp://x", "size": "huge"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body
    org.refresh_from_db()
    assert org.name.startswith("Acme")


def test_mentor_and_outsider_cannot_edit(client_for, owner):
    org = owner.memberships.get().organization
    url = reverse("accounts:edit_organization", args=[org.slug])
    mentor = MembershipFactory(organization=org, role=Membership.Role.MENTOR).user
    assert client_for(mentor).get(url).status_code == 403
    assert client_for(MembershipFactory().user).post(url, {"name": "X"}).status_code == 403
    org.refresh_from_db()
    assert org.name != "X"


def test_anonymous_is_sent_to_log_in(client, owner):
    org = owner.memberships.get().organization
    response = client.get(reverse("accounts:edit_organization", args=[org.slug]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_account_settings_validates_time_zone(client_for, owner):
    client = client_for(owner)
    response = client.post(
        reverse("accounts:settings"), {"name": "New Name", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.timezone == "UTC"
    client.post(reverse("accounts:settings"), {"name": "New Name", "timezone": "Europe/Lisbon"})
    owner.refresh_from_db()
    assert (owner.name, owner.timezone) == ("New Name", "Europe/Lisbon")
