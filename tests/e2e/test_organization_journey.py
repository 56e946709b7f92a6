import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from practicum.accounts.models import Membership, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def link_in_last_mail(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(0)


def test_owner_signs_up_and_invites_a_mentor_who_accepts(new_page, live_server, settings):
    settings.SITE_URL = live_server.url
    owner_page = new_page()
    owner_page.goto("/accounts/signup/")
    # The account type comes first; then only the fields an organization needs.
    owner_page.get_by_role("link", name=re.compile("We're an organization")).click()
    owner_page.get_by_label("Full name").fill("Olga Owner")
    owner_page.get_by_label("Email").fill("olga@acme.example")
    owner_page.get_by_label("Password:", exact=True).fill(PASSWORD)
    owner_page.get_by_label("Password (again)").fill(PASSWORD)
    owner_page.get_by_label("Organization name").fill("Acme Maps")
    owner_page.get_by_role("button", name="Sign Up").click()
    owner_page.wait_for_url("**/confirm-email/")

    owner_page.goto(link_in_last_mail(r"https?://\S+/accounts/confirm-email/\S+/"))
    owner_page.get_by_role("button", name="Confirm").click()
    owner_page.wait_for_url(re.compile(r".*/$"))

    owner_page.get_by_role("link", name="Members").first.click()
    owner_page.get_by_label("Email address of the person to invite").fill("mia@acme.example")
    owner_page.get_by_role("button", name="Send invitation").click()
    expect(owner_page.get_by_text("We emailed an invitation to mia@acme.example")).to_be_visible()

    # The mentor opens the emailed link in a browser of their own.
    mentor_page = new_page()
    mentor_page.goto(link_in_last_mail(r"https?://\S+/invitations/\S+/"))
    expect(mentor_page.get_by_role("heading", name="Join Acme Maps")).to_be_visible()
    mentor_page.get_by_label("Full name").fill("Mia Mentor")
    mentor_page.get_by_label("Choose a password").fill(PASSWORD)
    mentor_page.get_by_role("button", name="Create account and join").click()
    mentor_page.wait_for_url("**/organizations/acme-maps/")
    expect(mentor_page.get_by_text("Welcome to Acme Maps.")).to_be_visible()

    mentor = User.objects.get(email="mia@acme.example")
    assert Membership.objects.get(user=mentor).role == Membership.Role.MENTOR

    owner_page.reload()
    expect(owner_page.get_by_role("cell", name="mia@acme.example")).to_be_visible()
