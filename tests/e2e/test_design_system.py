"""The design system in a real Chromium, on the demo world (`seed_demo`).

For each role (student, organization owner, mentor, career-center staff, anonymous) every page
linked from the role's dashboard, and from those pages in turn, is opened at 390 px and at
1280 px: no page may scroll sideways, and axe-core (npm, `make assets`) may find no serious or
critical violation. Pages of one kind (/projects/<id>/ for every project) are checked once per
role, so the crawl stays short whatever the data.

The ten main pages are also saved as screenshots at both widths under build/screenshots/ for a
person to look at (CI keeps them as artifacts).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from practicum.accounts.models import Institution
from practicum.engagements.models import Application, Engagement

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
WIDTHS = (390, 1280)
PASSWORD = "practicum-demo"
ROLES = {
    "anonymous": None,
    "student": "ana.silva@students.example",
    "owner": "nora@northwind.example",
    "mentor": "mateo@northwind.example",
    "career-center": "carla@riverside.example",
}
# The student's dashboard links their credentials too (list and page) and their career
# center: room for those.
MAX_PAGES_PER_ROLE = 28
DEPTH = 2
# Pages that are the same for every role but for the header (which every page checks): the
# first role to reach one checks it.
SHARED = re.compile(r"^/(settings|accounts|notifications|calendar|reciprocity)/")
# A mentor's pages are the owner's (same organization, same templates, fewer buttons): the
# mentor's crawl checks the dashboard and only the kinds of page the owner's did not reach.
SAME_PAGES_AS = {"mentor": "owner"}
# Not pages: files, feeds, the API, the admin (Django's own), leaving the session.
SKIP = re.compile(r"^/(static|media|admin|api)/|/accounts/logout|\.(ics|csv)$|/file/$")

OVERFLOW = "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
# The whole page at 390 px; at 1280 px what a phone hides (the header's navigation, the
# filters behind their button): the rest is the same markup in both.
SERIOUS = """async (wide) => {
  const context = wide ? { include: ["header", ".collapsible"] } : document;
  const result = await axe.run(context, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
      return `${v.id} (${v.impact}): ${v.help} at ${where}`;
    });
}"""
# HTMX has answered what the page asked for on load (the bell, recommendations).
SETTLED = """() => !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")"""
LINKS = """() => Array.from(document.querySelectorAll("a[href]"))
  .map((a) => new URL(a.href, location.href))
  .filter((u) => u.origin === location.origin)
  .map((u) => u.pathname)"""


