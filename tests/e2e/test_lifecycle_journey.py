"""The promises that span apps, in a real Chromium: a project with one place gets two offers,
one student accepts and the other sees her offer withdrawn and why; the owner removes the
mentor, is warned that the engagement has none, and gives it a new one."""

import pytest
from playwright.sync_api import expect

from practicum.accounts.models import Membership
from practicum.engagements import services
from practicum.engagements.models import Engagement
from tests.e2e.helpers import log_in
from tests.factories import ApplicationFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_offers_one_place_then_a_new_mentor(new_page):
    project = ProjectFactory(title="Survey of store managers", capacity=1)
    mentor = project.mentor
    organization = project.organization
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    successor = MembershipFactory(
        organization=organization, role=Membership.Role.MENTOR, user__name="Rui Successor"
    ).user
    first = ApplicationFactory(project=project, student__name="Ada First")
    second = ApplicationFactory(project=project, student__name="Ben Second")
    for application in (first, second):
        services.make_offer(application, by=mentor)

    # Ada accepts from her applications page: the place is hers.
    ada = new_page()
    log_in(ada, first.student.email)
    ada.goto("/applications/")
    ada.get_by_role("button", name="Accept").click()
    expect(ada.get_by_text("You accepted the offer")).to_be_visible()

    # Ben's offer is gone, and he is told why; he cannot accept it any more.
    ben = new_page()
    log_in(ben, second.student.email)
    ben.goto("/applications/")
    expect(ben.get_by_text("The offer was withdrawn: all places are filled.")).to_be_visible()
    expect(ben.get_by_role("button", name="Accept")).to_have_count(0)
    ben.goto("/notifications/")
    expect(ben.get_by_text("was withdrawn: all places are filled").first).to_be_visible()

    # The owner removes the mentor: the engagement warns that it has none.
    engagement = Engagement.objects.get(application=first)
    boss = new_page()
    log_in(boss, owner.email)
    boss.goto(f"/organizations/{organization.slug}/members/")
    boss.get_by_role("button", name=f"Remove {mentor.name}").click()
    boss.goto(f"/engagements/{engagement.pk}/")
    expect(boss.get_by_text("This engagement has no mentor.")).to_be_visible()

    # …and gives it a new one; Ada sees who it is, the timeline says what happened.
    boss.get_by_label("New mentor").select_option(label=f"{successor.name} (mentor)")
    boss.get_by_role("button", name="Change the mentor").click()
    expect(boss.get_by_text("The mentor is changed")).to_be_visible()
    expect(boss.locator("#no-mentor")).to_have_count(0)
    ada.goto(f"/engagements/{engagement.pk}/")
    expect(ada.get_by_text("Rui Successor").first).to_be_visible()
    ada.goto(f"/engagements/{engagement.pk}/timeline/")
    expect(ada.get_by_text(f"{owner.name} made Rui Successor the mentor")).to_be_visible()
