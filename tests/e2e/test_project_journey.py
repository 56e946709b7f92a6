import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from practicum.accounts.models import Membership
from practicum.engagements.models import Engagement
from tests.e2e.helpers import log_in
from tests.factories import MembershipFactory, StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def in_days(days: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def test_publish_find_apply_offer_accept(new_page):
    call_command("load_skills", verbosity=0)
    owner = MembershipFactory(organization__name="Acme Maps", organization__slug="acme-maps").user
    MembershipFactory(
        organization=owner.memberships.get().organization,
        role=Membership.Role.MENTOR,
        user__name="Mia Mentor",
    )
    student = StudentFactory(name="Sam Student")

    org = new_page()
    log_in(org, owner.email)
    org.goto("/organizations/acme-maps/")
    org.get_by_role("link", name="New project").click()
    org.get_by_label("Title:", exact=True).fill("Map our delivery routes")
    org.get_by_label("Summary").fill("Put our 40 delivery routes on one clear map.")
    org.get_by_label("Description").fill("We deliver groceries by bike and want to see our routes.")
    org.get_by_label("Objectives").fill("Collect the routes\nDraw them on a map")
    org.get_by_label("Title of deliverable 1").fill("Route map")
    org.get_by_label("Due on (deliverable 1)").fill(in_days(40))
    org.get_by_label("Start date").fill(in_days(14))
    org.get_by_label("End date").fill(in_days(41))
    org.get_by_label("Application deadline").fill(in_days(7))
    org.get_by_label("Estimated hours in total").fill("40")
    org.get_by_label("Hours per week").fill("10")
    org.get_by_label("Compensation for the whole project").fill("600.00")
    org.get_by_label("Currency").select_option("EUR")
    org.get_by_label("Add a skill").fill("py")
    org.locator("#skill-suggestions button.suggestion", has_text="Python").first.click()
    org.get_by_label("Minimum level for Python").select_option(label="Working")
    org.get_by_label("Mentor").select_option(index=1)
    org.get_by_role("button", name="Save and publish").click()
    expect(org.get_by_text("The project is published")).to_be_visible()
    expect(org.get_by_text("15.00 EUR an hour")).to_be_visible()

    # The student finds it by a search and a filter, with HTMX updating the results.
    me = new_page()
    log_in(me, student.email)
    me.goto("/projects/")
    me.get_by_label("Search").fill("delivery routes")
    me.wait_for_url(re.compile(r".*q=delivery.*"))
    results = me.locator("#results")
    expect(results.get_by_role("link", name="Map our delivery routes")).to_be_visible()
    me.get_by_label("Work mode").select_option(label="On-site")
    me.wait_for_url(re.compile(r".*work_mode=on_site.*"))
    expect(results.get_by_text("0 open projects")).to_be_visible()
    me.get_by_label("Work mode").select_option(label="Remote")
    me.wait_for_url(re.compile(r".*work_mode=remote.*"))
    results.get_by_role("link", name="Map our delivery routes").click()

    me.get_by_role("link", name="Apply").click()
    me.get_by_label("Why you, for this project").fill("I map my cycling routes every weekend.")
    me.get_by_label(re.compile("I can work")).check()
    me.get_by_role("button", name="Send application").click()
    expect(me.get_by_text("is sent")).to_be_visible()

    org.get_by_role("link", name="Applicants").click()
    card = org.locator(".applicant-card", has_text="Sam Student")
    card.get_by_role("button", name="Shortlist").click()
    expect(org.get_by_text("The application is on the shortlist.")).to_be_visible()
    card = org.locator(".applicant-card", has_text="Sam Student")
    card.get_by_text("Make an offer").click()
    card.get_by_label("Message with the offer").fill("We would love to have you.")
    card.get_by_role("button", name="Send the offer").click()
    expect(org.get_by_text("The offer is sent to the student.")).to_be_visible()

    me.goto("/applications/")
    expect(me.get_by_text("Offer made").first).to_be_visible()
    me.get_by_role("button", name="Accept").click()
    me.wait_for_url("**/engagements/*/")
    expect(me.get_by_text("Waiting for the agreement").first).to_be_visible()

    engagement = Engagement.objects.get(student=student)
    assert engagement.state == Engagement.State.AGREEMENT_PENDING
    assert engagement.project.title == "Map our delivery routes"
