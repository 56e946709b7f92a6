"""Issue 17 in a real Chromium: a student adds a photo and a CV, applies, and the organization
finds the CV on the application; the photo shows without its GPS position."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from practicum.profiles.models import StudentProfile
from tests.e2e.helpers import log_in
from tests.e2e.test_design_system import problems_at
from tests.factories import ProjectFactory, StudentFactory
from tests.samples import jpeg_with_gps, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_student_uploads_photo_and_cv_applies_and_the_organization_sees_the_cv(new_page):
    project = ProjectFactory(title="Map the city's trees")
    student = StudentFactory(name="Ada Lovelace")
    errors = []

    page = new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, student.email)
    page.goto("/profile/")
    page.get_by_role("link", name="Photo and CV").click()
    page.locator("#photo-form").get_by_label("Photo").set_input_files(
        files=[{"name": "holiday.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
    )
    page.get_by_role("button", name="Upload the photo").click()
    expect(page.get_by_text("Your photo is saved.")).to_be_visible()
    photo = page.get_by_role("img", name="Your photo")
    expect(photo).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", photo.element_handle()) == 48

    # A web page renamed .pdf is refused with a clear message; the real PDF is kept.
    page.locator("#cv-form").get_by_label("CV").set_input_files(
        files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": b"<html></html>"}]
    )
    page.get_by_role("button", name="Upload the CV").click()
    expect(page.get_by_text("This file is not a PDF.").first).to_be_visible()
    page.locator("#cv-form").get_by_label("CV").set_input_files(
        files=[{"name": "Ada CV.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Upload the CV").click()
    expect(page.get_by_text("Your CV is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Ada CV.pdf")).to_be_visible()
    problems = problems_at(page, "/profile/photo-and-cv/")

    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Apply").click()
    expect(page.locator("#cv-note")).to_contain_text("Your CV (Ada CV.pdf) goes with")
    page.get_by_label("Why you, for this project").fill("I mapped every tree on my street.")
    page.get_by_label(re.compile("I can work")).check()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name=re.compile("Your application to"))).to_be_visible()

    mentor = new_page()
    log_in(mentor, project.mentor.email)
    mentor.goto(f"/projects/{project.pk}/applicants/")
    mentor.get_by_role("link", name=re.compile("Ada Lovelace")).first.click()
    cv_link = mentor.get_by_role("link", name=re.compile("CV of Ada Lovelace"))
    expect(cv_link).to_be_visible()
    with mentor.expect_download() as download:
        cv_link.click()
    assert download.value.suggested_filename == "Ada CV.pdf"
    problems += problems_at(mentor, "the application page")
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == pdf_bytes()

    # The photo the organization sees is the redrawn one: no EXIF, no GPS.
    profile = StudentProfile.objects.get(user=student)
    photo = mentor.request.get(f"/students/{profile.pk}/photo/")
    assert photo.status == 200
    assert dict(Image.open(io.BytesIO(photo.body())).getexif()) == {}

    # What the Verified badge means, linked from the badge on the project's page.
    project.organization.is_verified = True
    project.organization.save()
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="✓ Verified").click()
    expect(page.get_by_role("heading", name="What “Verified” means")).to_be_visible()
    problems += problems_at(page, "/about/verified-organizations/")
    assert problems == []
    assert errors == []
