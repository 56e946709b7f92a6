import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practicum.engagements.models import Application
from practicum.rounds.models import MatchRound
from tests.e2e.helpers import log_in
from tests.factories import (
    InstitutionStaffFactory,
    MembershipFactory,
    ProjectFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def position_of(page, title: str):
    return page.get_by_label(re.compile(f"Position of “{title}”"))


def test_staff_run_a_round_from_draft_to_offers(new_page):
    staff = InstitutionStaffFactory(
        user__name="Cara Career", institution__name="Northfield University"
    ).user
    institution = staff.staff_roles.get().institution
    maps_owner = MembershipFactory(organization__name="Acme Maps").user
    data_owner = MembershipFactory(organization__name="Data Co").user
    ProjectFactory(
        organization=maps_owner.memberships.get().organization, title="Map cleanup", capacity=1
    )
    ProjectFactory(
        organization=data_owner.memberships.get().organization,
        title="Survey analysis",
        capacity=1,
    )
    ada = StudentFactory(name="Ada Lovelace", profile__institution=institution)
    ben = StudentFactory(name="Ben Okri", profile__institution=institution)
    errors = []

    # Staff start the round, add both projects and every student, and open ranking.
    desk = new_page()
    desk.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(desk, staff.email)
    desk.goto("/rounds/")
    desk.get_by_role("link", name="Start a round").click()
    desk.get_by_label("Name").fill("Spring cohort")
    deadline = timezone.localtime() + datetime.timedelta(days=7)
    desk.get_by_label("Ranking deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_role("button", name="Create the round").click()
    desk.wait_for_url(re.compile(r".*/rounds/\d+/$"))
    expect(desk.get_by_text("is a draft: add projects and students")).to_be_visible()
    for title, organization in (("Map cleanup", "Acme Maps"), ("Survey analysis", "Data Co")):
        desk.get_by_label("Project:", exact=True).select_option(label=f"{title} — {organization}")
        desk.get_by_role("button", name="Add the project").click()
        expect(desk.get_by_text(f"“{title}” is in the round with 1 place.")).to_be_visible()
    desk.get_by_role("button", name="Add every student of Northfield University").click()
    expect(desk.get_by_text("2 students joined the round.")).to_be_visible()
    desk.get_by_role("button", name="Open ranking").click()
    expect(desk.get_by_text("Ranking is open").first).to_be_visible()
    round_url = desk.url

    # Two students rank projects: Ada with the mouse, Ben with the keyboard only.
    ada_page = new_page()
    log_in(ada_page, ada.email)
    ada_page.goto("/rounds/mine/")
    ada_page.get_by_role("link", name="Spring cohort").click()
    position_of(ada_page, "Survey analysis").select_option("1")
    position_of(ada_page, "Map cleanup").select_option("2")
    ada_page.get_by_role("button", name="Save my ranking").click()
    expect(ada_page.get_by_text("Your ranking is saved.")).to_be_visible()
    assert ada_page.locator("ol.ranking li").all_inner_texts()[0].startswith("Survey analysis")

    ben_page = new_page()
    log_in(ben_page, ben.email)
    ben_page.goto("/rounds/mine/")
    ben_page.get_by_role("link", name="Spring cohort").click()
    position_of(ben_page, "Survey analysis").focus()
    ben_page.keyboard.press("ArrowDown")  # from "Not ranked" to 1
    ben_page.keyboard.press("Tab")  # the last row's position, then the button
    assert ben_page.evaluate("document.activeElement.textContent") == "Save my ranking"
    ben_page.keyboard.press("Enter")
    ben_page.get_by_text("Your ranking is saved.").wait_for()  # the key press does not wait
    assert ben_page.locator("ol.ranking li").all_inner_texts() == ["Survey analysis · Data Co"]

    # Data Co ranks Ben above Ada; Acme Maps adopts the fit-score order.
    data = new_page()
    log_in(data, data_owner.email)
    data.goto("/rounds/")
    data.get_by_role("link", name="Survey analysis").click()
    data.get_by_label("Rank of Ben Okri").fill("1")
    data.get_by_label("Rank of Ada Lovelace").fill("2")
    data.get_by_role("button", name="Save the ranking").click()
    expect(data.get_by_text("Your ranking of the applicants is saved.")).to_be_visible()

    maps = new_page()
    log_in(maps, maps_owner.email)
    maps.goto("/rounds/")
    maps.get_by_role("link", name="Map cleanup").click()
    maps.get_by_role("button", name="Adopt fit-score order").click()
    expect(maps.get_by_text("The 1 applicant(s) are ranked by fit score")).to_be_visible()

    # Staff run before the deadline on purpose, check the preview, and publish.
    desk.goto(round_url)
    desk.get_by_label("Run now, before the ranking deadline").check()
    desk.get_by_role("button", name="Run the match").click()
    desk.wait_for_url("**/preview/")
    expect(desk.get_by_text("2 of 2 students matched")).to_be_visible()
    outcomes = desk.get_by_role("table").last
    for outcome in ("Ada Lovelace.*Map cleanup.*2nd choice", "Ben Okri.*Survey analysis.*1st"):
        expect(outcomes.get_by_role("row", name=re.compile(outcome))).to_be_visible()
    ada_page.goto("/rounds/mine/")  # not before publication
    expect(ada_page.get_by_text("results appear here once they are published")).to_be_visible()
    desk.get_by_role("button", name="Publish the results").click()
    expect(desk.get_by_text("The results are published")).to_be_visible()

    # Ada reads her result and finds the offer on My applications.
    ada_page.goto("/rounds/mine/")
    expect(
        ada_page.get_by_text("You were matched with “Map cleanup” (Acme Maps), your 2nd choice")
    ).to_be_visible()
    ada_page.get_by_role("link", name="My applications").last.click()
    card = ada_page.locator(".application-card", has_text="Map cleanup")
    expect(card.get_by_text("Offer made")).to_be_visible()
    expect(card.get_by_role("button", name="Accept")).to_be_visible()

    assert MatchRound.objects.get().state == MatchRound.State.PUBLISHED
    assert Application.objects.filter(status="offered").count() == 2
    assert errors == []
