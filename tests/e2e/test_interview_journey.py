"""An interview between shortlist and offer, driven by both sides in Chromium: the organization
offers two times, the student picks one, and the time shows on both sides' application pages.
The interview pages fit a phone (390 px) and pass axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practicum.engagements import services
from practicum.interviews.models import Interview
from tests.e2e.helpers import log_in
from tests.e2e.test_design_system import problems_at
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def local_input(days: int, hour: int) -> str:
    """A datetime-local value `days` ahead at `hour` o'clock (in the viewer's zone)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


def test_the_organization_invites_and_the_student_picks(new_page):
    application = ApplicationFactory(student__name="Sam Student")
    mentor = application.project.mentor
    services.shortlist(application, by=mentor)

    org = new_page()
    log_in(org, mentor.email)
    org.goto(f"/applications/{application.pk}/")
    org.get_by_role("link", name="Invite to an interview").click()
    # The invitation form fits a phone and passes axe.
    assert problems_at(org, org.url) == []
    org.locator("#id_slots-0-starts_at").fill(local_input(3, 10))
    org.locator("#id_slots-0-video_url").fill("https://meet.example.org/sam")
    org.locator("#id_slots-1-starts_at").fill(local_input(4, 14))
    org.locator("#id_slots-1-duration_minutes").fill("45")
    org.locator("#id_slots-1-place").fill("Room 4, Main St 1")
    org.get_by_role("button", name="Send the invitation").click()
    expect(org.get_by_text("The invitation is sent")).to_be_visible()
    expect(org.get_by_text("Waiting for Sam Student to pick one.")).to_be_visible()

    student = new_page()
    log_in(student, application.student.email)
    student.goto(f"/applications/{application.pk}/")
    student.get_by_role("link", name="The interview").click()
    assert problems_at(student, student.url) == []
    student.get_by_label(re.compile("Room 4, Main St 1")).check()
    student.get_by_role("button", name="Pick this time").click()
    expect(student.get_by_text("The interview is scheduled")).to_be_visible()
    expect(student.locator("#current-interview")).to_contain_text("Room 4, Main St 1")

    interview = Interview.objects.get(application=application)
    assert interview.status == "scheduled" and interview.slot.place == "Room 4, Main St 1"

    for page in (student, org):
        page.goto(f"/applications/{application.pk}/")
        panel = page.locator("#interview-panel")
        expect(panel).to_contain_text("Scheduled")
        expect(panel).to_contain_text("Room 4, Main St 1")
        expect(panel).to_contain_text("45 min")
