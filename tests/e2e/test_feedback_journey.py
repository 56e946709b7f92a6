"""Issue #5, end to end: both sides submit their final reviews, the reviews are revealed, the
organization completes the engagement and records the payment, the student confirms it and
sees the endorsed skill as verified on their profile.

Everything before the journey (an active engagement whose one deliverable is accepted, which
opens the final round at once) goes through factories and the real services; the journey itself
happens in the browser, each side in its own context."""

import re

import pytest
from playwright.sync_api import expect

from practicum.completion.models import Payment
from practicum.engagements import lifecycle, services
from practicum.engagements.models import Engagement
from practicum.reviews.models import Review, VerifiedSkill
from practicum.reviews.selectors import windows_of
from practicum.workspace.deliverables import services as deliverables
from tests.e2e.helpers import log_in
from tests.factories import (
    ApplicationFactory,
    ProjectFactory,
    ProjectSkillFactory,
    SkillFactory,
)
from tests.fixtures_engagements import sign_both, start_today

pytestmark = pytest.mark.django_db(transaction=True)

ORGANIZATION = "Northwind Research"
SKILL = "Survey analysis"
MENTOR_STRENGTHS = "Sam cleaned the survey data with great care."
MENTOR_TO_GROW = "Present the findings with fewer slides."
MENTOR_NOTE = "Confidential: a candidate for our spring hire."
STUDENT_WENT_WELL = "Weekly check-ins with clear, actionable feedback."
STUDENT_TO_IMPROVE = "Share access to the survey tool on day one."


def score(page, criterion, value):
    """Choose a criterion's score by the rubric sentence's radio ("4 — The work was …")."""
    group = page.get_by_role("group", name=criterion, exact=True)
    group.get_by_role("radio", name=re.compile(rf"^{value} — ")).check()


@pytest.fixture
def engagement():
    """An active engagement whose one deliverable is accepted: the final round is open."""
    project = ProjectFactory(organization__name=ORGANIZATION)
    ProjectSkillFactory(project=project, skill=SkillFactory(name=SKILL))
    application = ApplicationFactory(project=project, student__name="Sam Student")
    mentor = project.mentor
    services.make_offer(application, by=mentor)
    engagement = services.accept_offer(application, by=application.student)
    engagement = start_today(sign_both(engagement, application.student, mentor))
    submission = deliverables.submit(
        engagement, "d1", by=engagement.student, link="https://example.org/findings"
    )
    deliverables.accept(submission, by=mentor)
    assert [w.round for w in windows_of(engagement)] == ["final"]
    return engagement


