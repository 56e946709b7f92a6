"""The Content-Security-Policy holds in Chromium: an inline script is refused and reported on
the console, which is what the journeys' shared fixture (conftest.new_page) watches for."""


def test_chromium_refuses_inline_scripts_and_reports_it(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    messages = []
    context.on("console", lambda message: messages.append(message.text))
    page = context.new_page()
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.head.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in text for text in messages), messages
    context.close()


def test_the_home_page_has_no_violation(new_page):
    page = new_page()
    page.goto("/")
    page.wait_for_load_state("networkidle")
