"""Issue #15, credentials, end to end: the mentor completes the engagement; the student follows
the completion page to the credential, sees it verified by the server, and its public page
works for somebody logged out (QR code, JSON, VC-JWT), until the student hides it.

Everything before the journey (an active engagement on its first day with its one deliverable
accepted) goes through factories and the real services."""

import json
import re

import pytest
from playwright.sync_api import expect

from practicum.credentials import verification
from practicum.credentials.models import Credential
from practicum.engagements import services
from practicum.workspace.deliverables import services as deliverables
from tests.factories import PASSWORD, ApplicationFactory, ProjectFactory
from tests.fixtures_engagements import sign_both, start_today

pytestmark = pytest.mark.django_db(transaction=True)

ORGANIZATION = "Northwind Research"
STUDENT = "Sam Student"


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/$"))


@pytest.fixture
def engagement():
    project = ProjectFactory(organization__name=ORGANIZATION, title="Customer survey analysis")
    application = ApplicationFactory(project=project, student__name=STUDENT)
    mentor = project.mentor
    services.make_offer(application, by=mentor)
    engagement = services.accept_offer(application, by=application.student)
    engagement = start_today(sign_both(engagement, application.student, mentor))
    submission = deliverables.submit(
        engagement, "d1", by=engagement.student, link="https://example.org/findings"
    )
    deliverables.accept(submission, by=mentor)
    return engagement


def test_completion_to_a_verified_public_credential(new_page, engagement, live_server):
    student, mentor = engagement.student, engagement.project.mentor
    completion = f"/engagements/{engagement.pk}/completion/"

    # The mentor completes the engagement.
    org = new_page()
    log_in(org, mentor.email)
    org.goto(completion)
    org.get_by_role("button", name="Complete the engagement").click()
    expect(org.get_by_role("status")).to_contain_text("The engagement is completed.")
    expect(org.locator("#credential")).to_contain_text(f"issued {STUDENT} a verifiable credential")

    # The student follows the completion page to the credential: verified by the server.
    me = new_page()
    log_in(me, student.email)
    me.goto(completion)
    me.locator("#credential").get_by_role("link", name="Open your credential").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Customer survey analysis")
    verified = me.locator("#verification")
    expect(verified.locator('[data-state="verified"]')).to_have_text("Verified")
    expect(verified.locator("li.done")).to_have_count(5)
    expect(verified.locator("li.failed")).to_have_count(0)
    expect(me.locator(".lead")).to_contain_text(f"Earned by {STUDENT}")
    expect(me.get_by_role("link", name="Add to LinkedIn")).to_have_attribute(
        "href", re.compile(r"^https://www\.linkedin\.com/profile/add\?startTask=CERTIFICATION_NAME")
    )
    page_path = me.url.removeprefix(live_server.url)
    credential = Credential.objects.get(engagement=engagement)
    assert page_path == credential.get_absolute_url()

    # Logged out, anybody opens the same page, its QR code, its JSON and its VC-JWT.
    visitor = new_page()
    visitor.goto(page_path)
    expect(visitor.locator("#verification [data-state='verified']")).to_have_text("Verified")
    expect(visitor.get_by_role("link", name="Log in").first).to_be_visible()
    expect(visitor.locator("#hide-credential")).to_have_count(0)
    qr = visitor.get_by_role("img", name="QR code that opens this page")
    expect(qr).to_be_visible()
    assert visitor.evaluate("img => img.naturalWidth", qr.element_handle()) > 0
    document = visitor.request.get(f"{page_path}credential.json").json()
    assert document == credential.document
    token = visitor.request.get(f"{page_path}credential.jwt").text()
    assert verification.verify_token(token).verified
    # A third party checks it through the public API, without logging in.
    answer = visitor.request.post(
        "/api/v1/credentials/verify",
        data=json.dumps({"credential": token}),
        headers={"Content-Type": "application/json"},
    ).json()
    assert answer["verified"] is True

    # The student hides it: the visitor now finds nothing; the student still sees it.
    me.get_by_role("button", name="Hide it from others").click()
    expect(me.get_by_role("status")).to_contain_text("Hidden: only you can open")
    expect(me.locator("#hidden-note")).to_be_visible()
    response = visitor.goto(page_path)
    assert response.status == 404
    me.get_by_role("button", name="Show it to others again").click()
    assert visitor.goto(page_path).status == 200

    # The student's own list and dashboard lead to it too.
    me.goto("/credentials/")
    expect(me.get_by_role("link", name="Customer survey analysis")).to_have_attribute(
        "href", page_path
    )