def test_final_reviews_completion_payment_and_verified_skill(new_page, engagement):
    student, mentor = engagement.student, engagement.project.mentor
    feedback = f"/engagements/{engagement.pk}/feedback/"
    completion = f"/engagements/{engagement.pk}/completion/"

    # The mentor writes the final review of the student and submits it.
    org = new_page()
    log_in(org, mentor.email)
    org.goto(feedback)
    final = org.locator("#round-final")
    expect(final.get_by_role("heading", name=re.compile("Final feedback"))).to_contain_text("Open")
    for criterion, value in [
        ("Quality of work", 4),
        ("Communication", 5),
        ("Reliability", 4),
        ("Initiative", 3),
        ("Growth", 5),
    ]:
        score(org, criterion, value)
    org.get_by_label("Strengths").fill(MENTOR_STRENGTHS)
    org.get_by_label("Areas to grow").fill(MENTOR_TO_GROW)
    org.get_by_role("group", name="Would you work with this student again?").get_by_role(
        "radio", name="Yes"
    ).check()
    org.get_by_label(SKILL).select_option(label="Proficient")
    org.get_by_label("Private note to the Practicum team").fill(MENTOR_NOTE)
    org.get_by_role("button", name="Submit review").click()
    expect(org.get_by_role("status")).to_contain_text("Your review is saved")
    expect(final).to_contain_text("The other side has not submitted yet")
    # Still open, so the mentor may edit: the form comes back filled with what they wrote.
    expect(org.get_by_role("button", name="Save changes")).to_be_visible()
    expect(org.get_by_label("Strengths")).to_have_value(MENTOR_STRENGTHS)

    # The student sees that the organization has submitted, but not what it wrote.
    me = new_page()
    log_in(me, student.email)
    me.goto(feedback)
    final_for_me = me.locator("#round-final")
    expect(final_for_me).to_contain_text("The other side has submitted")
    expect(final_for_me).to_contain_text("You have not submitted yet")
    expect(final_for_me).to_contain_text("Their review stays hidden until you submit yours")
    expect(me.locator("#feedback-heading + p")).to_contain_text(
        "neither side sees the other's review of a round until both have submitted"
    )
    expect(me.get_by_role("article", name="The other side's review")).to_have_count(0)
    expect(me.get_by_text(MENTOR_STRENGTHS)).to_have_count(0)

    # The student writes their final review of the organization; this reveals the round.
    for criterion, value in [
        ("Clarity of expectations", 4),
        ("Quality of mentorship", 5),
        ("Communication and responsiveness", 4),
        ("Learning gained", 5),
        ("Respect for the agreed time", 3),
    ]:
        score(me, criterion, value)
    me.get_by_label("What went well").fill(STUDENT_WENT_WELL)
    me.get_by_label("What to improve").fill(STUDENT_TO_IMPROVE)
    me.get_by_role(
        "group", name="Would you recommend this organization to a fellow student?"
    ).get_by_role("radio", name="Yes").check()
    me.get_by_role("button", name="Submit review").click()
    expect(me.get_by_role("status")).to_contain_text("Your review is saved")

    # Revealed: the student reads the mentor's review and endorsement, never the private note.
    expect(final_for_me.get_by_role("heading", name=re.compile("Final feedback"))).to_contain_text(
        "Revealed"
    )
    theirs = me.get_by_role("article", name="The other side's review")
    expect(theirs).to_contain_text(MENTOR_STRENGTHS)
    expect(theirs).to_contain_text(MENTOR_TO_GROW)
    expect(theirs).to_contain_text("Would you work with this student again? Yes")
    expect(theirs.locator("ul.endorsements")).to_contain_text(f"{SKILL} Proficient")
    expect(me.get_by_role("article", name="Your side's review")).to_contain_text(STUDENT_WENT_WELL)
    assert MENTOR_NOTE not in me.content()
    expect(me.get_by_role("button", name="Submit review")).to_have_count(0)

    # And the mentor reads the student's review (and still their own private note).
    org.reload()
    expect(org.get_by_role("article", name="The other side's review")).to_contain_text(
        STUDENT_WENT_WELL
    )
    expect(org.get_by_role("article", name="The other side's review")).to_contain_text(
        STUDENT_TO_IMPROVE
    )
    expect(org.get_by_role("article", name="Your side's review")).to_contain_text(MENTOR_NOTE)

    # The mentor completes the engagement and records the payment.
    org.goto(completion)
    expect(org.locator(".checklist")).to_contain_text("Deliverables accepted: 1 of 1")
    org.get_by_label("Closing note for the student (optional)").fill("Thank you, Sam!")
    org.get_by_role("button", name="Complete the engagement").click()
    expect(org.get_by_role("status")).to_contain_text("The engagement is completed.")
    expect(org.locator("#completion-heading + p")).to_contain_text("Completed")
    expect(org.get_by_label("Amount paid (EUR)")).to_have_value("600.00")
    org.get_by_label("Amount paid (EUR)").fill("600.00")
    paid_on = lifecycle.today_of(engagement).isoformat()
    org.get_by_label("Date paid").fill(paid_on)
    org.get_by_label("Reference (optional)").fill("INV-2041")
    org.get_by_role("button", name="Record the payment").click()
    expect(org.get_by_role("status")).to_contain_text("The payment is recorded")
    expect(org.locator("ol.payments")).to_contain_text("INV-2041")

    # The student confirms receipt.
    me.goto(completion)
    expect(me.locator(".completion-reason")).to_contain_text("Thank you, Sam!")
    expect(me.locator("ol.payments")).to_contain_text("reference “INV-2041”")
    me.get_by_role("button", name="Yes, I received it").click()
    expect(me.get_by_role("status")).to_contain_text("you confirmed the payment")
    expect(me.locator("ol.payments")).to_contain_text("Receipt confirmed by the student")
    expect(me.get_by_role("button", name="Yes, I received it")).to_have_count(0)

    # The student's profile shows the skill as verified by the organization.
    me.goto("/profile/")
    verified = me.locator("section.verified-skills li.verified-skill")
    expect(verified).to_have_count(1)
    expect(verified).to_contain_text(SKILL)
    expect(verified.locator(".badge.verified")).to_have_text("Proficient")
    expect(verified).to_contain_text(f"verified by {ORGANIZATION}")
    expect(verified).to_contain_text(engagement.project.title)

    # What the database holds at the end.
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.COMPLETED
    reviews = {r.side: r for r in Review.objects.filter(engagement=engagement, round="final")}
    assert set(reviews) == {"student", "organization"}
    assert all(r.revealed_at is not None for r in reviews.values())
    assert reviews["organization"].scores == {
        "quality": 4,
        "communication": 5,
        "reliability": 4,
        "initiative": 3,
        "growth": 5,
    }
    assert reviews["organization"].recommend is True
    assert reviews["organization"].private_note == MENTOR_NOTE
    assert reviews["student"].recommend is True
    payment = Payment.objects.get(engagement=engagement)
    assert payment.status == Payment.Status.CONFIRMED
    assert (payment.amount, payment.currency, payment.reference) == (60000, "EUR", "INV-2041")
    assert payment.paid_on.isoformat() == paid_on
    assert payment.recorded_by == mentor
    skill = VerifiedSkill.objects.select_related("skill", "organization").get(student=student)
    assert (skill.skill.name, skill.level, skill.organization.name, skill.engagement_id) == (
        SKILL,
        3,
        ORGANIZATION,
        engagement.pk,
    )
