"""The workspace from signature to accepted deliverable, driven by both sides in Chromium.

Every step is done in the browser by the student or the mentor; the database is touched only
to set the scene (an accepted offer) and to move the first check-in into the past so its
outcome can be recorded (check-ins are generated in the future, from the project's dates).
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practicum.engagements import services
from practicum.engagements.models import Engagement, EngagementEvent
from practicum.workspace.checkins.models import CheckIn
from tests.e2e.helpers import log_in
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOTES = "We agreed on the survey's three themes: price, speed, support."
FEEDBACK = "Please add a chart for each theme."
LINK = "https://docs.example.org/findings-v2"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The live server runs in this process: uploaded files land in a temporary folder.
    settings.MEDIA_ROOT = tmp_path / "media"


def sign(page, engagement, name):
    page.goto(f"/engagements/{engagement.pk}/")
    page.get_by_label("Type your full name to sign").fill(name)
    page.get_by_role("button", name="Sign the agreement").click()


def state_badge(page):
    return page.locator("#workspace-heading .badge")


def deliverable(page):
    return page.locator("#deliverable-d1")


def is_subsequence(wanted, kinds) -> bool:
    remaining = iter(kinds)
    return all(kind in remaining for kind in wanted)


def test_from_signatures_to_an_accepted_deliverable(new_page):
    application = ApplicationFactory(student__name="Sam Student")
    mentor = application.project.mentor
    services.make_offer(application, by=mentor)
    engagement = services.accept_offer(application, by=application.student)
    pk = engagement.pk

    # Both sign the agreement.
    student = new_page()
    log_in(student, application.student.email)
    sign(student, engagement, "Sam Student")
    expect(student.get_by_text("Your side has signed version 1")).to_be_visible()
    expect(state_badge(student)).to_have_text("Waiting for the agreement")

    org = new_page()
    log_in(org, mentor.email)
    sign(org, engagement, mentor.name)
    expect(state_badge(org)).to_have_text("Active")
    student.reload()
    expect(state_badge(student)).to_have_text("Active")
    expect(student.get_by_text(f"Signed for the organization by {mentor.name}")).to_be_visible()

    # Setup, not behaviour: the first check-in the agreement generated took place an hour ago.
    checkin = CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at").first()
    assert checkin is not None, "signing generates the check-ins"
    past = timezone.now() - datetime.timedelta(hours=1)
    CheckIn.objects.filter(pk=checkin.pk).update(scheduled_at=past, originally_at=past)

    # The mentor opens it from the list, writes the notes and records that it was held.
    org.get_by_role("navigation", name="Workspace").get_by_role("link", name="Check-ins").click()
    past_checkins = org.get_by_role("region", name="Past check-ins")
    expect(past_checkins.get_by_text("Outcome to record")).to_be_visible()
    past_checkins.get_by_role("link").click()
    org.wait_for_url(f"**/engagements/{pk}/checkins/{checkin.pk}/")
    org.get_by_text("Write notes").click()
    org.get_by_label("Shared notes:", exact=True).fill(NOTES)
    org.get_by_role("button", name="Save the notes").click()
    expect(org.get_by_text("The notes are saved.")).to_be_visible()
    expect(org.locator(".notes")).to_have_text(NOTES)
    org.get_by_label("It was held").check()
    org.get_by_role("button", name="Record the outcome").click()
    expect(org.get_by_text("The outcome is recorded.")).to_be_visible()
    expect(org.locator(".checkin .badge").first).to_have_text("Held")
    expect(org.get_by_text(f"Held, recorded by {mentor.name}")).to_be_visible()
    expect(org.get_by_role("button", name="Record the outcome")).to_have_count(0)

    # The student sees it held, with the notes.
    student.goto(f"/engagements/{pk}/checkins/")
    row = student.get_by_role("region", name="Past check-ins").get_by_role("row").nth(1)
    expect(row.locator("td[data-label=Status]")).to_have_text("Held")
    expect(row.locator("td[data-label=Notes]")).to_have_text("Yes")
    row.get_by_role("link").click()
    expect(student.locator(".notes")).to_have_text(NOTES)
    expect(student.get_by_text(f"Last edited by {mentor.name}")).to_be_visible()

    # The student posts a progress update; the hours count against the 40 agreed.
    student.goto(f"/engagements/{pk}/updates/")
    expect(student.locator(".hours-figure")).to_have_text("0 of 40 agreed hours reported")
    student.get_by_label("Done since the last update").fill("Cleaned the 300 survey answers.")
    student.get_by_label("Blockers").fill("None so far.")
    student.get_by_label("Next", exact=True).fill("Group the answers into themes.")
    student.get_by_label("Hours spent since the last update").fill("2.5")
    student.get_by_role("button", name="Post update").click()
    expect(student.get_by_text("Your progress update is posted.")).to_be_visible()
    expect(student.locator(".hours-figure")).to_have_text("2.5 of 40 agreed hours reported")
    update = student.locator("article.progress-update")
    expect(update).to_have_count(1)
    expect(update.locator(".badge")).to_have_text("2.5 h")
    expect(update.get_by_text("Cleaned the 300 survey answers.")).to_be_visible()
    org.goto(f"/engagements/{pk}/updates/")
    expect(org.locator(".hours-figure")).to_have_text("2.5 of 40 agreed hours reported")
    expect(org.get_by_text("Cleaned the 300 survey answers.")).to_be_visible()

    # The student submits the deliverable: a PDF and a note.
    student.goto(f"/engagements/{pk}/deliverables/")
    expect(deliverable(student).locator(".deliverable-status .badge")).to_have_text("Not submitted")
    student.get_by_label("File", exact=True).set_input_files(
        files=[{"name": "findings.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    student.get_by_label("Note for the reviewer").fill("First draft of the three themes.")
    student.get_by_role("button", name="Submit “Findings report”").click()
    expect(student.get_by_text("Submitted. The organization is told")).to_be_visible()
    expect(deliverable(student).locator(".deliverable-status .badge")).to_have_text(
        "Submitted — waiting for review"
    )
    first = deliverable(student).locator("li.submission").filter(has_text="Submission 1")
    expect(first.get_by_role("link", name="findings.pdf")).to_be_visible()

    # The mentor downloads the file (the very bytes uploaded) and asks for changes.
    org.goto(f"/engagements/{pk}/deliverables/")
    waiting = deliverable(org).locator("li.submission").filter(has_text="Submission 1")
    expect(waiting.get_by_text("First draft of the three themes.")).to_be_visible()
    with org.expect_download() as download:
        waiting.get_by_role("link", name="findings.pdf").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == PDF
    waiting.get_by_label("Feedback").fill(FEEDBACK)
    waiting.get_by_role("button", name="Request changes").click()
    expect(org.get_by_text("Changes requested. The student is told")).to_be_visible()
    expect(deliverable(org).locator(".deliverable-status .badge")).to_have_text("Changes requested")
    expect(deliverable(org).locator(".feedback")).to_have_text(FEEDBACK)

    # The student reads the feedback and submits again, a link this time.
    student.goto(f"/engagements/{pk}/deliverables/")
    expect(deliverable(student).locator(".deliverable-status .badge")).to_have_text(
        "Changes requested"
    )
    expect(deliverable(student).locator(".feedback")).to_have_text(FEEDBACK)
    student.get_by_label("Link", exact=True).fill(LINK)
    student.get_by_label("Note for the reviewer").fill("Added a chart for each theme.")
    student.get_by_role("button", name="Submit “Findings report”").click()
    expect(student.get_by_text("Submitted. The organization is told")).to_be_visible()
    expect(deliverable(student).locator(".deliverable-status .badge")).to_have_text(
        "Submitted — waiting for review"
    )
    second = deliverable(student).locator("li.submission").filter(has_text="Submission 2")
    expect(second.get_by_role("link", name=LINK)).to_be_visible()

    # The mentor accepts the second submission.
    org.goto(f"/engagements/{pk}/deliverables/")
    waiting = deliverable(org).locator("li.submission").filter(has_text="Submission 2")
    expect(waiting.get_by_text("Added a chart for each theme.")).to_be_visible()
    waiting.get_by_role("button", name="Accept").click()
    expect(org.get_by_text("Accepted. The student is told.")).to_be_visible()
    expect(deliverable(org).locator(".deliverable-status .badge")).to_have_text("Accepted")

    student.goto(f"/engagements/{pk}/deliverables/")
    expect(deliverable(student).locator(".deliverable-status .badge")).to_have_text("Accepted")
    expect(
        deliverable(student).locator("li.submission").filter(has_text="Submission 2")
    ).to_contain_text("Accepted")
    expect(student.get_by_role("button", name="Submit “Findings report”")).to_have_count(0)

    # The one event log recorded each step, in order.
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.ACTIVE
    kinds = list(
        EngagementEvent.objects.filter(engagement=engagement)
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )
    Kind = EngagementEvent.Kind
    wanted = [
        Kind.SIGNED,
        Kind.SIGNED,
        Kind.ACTIVATED,
        Kind.CHECKIN_HELD,
        Kind.UPDATE_POSTED,
        Kind.SUBMITTED,
        Kind.CHANGES_REQUESTED,
        Kind.SUBMITTED,
        Kind.SUBMISSION_ACCEPTED,
    ]
    assert is_subsequence(wanted, kinds), kinds

    # The timeline shows the same events, in the same order, as sentences.
    student.get_by_role("navigation", name="Workspace").get_by_role("link", name="Timeline").click()
    expect(student.get_by_role("heading", name=f"{len(kinds)} events")).to_be_visible()
    rows = student.locator("ol.timeline > li")
    expect(rows).to_have_count(len(kinds))
    shown = [
        re.search(r"\bevent-(\w+)", rows.nth(i).get_attribute("class")).group(1)
        for i in range(len(kinds))
    ]
    assert shown == kinds
    for sentence in [
        "Sam Student signed version 1 of the agreement as the student.",
        f"{mentor.name} signed version 1 of the agreement for",
        "Both sides signed version 1: the engagement is active.",
        f"{mentor.name} marked the check-in of",
        "Sam Student posted a progress update (2.5 hours worked).",
        "Sam Student submitted “Findings report” (submission 1).",
        f"{mentor.name} asked for changes to “Findings report”",
        "Sam Student submitted “Findings report” (submission 2).",
        f"{mentor.name} accepted “Findings report”",
    ]:
        expect(rows.filter(has_text=sentence).first).to_be_visible()
