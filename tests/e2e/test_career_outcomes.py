"""Career-center outcomes in Chromium on the demo world: Carla (Riverside) follows the link
from her dashboard, the charts load as pictures under the Content-Security-Policy, the page
fits a phone and passes axe, and the CSV downloads with a row per student who shares."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_design_system import AXE, ROLES, demo_world, problems_at  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "practicum-demo"


@pytest.mark.timeout(120)
def test_staff_open_the_outcomes_and_download_the_table(
    demo_world,  # noqa: F811
    new_page,
    browser,
    live_server,
):
    assert AXE.exists(), "axe-core is missing: run `make assets` (npm ci)"
    page = new_page()
    log_in(page)
    page.get_by_role("link", name=re.compile("Outcomes, charts and CSV")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your students' outcomes")
    sharing = int(page.locator("dt:text-is('Students sharing') + dd").inner_text())
    charts = page.locator("figure.chart img")
    expect(charts).to_have_count(3)
    for index in range(3):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the table")).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Student" and len(rows) == 1 + sharing  # a row per sharing student

    # axe is a script of its own: injected where the page's policy does not apply.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    try:
        checked = context.new_page()
        log_in(checked)
        checked.goto("/careers/outcomes/")
        assert problems_at(checked, "/careers/outcomes/") == []
    finally:
        context.close()


def log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(ROLES["career-center"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/dashboard/$"))