def kind_of(path: str) -> str:
    """One page per kind: ids become N."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


@pytest.fixture
def demo_world():
    call_command("load_skills", verbosity=0)
    call_command("seed_demo", verbosity=0)


def logged_in_page(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    if email:
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r".*/dashboard/$"))
    return page


def open_page(page, path):
    """The page with what HTMX loads on arrival (recommendations, the bell) in place."""
    response = page.goto(path)
    page.wait_for_function(SETTLED)
    return response


def problems_at(page, path) -> list[str]:
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll, client = page.evaluate(OVERFLOW)
        if scroll > client:
            found.append(f"{path} at {width} px scrolls sideways ({scroll} > {client} px)")
        if page.evaluate("typeof window.axe") != "object":
            # Evaluated through the DevTools protocol: a <script> tag would be an inline script,
            # which the page's Content-Security-Policy refuses.
            page.evaluate(AXE.read_text())
        found += [f"{path} at {width} px: {v}" for v in page.evaluate(SERIOUS, width > 390)]
    return found


def crawl(page, start, done=frozenset()) -> tuple[list[str], list[str]]:
    """Breadth first from `start`, one page per kind, at most MAX_PAGES_PER_ROLE pages checked.
    Kinds in `done` were checked for another role and are left out (the start never is)."""
    seen_kinds, checked, problems = set(done) - {kind_of(start)}, [], []
    frontier = [start]
    for _depth in range(DEPTH + 1):
        next_frontier = []
        for path in frontier:
            kind = kind_of(path)
            if kind in seen_kinds or SKIP.search(path) or len(checked) >= MAX_PAGES_PER_ROLE:
                continue
            seen_kinds.add(kind)
            response = open_page(page, path)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            if response.status >= 500:
                problems.append(f"{path} answered {response.status}")
                continue
            checked.append(path)
            problems += problems_at(page, path)
            next_frontier += page.evaluate(LINKS)
        frontier = next_frontier
    return checked, problems


# About 80 pages, each at two widths with axe: more than the default deadline on a busy machine.
@pytest.mark.timeout(300)
def test_every_page_from_each_dashboard_fits_a_phone_and_passes_axe(
    demo_world, browser, live_server
):
    assert AXE.exists(), "axe-core is missing: run `make assets` (npm ci)"
    report, checked_by_role = [], {}
    for role, email in ROLES.items():
        page = logged_in_page(browser, live_server, email)
        try:
            done = {kind_of(p) for p in checked_by_role.get(SAME_PAGES_AS.get(role), [])}
            done |= {kind_of(p) for c in checked_by_role.values() for p in c if SHARED.search(p)}
            checked, problems = crawl(page, "/dashboard/" if email else "/", frozenset(done))
        finally:
            page.context.close()
        checked_by_role[role] = checked
        report += [f"[{role}] {problem}" for problem in problems]
    Path(settings.BASE_DIR, "build").mkdir(exist_ok=True)
    Path(settings.BASE_DIR, "build", "design-report.txt").write_text(
        "\n".join(
            report + [f"{r}: {len(c)} pages: {' '.join(c)}" for r, c in checked_by_role.items()]
        )
    )
    assert report == [], "\n".join(report)
    # The crawl really went somewhere for everyone (career staff see outcomes, no workspace:
    # fewer pages, among them a student's record).
    minimum = {"anonymous": 5, "mentor": 1, "career-center": 8}
    for role, checked in checked_by_role.items():
        assert len(checked) >= minimum.get(role, 15), (role, checked)
    assert "/careers/students/N/" in {kind_of(p) for p in checked_by_role["career-center"]}
    assert "/careers/" in checked_by_role["student"]
    assert "/engagements/N/messages/" in {kind_of(p) for p in checked_by_role["student"]}
    assert "/projects/N/applicants/" in {kind_of(p) for p in checked_by_role["owner"]}


def main_pages() -> list[tuple[str, str | None, str]]:
    """(name, who, path) of the ten pages a person looks at first."""
    ana = Engagement.objects.get(student__email=ROLES["student"], state=Engagement.State.ACTIVE).pk
    busiest = (
        Application.objects.filter(project__organization__slug="northwind-analytics")
        .values_list("project_id", flat=True)
        .order_by("-project__status", "project_id")
        .first()
    )
    assert Institution.objects.exists()
    student, owner = ROLES["student"], ROLES["owner"]
    return [
        ("home", None, "/"),
        ("discovery", student, "/projects/"),
        ("project", student, f"/projects/{busiest}/"),
        ("student-dashboard", student, "/dashboard/"),
        ("organization-dashboard", owner, "/dashboard/"),
        ("applicants", owner, f"/projects/{busiest}/applicants/"),
        ("agreement", student, f"/engagements/{ana}/"),
        ("messages", student, f"/engagements/{ana}/messages/"),
        ("checkins", student, f"/engagements/{ana}/checkins/"),
        ("career-center-dashboard", ROLES["career-center"], "/dashboard/"),
    ]


def test_the_main_pages_on_a_phone_and_wide(demo_world, browser, live_server):
    """Screenshots of the ten main pages at both widths, then the phone's menu, the filters
    behind their button, the scrolling workspace tabs and the user menu."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages, saved = {}, []
    try:
        for name, email, path in main_pages():
            if email not in pages:
                pages[email] = logged_in_page(browser, live_server, email)
            page = pages[email]
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                assert open_page(page, path).status == 200, path
                target = SCREENSHOTS / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                saved.append(target)
        assert len(saved) == 20
        assert all(p.stat().st_size > 10_000 for p in saved)

        student = pages[ROLES["student"]]
        check_phone_menu_filters_and_tabs(student)
        check_user_menu(pages[ROLES["owner"]])
    finally:
        for page in pages.values():
            page.context.close()


def check_phone_menu_filters_and_tabs(page):
    page.set_viewport_size({"width": 390, "height": 900})
    open_page(page, "/projects/?work_mode=remote&q=data")
    nav = page.get_by_role("navigation", name="Main")
    menu = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="My applications")).to_be_visible()

    # The filters fold behind a button that counts them (the sort is not a filter).
    filters = page.locator("#project-filters")
    button = page.get_by_role("button", name=re.compile("Filters"))
    expect(filters).to_be_hidden()
    expect(button).to_have_text(re.compile(r"Filters\s*2\s*active"))
    button.click()
    expect(filters).to_be_visible()

    # The workspace tabs stay on one line and scroll sideways.
    ana = Engagement.objects.get(student__email=ROLES["student"], state="active").pk
    open_page(page, f"/engagements/{ana}/")
    tabs = page.get_by_role("navigation", name="Workspace")
    height = tabs.evaluate("(el) => el.getBoundingClientRect().height")
    scroll, client = tabs.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert height < 60 and scroll > client, (height, scroll, client)

    # Wide, the navigation sits in the header and there is no menu button.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(nav).to_be_visible()
    expect(menu).to_be_hidden()


def check_user_menu(page):
    page.set_viewport_size({"width": 390, "height": 900})
    open_page(page, "/dashboard/")
    summary = page.locator(".user-menu summary")
    expect(summary.locator(".avatar")).to_have_text("NL")
    expect(summary).to_contain_text("Account menu for Nora Lindqvist")
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_hidden()
    summary.click()
    expect(page.get_by_role("link", name="Settings", exact=True)).to_be_visible()
    log_out.click()
    page.wait_for_url(re.compile(r".*/$"))
    expect(page.get_by_role("link", name="Sign up")).to_be_visible()
