"""Issue 12's new pages in Chromium: the API tokens page (scope, expiry, shown once, revoke), a
progress update edited by its author, an agenda point changed, the project form's unpaid
choice; each page fits a phone and passes axe."""

import re

import pytest
from playwright.sync_api import expect

from practicum.accounts.models import ApiToken
from practicum.workspace.checkins import services as checkins
from practicum.workspace.checkins.models import AgendaItem, CheckIn
from practicum.workspace.progress import services as progress
from practicum.workspace.progress.models import ProgressUpdate
from tests.e2e.helpers import log_in
from tests.e2e.test_design_system import AXE, problems_at

pytestmark = pytest.mark.django_db(transaction=True)


def test_tokens_edits_and_the_unpaid_choice(new_page, active_engagement, student, owner):
    assert AXE.exists(), "axe-core is missing: run `make assets` (npm ci)"
    engagement = active_engagement
    update = progress.post_update(engagement, by=student, done="Read the brief", hours="2")
    checkin = CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at").first()
    checkins.add_agenda_item(checkin, by=student, text="Scope of the survey")
    page = new_page()
    log_in(page, student.email)
    problems = []

    # A read-only token for 30 days, shown once, listed with its scope and expiry, revoked.
    page.goto("/settings/tokens/")
    page.get_by_label("Token name").fill("grading script")
    page.get_by_label("Read only").check()
    page.get_by_label("Expires after (days)").fill("30")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("pct_")
    row = page.get_by_role("row", name=re.compile("grading script"))
    expect(row).to_contain_text("Read only")
    problems += problems_at(page, "/settings/tokens/")
    page.get_by_role("button", name="Revoke grading script").click()
    expect(page.get_by_text("no longer works")).to_be_visible()
    assert ApiToken.objects.get(name="grading script").revoked_at is not None

    # The author edits their update on its own page; the timeline keeps the old text.
    page.goto(f"/engagements/{engagement.pk}/updates/")
    problems += problems_at(page, "updates")
    page.get_by_role("link", name="Edit this update").click()
    problems += problems_at(page, "edit update")
    page.get_by_label("Done since the last update").fill("Read the brief twice")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your progress update is changed")).to_be_visible()
    assert ProgressUpdate.objects.get(pk=update.pk).done == "Read the brief twice"
    page.goto(f"/engagements/{engagement.pk}/timeline/")
    expect(page.get_by_text("before, it said “Read the brief”")).to_be_visible()

    # An agenda point is changed by its author.
    page.goto(f"/engagements/{engagement.pk}/checkins/{checkin.pk}/")
    page.get_by_text("Edit or delete").click()
    problems += problems_at(page, "check-in")
    page.get_by_label("Change this point").fill("Scope and budget")
    page.get_by_role("button", name="Save the point").click()
    expect(page.locator(".agenda-text")).to_have_text("Scope and budget")
    assert AgendaItem.objects.get().text == "Scope and budget"

    # The organization's project form offers the explicit unpaid choice.
    org = new_page()
    log_in(org, owner.email)
    slug = owner.memberships.get().organization.slug
    org.goto(f"/organizations/{slug}/projects/new/")
    expect(org.get_by_label("Unpaid — for academic credit")).not_to_be_checked()
    problems += problems_at(org, "project form")

    assert problems == [], "\n".join(problems)
