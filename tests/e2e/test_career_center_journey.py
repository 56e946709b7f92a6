"""A student asks to be verified, the career center confirms them, the student shares, staff
read the outcomes (never the workspace), the student sees the look in their log and stops
sharing: staff lose the record at once."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in
from tests.factories import InstitutionStaffFactory, StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_verify_share_look_and_withdraw(new_page, active_engagement):
    staff = InstitutionStaffFactory(
        user__name="Cara Career", institution__name="Northfield University"
    ).user
    student = active_engagement.student
    StudentFactory(name="Someone Else")  # not asking: never listed
    errors = []

    me = new_page()
    me.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(me, student.email)
    me.goto("/careers/")
    expect(me.get_by_text("never the exact amount")).to_be_visible()
    me.get_by_label("Institution:", exact=True).select_option(label="Northfield University")
    me.get_by_role("button", name="Ask to be verified").click()
    expect(
        me.get_by_text("Asked Northfield University's career center to confirm you.")
    ).to_be_visible()

    desk = new_page()
    desk.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(desk, staff.email)
    desk.goto("/careers/students/")
    desk.get_by_role("button", name=f"Confirm {student.name}").click()
    expect(desk.get_by_text(f"{student.name} is verified.")).to_be_visible()
    expect(desk.get_by_text("No verified student shares with you yet.")).to_be_visible()

    me.goto("/careers/")
    me.get_by_role("button", name="Share my outcomes with Northfield University").click()
    expect(
        me.get_by_text("You share your outcomes with Northfield University.").first
    ).to_be_visible()

    desk.goto("/careers/students/")
    desk.get_by_role("link", name=student.name).click()
    desk.wait_for_url(re.compile(r".*/careers/students/\d+/$"))
    expect(desk.get_by_text("500–1,000 EUR")).to_be_visible()
    record_url = desk.url
    response = desk.goto(f"/engagements/{active_engagement.pk}/messages/")
    assert response.status == 404

    me.goto("/careers/")
    expect(me.get_by_text("Cara Career of Northfield University")).to_be_visible()
    me.get_by_role("button", name="Stop sharing with Northfield University").click()
    expect(me.get_by_text("Northfield University no longer sees your outcomes.")).to_be_visible()

    assert desk.goto(record_url).status == 404
    assert errors == []
