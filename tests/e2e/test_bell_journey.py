"""Issue #7: a mentor posts a message, the student's bell count rises, the student opens the
notification and the count clears.

The bell (notifications/_bell.html) asks for its count on load and then every 30 s. Rather than
wait 30 real seconds, the student's browser runs on Playwright's clock: time flows as usual,
and the test jumps it past the next poll, so the real HTMX trigger fires and the real bell view
answers; nothing in the app is changed for the test.
"""

import re

import pytest
from playwright.sync_api import expect

from practicum.engagements import services
from practicum.notifications import kinds, selectors
from practicum.notifications import services as notifications
from practicum.notifications.kinds import Delivery
from practicum.notifications.models import Notification
from tests.e2e.helpers import log_in
from tests.factories import ApplicationFactory
from tests.fixtures_engagements import sign_both

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = "Could you send me the survey export by Friday?"
BELL_POLL = "00:31"  # just past the bell's `every 30s`
# The bell as the bell view draws it (with a count): it no longer asks on load, only every 30 s.
SWAPPED = "every 30s"


def goto_and_count(page, url):
    """Open a page and wait for the bell's first answer (it is drawn without a count and asks
    for it on load)."""
    with page.expect_response("**/notifications/bell/"):
        page.goto(url)
    bell = page.locator("#notification-bell")
    expect(bell).to_have_attribute("hx-trigger", SWAPPED)
    return bell


def test_a_new_message_raises_the_bell_and_opening_it_clears_the_count(new_page):
    application = ApplicationFactory(student__name="Sam Student")
    mentor = application.project.mentor
    services.make_offer(application, by=mentor)
    engagement = sign_both(
        services.accept_offer(application, by=application.student),
        application.student,
        mentor,
    )
    student_user = application.student
    # The student has read everything so far (the offer, the agreement), and keeps the default
    # for new messages, which records an in-app notification (and emails it too).
    notifications.mark_all_read(student_user)
    assert selectors.delivery_for(student_user, kinds.get("new_message")) == Delivery.EMAIL_NOW

    student = new_page()
    student.clock.install()
    log_in(student, student_user.email)
    bell = goto_and_count(student, f"/engagements/{engagement.pk}/")
    expect(bell).to_have_text("Notifications")  # no count: nothing unread
    student.evaluate("window.stillTheSamePage = true")

    # The mentor writes in the thread.
    org = new_page()
    log_in(org, mentor.email)
    org.goto(f"/engagements/{engagement.pk}/messages/")
    org.get_by_label("Your message").fill(MESSAGE)
    org.get_by_role("button", name="Send").click()
    expect(org.locator("#message-list > li").filter(has_text=MESSAGE)).to_be_visible()

    # The student's bell rises at its next poll, without a reload.
    with student.expect_response("**/notifications/bell/"):
        student.clock.fast_forward(BELL_POLL)
    expect(bell.locator(".badge")).to_have_text("1")
    expect(bell).to_contain_text("(1 unread)")
    assert student.evaluate("window.stillTheSamePage") is True

    # The student opens the notification: bell → list → the entry, which leads to the message.
    bell.click()
    student.wait_for_url("**/notifications/")
    entry = student.locator(".notification-list article").filter(
        has_text=f"New message in “{engagement.project.title}”."
    )
    expect(entry.get_by_text("New", exact=True)).to_be_visible()
    with student.expect_response("**/notifications/bell/"):
        entry.get_by_role("link", name=re.compile("New message in")).click()
    student.wait_for_url(re.compile(rf".*/engagements/{engagement.pk}/messages/#message-\d+$"))
    expect(student.locator("#message-list > li").filter(has_text=MESSAGE)).to_be_visible()

    # The count has cleared: the bell answered with nothing unread.
    expect(bell).to_have_attribute("hx-trigger", SWAPPED)
    expect(bell).to_have_text("Notifications")
    expect(bell.locator(".badge")).to_have_count(0)
    notification = Notification.objects.get(recipient=student_user, kind="new_message")
    assert notification.read_at is not None
    assert selectors.unread_count(student_user) == 0
