"""Issue 17: a student saves a discovery search with instant alerts, an organization publishes
a matching project, the periodic pass runs, and the alert is in the student's notifications,
leading back to the search's results."""

import re

import pytest
from playwright.sync_api import expect

from practicum.alerts.models import SavedSearch
from practicum.notifications import services as notifications
from practicum.projects.models import Project
from tests.e2e.helpers import log_in
from tests.factories import MembershipFactory, ProjectFactory, StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_saved_search_announces_a_newly_published_project(new_page):
    owner = MembershipFactory(organization__name="Café Nord", organization__slug="cafe-nord").user
    organization = owner.memberships.get().organization
    draft = ProjectFactory(
        organization=organization,
        title="Café menu translation",
        status=Project.Status.DRAFT,
        published_at=None,
    )
    student = StudentFactory(name="Sam Student")

    me = new_page()
    log_in(me, student.email)
    me.goto("/projects/?q=cafe")
    expect(me.locator("#results")).to_contain_text("0 open projects")
    me.get_by_text("Save this search").click()
    me.get_by_label("Name").fill("Cafés")
    me.get_by_label("Tell me about new projects").select_option("instant")
    me.get_by_role("button", name="Save", exact=True).click()
    me.wait_for_url(re.compile(r".*/searches/$"))
    expect(me.get_by_role("heading", name="Cafés")).to_be_visible()
    assert SavedSearch.objects.get().query == "q=cafe"

    org = new_page()
    log_in(org, owner.email)
    org.goto(f"/projects/{draft.pk}/")
    org.get_by_role("button", name="Publish").click()
    expect(org.get_by_text("The project is published")).to_be_visible()

    # What `manage.py run_periodic` does every minute.
    notifications.run_periodic_pass()

    me.goto("/notifications/")
    alert = me.get_by_role("link", name="1 new project matches your saved search “Cafés”.")
    expect(alert).to_be_visible()
    alert.click()
    me.wait_for_url(re.compile(r".*/projects/\?q=cafe$"))
    expect(me.locator("#results")).to_contain_text("Café menu translation")


def test_the_organization_box_suggests_names_and_filters_by_the_one_typed(new_page):
    """Issue 14: no menu of every organization; typing asks for a few suggestions (HTMX into a
    datalist), and the typed name filters."""
    nord = MembershipFactory(organization__name="Café Nord", organization__slug="cafe-nord")
    ProjectFactory(organization=nord.organization, title="Menu translation")
    ProjectFactory(title="Bookkeeping")
    page = new_page()
    page.goto("/projects/")
    box = page.get_by_label("Organization")
    with page.expect_response("**/organizations/suggest?*"):
        box.press_sequentially("Caf")
    expect(page.locator('#organization-suggestions option[value="Café Nord"]')).to_be_attached()
    box.fill("Café Nord")
    page.get_by_role("button", name="Show projects").click()
    expect(page.locator("#results")).to_contain_text("1 open project")
    expect(page.locator("#results")).to_contain_text("Menu translation")
