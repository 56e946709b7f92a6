"""Messages with a file, corrected within minutes, driven by both sides in Chromium: the student
sends a message with a PDF, edits it; the mentor sees it marked edited, reads the earlier text,
downloads the file and replies quoting it. The pages it goes through fit a phone and pass axe.

The database is touched only to set the scene (an engagement both sides signed).
"""

import re

import pytest
from playwright.sync_api import expect

from practicum.engagements import services
from practicum.workspace.messaging.models import Message
from tests.e2e.helpers import log_in
from tests.e2e.test_design_system import open_page, problems_at
from tests.factories import ApplicationFactory
from tests.fixtures_engagements import sign_both

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FIRST = "Here is my plan for the survey, due Friday."
CORRECTED = "Here is my plan for the survey, due Thursday."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The live server runs in this process: uploaded files land in a temporary folder.
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_message_with_a_file_edited_and_quoted(new_page):
    application = ApplicationFactory(student__name="Sam Student")
    mentor = application.project.mentor
    services.make_offer(application, by=mentor)
    engagement = sign_both(
        services.accept_offer(application, by=application.student), application.student, mentor
    )
    thread = f"/engagements/{engagement.pk}/messages/"

    # The student writes with a file attached; the message appears without a page load (HTMX).
    student = new_page()
    log_in(student, application.student.email)
    student.goto(thread)
    student.get_by_label("Your message").fill(FIRST)
    student.get_by_label("Files").set_input_files(
        [{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    student.get_by_role("button", name="Send").click()
    sent = student.locator("#message-list > li").last
    expect(sent).to_contain_text(FIRST)
    expect(sent.get_by_role("link", name="plan.pdf")).to_be_visible()
    expect(student.get_by_label("Your message")).to_have_value("")
    message = Message.objects.get()
    assert message.attachments.get().name == "plan.pdf"

    # Within the quarter of an hour, the student corrects the date.
    sent.get_by_role("link", name=re.compile("^Edit")).click()
    student.wait_for_url(f"**/messages/{message.pk}/edit/")
    expect(student.get_by_role("textbox", name="Message")).to_have_value(FIRST)
    student.get_by_role("textbox", name="Message").fill(CORRECTED)
    student.get_by_role("button", name="Save changes").click()
    expect(student.get_by_text("Your message is updated")).to_be_visible()
    edited = student.locator(f"#message-{message.pk}")
    expect(edited).to_contain_text(CORRECTED)
    expect(edited.get_by_role("link", name="edited")).to_be_visible()

    # The mentor sees the message marked edited, with the file, and what it said before.
    org = new_page()
    log_in(org, mentor.email)
    org.goto(thread)
    received = org.locator(f"#message-{message.pk}")
    expect(received).to_contain_text(CORRECTED)
    expect(received.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    with org.expect_download() as download:
        received.get_by_role("link", name="plan.pdf").click()
    assert download.value.suggested_filename == "plan.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == PDF
    received.get_by_role("link", name="edited").click()
    org.wait_for_url(f"**/messages/{message.pk}/history/")
    expect(org.get_by_text(CORRECTED)).to_be_visible()
    expect(org.get_by_text(FIRST)).to_be_visible()

    # The mentor replies quoting it; the quote links back to the message.
    org.goto(thread)
    org.locator(f"#message-{message.pk}").get_by_role("link", name="Quote in reply").click()
    expect(org.locator(".quoting")).to_contain_text("Sam Student")
    org.get_by_label("Your message").fill("Thursday works.")
    org.get_by_role("button", name="Send").click()
    reply = org.locator("#message-list > li").last
    expect(reply).to_contain_text("Thursday works.")
    expect(reply.locator(".message-quote")).to_contain_text(CORRECTED)
    assert Message.objects.get(body="Thursday works.").quote_id == message.pk

    # The thread with a file, a quote and an edit, the history and the edit page: on a phone
    # and wide, nothing scrolls sideways and axe finds nothing serious.
    for page, path in [
        (org, thread),
        (org, f"{thread}{message.pk}/history/"),
        (student, f"{thread}{message.pk}/edit/"),
    ]:
        open_page(page, path)
        assert problems_at(page, path) == []
