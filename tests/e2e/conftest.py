"""Browser tests: Playwright drives Debian's Chromium against the live test server.

In CI (CI=true) a missing browser fails the run; on a laptop without Chromium these tests skip.
"""

import os

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (setting up data, reading results) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# On SQLite the test database lives in memory, and the live server's threads share the test's
# one sqlite3 connection; a page whose images (charts) the browser fetches at once then sends
# concurrent queries down that connection, which can hang for good. The server answers one
# request at a time there (and says "Connection: close", so no browser connection holds it).
# PostgreSQL keeps the threaded server: each thread has its own connection.
class OneRequestAtATime(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # The server thread itself took the shared connection (LiveServerThread.run).
        super().__init__(*args, **kwargs)


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = OneRequestAtATime


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{CHROMIUM} is missing: in CI browser tests must run (make test installs it)."
            )
        pytest.skip("Chromium is not installed; run `make browser`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (separate cookies), all closed after the test."""
    contexts = []
    # Every page runs under the Content-Security-Policy; Chromium reports each refused script or
    # style on the console, and any such report fails the journey.
    violations = []

    def watch(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def make():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        context.on("console", watch)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert violations == [], "\n".join(violations)
