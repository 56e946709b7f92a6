import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from practicum.profiles.models import StudentProfile
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_student_signs_up_verifies_and_fills_the_profile(new_page):
    call_command("load_skills", verbosity=0)
    page = new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto("/")
    page.get_by_role("link", name="I'm a student").click()
    page.get_by_label("Full name").fill("Sam Student")
    page.get_by_label("Email").fill("sam@uni.example")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/confirm-email/")

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r".*/$"))
    assert page.evaluate("typeof window.htmx") == "object"

    page.get_by_role("link", name="My profile").click()
    page.get_by_role("link", name=re.compile("Edit")).first.click()
    page.get_by_label("Headline").fill("Statistics student who likes maps")
    page.get_by_label("Hours available per week").fill("12")

    search = page.get_by_label("Add a skill")
    search.fill("py")
    page.locator("#skill-suggestions button.suggestion", has_text="Python").first.click()
    page.get_by_label("Level for Python").select_option(label="Proficient")
    search.fill("excel")
    page.locator("#skill-suggestions button.suggestion", has_text="Microsoft Excel").click()
    page.get_by_label("Level for Microsoft Excel").select_option(label="Expert")

    page.get_by_label("From (window 1)").fill("2027-01-04")
    page.get_by_label("Until (window 1)").fill("2027-02-26")
    page.get_by_role("button", name="Save profile").click()

    page.wait_for_url("**/profile/")
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_text("Statistics student who likes maps")).to_be_visible()
    expect(page.get_by_text("Python").first).to_be_visible()
    expect(page.get_by_text("Microsoft Excel").first).to_be_visible()

    profile = StudentProfile.objects.get(user__email="sam@uni.example")
    levels = {s.skill.name: s.level for s in profile.skills.select_related("skill")}
    assert levels == {"Python": 3, "Microsoft Excel": 4}
    assert profile.weekly_hours == 12
    assert errors == []
