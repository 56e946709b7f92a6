import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from practicum.accounts.models import Membership, User
from practicum.profiles.models import StudentProfile
from tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "account_type": "student",
        "organization_name": "",
    } | overrides
    return client.post(reverse("account_signup"), data)


def confirmation_link(mailoutbox) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)


def test_student_signup_creates_profile_and_needs_verification(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="ada@example.org")
    assert user.account_type == User.AccountType.STUDENT
    assert user.name == "Ada Lovelace"
    assert StudentProfile.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not EmailAddress.objects.get(user=user).verified

    # Unverified accounts cannot log in yet.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD}
    )
    assert response.url == reverse("account_email_verification_sent")

    link = confirmation_link(mailoutbox)
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_organization_signup_creates_owner_membership(client):
    response = signup(
        client,
        email="grace@acme.example",
        account_type="organization",
        organization_name="Acme Labs",
    )
    assert response.status_code == 302
    user = User.objects.get(email="grace@acme.example")
    membership = Membership.objects.select_related("organization").get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert membership.organization.name == "Acme Labs"
    assert membership.organization.slug == "acme-labs"
    assert (
        not hasattr(user, "student_profile")
        or not StudentProfile.objects.filter(user=user).exists()
    )


def test_organization_signup_needs_a_name_and_saves_nothing_without_it(client):
    response = signup(client, email="x@acme.example", account_type="organization")
    assert response.status_code == 200
    assert "Give your organization&#x27;s name." in response.content.decode()
    assert not User.objects.filter(email="x@acme.example").exists()


def test_two_organizations_with_the_same_name_get_distinct_slugs(client):
    signup(client, email="a@acme.example", account_type="organization", organization_name="Acme")
    client.logout()
    signup(client, email="b@acme.example", account_type="organization", organization_name="Acme")
    slugs = set(Membership.objects.values_list("organization__slug", flat=True))
    assert slugs == {"acme", "acme-2"}


def test_signup_refuses_unknown_account_type(client):
    response = signup(client, account_type="admin")
    assert response.status_code == 200
    assert not User.objects.filter(email="ada@example.org").exists()


def test_login_and_logout(client):
    StudentFactory(email="lin@example.org")
    response = client.post(
        reverse("account_login"), {"login": "lin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_wrong_password_is_refused_and_rate_limited(client):
    StudentFactory(email="lin@example.org")
    bodies = [
        client.post(
            reverse("account_login"), {"login": "lin@example.org", "password": "nope"}
        ).content.decode()
        for _ in range(6)
    ]
    assert "not correct" in bodies[0]
    # After 5 failures for one address, even the right password is refused for a while.
    assert "Too many failed login attempts" in bodies[-1]
    response = client.post(
        reverse("account_login"), {"login": "lin@example.org", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_round_trip(client, mailoutbox):
    StudentFactory(email="lin@example.org")
    client.post(reverse("account_reset_password"), {"email": "lin@example.org"})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mailoutbox[-1].body).group(0)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new = "an entirely new passphrase 42"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert User.objects.get(email="lin@example.org").check_password(new)


def test_change_password(client_for):
    user = StudentFactory()
    client = client_for(user)
    new = "another strong passphrase 7"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_home_page_explains_the_product(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "micro-internships" in body
    assert reverse("account_signup") in body


def test_unknown_url_gets_the_helpful_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "couldn't find that page" in response.content.decode()
