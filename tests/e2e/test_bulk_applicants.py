"""An organization answers several applicants at once, in a real Chromium: it ticks two of
three and shortlists them together; both students are told, the third is left as she was."""

import pytest
from playwright.sync_api import expect

from practicum.accounts.models import Membership
from practicum.engagements.models import Application
from practicum.notifications.models import Notification
from tests.e2e.helpers import log_in
from tests.factories import ApplicationFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_shortlist_two_applicants_at_once(new_page):
    project = ProjectFactory(title="Customer interviews synthesis")
    owner = MembershipFactory(organization=project.organization, role=Membership.Role.OWNER).user
    ada, ben, cleo = (
        ApplicationFactory(project=project, student__name=name)
        for name in ("Ada Lovelace", "Ben Carter", "Cleo Nakamura")
    )

    page = new_page()
    log_in(page, owner.email)
    page.goto(f"/projects/{project.pk}/applicants/")
    # The script shows "Select all on this page"; it ticks the three and unticks them again.
    select_all = page.get_by_label("Select all on this page")
    select_all.check()
    expect(page.locator('input[name="applications"]:checked')).to_have_count(3)
    select_all.uncheck()
    expect(page.locator('input[name="applications"]:checked')).to_have_count(0)

    page.get_by_label("Select Ada Lovelace").check()
    page.get_by_label("Select Cleo Nakamura").check()
    page.get_by_label("With the selected applicants").select_option("shortlist")
    page.get_by_role("button", name="Apply to the selected applicants").click()

    expect(page.get_by_text("2 applicants shortlisted.")).to_be_visible()
    statuses = {a.student.name: Application.objects.get(pk=a.pk).status for a in (ada, ben, cleo)}
    assert statuses == {
        "Ada Lovelace": "shortlisted",
        "Ben Carter": "submitted",
        "Cleo Nakamura": "shortlisted",
    }
    told = Notification.objects.filter(kind="application_shortlisted")
    assert set(told.values_list("recipient_id", flat=True)) == {ada.student_id, cleo.student_id}

    # Ada sees it on her applications.
    student = new_page()
    log_in(student, ada.student.email)
    student.goto("/applications/")
    expect(student.get_by_text("Shortlisted").first).to_be_visible()
