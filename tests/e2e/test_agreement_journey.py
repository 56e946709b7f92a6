import pytest
from playwright.sync_api import expect

from practicum.engagements import services
from practicum.engagements.models import Engagement
from tests.e2e.helpers import log_in
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign(page, engagement, name):
    page.goto(f"/engagements/{engagement.pk}/")
    page.get_by_label("Type your full name to sign").fill(name)
    page.get_by_role("button", name="Sign the agreement").click()


def test_both_sides_sign_and_the_engagement_becomes_active(new_page):
    application = ApplicationFactory(student__name="Sam Student")
    mentor = application.project.mentor
    services.make_offer(application, by=mentor)
    engagement = services.accept_offer(application, by=application.student)

    student = new_page()
    log_in(student, application.student.email)
    sign(student, engagement, "sam student")  # case does not matter
    expect(student.get_by_text("Waiting for the agreement").first).to_be_visible()
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.AGREEMENT_PENDING  # one signature is not enough

    organization = new_page()
    log_in(organization, mentor.email)
    sign(organization, engagement, mentor.name)
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.ACTIVE
    student.reload()
    expect(student.get_by_text("Active").first).to_be_visible()
