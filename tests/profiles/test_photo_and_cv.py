"""A student's photo and CV: what is accepted, where it is stored, and who may see it."""

import io
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from PIL import Image

from practicum.accounts import services as account_services
from practicum.accounts.models import User
from practicum.core.errors import Refused
from practicum.privacy.services import archive_of
from practicum.profiles import cv, services
from practicum.profiles.models import StudentProfile
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    InstitutionFactory,
    InstitutionStaffFactory,
    MembershipFactory,
    ProjectFactory,
    StudentFactory,
    UserFactory,
)
from tests.profiles.cases import VISIBILITY, viewer
from tests.samples import EXE, HTML, image_bytes, jpeg_with_gps, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def with_photo(profile, data=None) -> StudentProfile:
    return services.set_photo(
        profile, by=profile.user, upload=upload("me.jpg", data or image_bytes(fmt="JPEG"))
    )


def with_cv(profile, name="My CV.pdf") -> StudentProfile:
    return services.set_cv(profile, by=profile.user, upload=upload(name, pdf_bytes()))


def stored_image(profile) -> Image.Image:
    with default_storage.open(profile.photo.name, "rb") as handle:
        return Image.open(io.BytesIO(handle.read()))


# --- the photo ---------------------------------------------------------------------------


def test_photo_is_stored_redrawn_square_without_exif(profile):
    with_photo(profile, jpeg_with_gps(size=(64, 48)))
    profile.refresh_from_db()
    folder, name = profile.photo.name.split("/")
    assert folder == "photos" and name.endswith(".webp") and len(name) == 37
    picture = stored_image(profile)
    assert picture.format == "WEBP"
    assert picture.size == (48, 48)
    assert dict(picture.getexif()) == {}


def test_a_text_file_named_png_is_refused_and_nothing_changes(profile):
    with pytest.raises(services.images.ImageRefused) as caught:
        services.set_photo(profile, by=profile.user, upload=upload("me.png", b"not a picture"))
    assert caught.value.code == "image_type_not_allowed"
    profile.refresh_from_db()
    assert not profile.photo


def test_replacing_the_photo_deletes_the_old_file(profile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = with_photo(profile).photo.name
    with django_capture_on_commit_callbacks(execute=True):
        second = with_photo(profile).photo.name
    assert first != second
    assert not default_storage.exists(first) and default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_photo(profile, by=profile.user)
    profile.refresh_from_db()
    assert not profile.photo and not default_storage.exists(second)


def test_only_the_student_changes_their_photo_and_cv(profile):
    other = StudentFactory()
    with pytest.raises(Refused):
        services.set_photo(profile, by=other, upload=upload("me.png", image_bytes()))
    with pytest.raises(Refused):
        services.set_cv(profile, by=other, upload=upload("cv.pdf", pdf_bytes()))
    with pytest.raises(Refused):
        services.remove_cv(profile, by=other)


@VISIBILITY
def test_the_photo_is_seen_where_the_profile_is(client_for, profile, kind, discoverable, status):
    profile.institution = InstitutionFactory()
    profile.discoverable = discoverable
    profile.save()
    with_photo(profile)
    response = client_for(viewer(kind, profile)).get(f"/students/{profile.pk}/photo/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "private, no-cache"
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "WEBP"


def test_no_photo_is_404_and_anonymous_must_log_in(client, client_for, profile):
    assert client_for(profile.user).get(f"/students/{profile.pk}/photo/").status_code == 404
    with_photo(profile)
    assert client.get(f"/students/{profile.pk}/photo/").status_code == 302


def test_profile_page_shows_the_photo(client_for, profile):
    with_photo(profile)
    content = client_for(profile.user).get("/profile/").content.decode()
    assert f'src="/students/{profile.pk}/photo/?v={profile.photo_version}"' in content


# --- the CV ------------------------------------------------------------------------------


def test_a_pdf_cv_is_stored_with_its_name(profile):
    with_cv(profile, name="../../Ada Lovelace CV.PDF")
    profile.refresh_from_db()
    assert profile.cv.name.startswith("cvs/") and profile.cv.name.endswith(".pdf")
    assert profile.cv_name == "Ada Lovelace CV.pdf"
    assert profile.cv_size == len(pdf_bytes())
    assert profile.cv_uploaded_at is not None


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("cv.pdf", HTML, "cv_not_pdf"),
        ("cv.pdf", EXE, "cv_not_pdf"),
        ("cv.pdf", image_bytes(), "cv_not_pdf"),
        ("cv.pdf", b"%PDF-1.7\n this is not really a PDF at all", "cv_broken"),
        ("cv.pdf", pdf_bytes()[:200], "cv_broken"),
        ("cv.pdf", pdf_bytes(password="secret"), "cv_encrypted"),
        ("cv.pdf", b"", "cv_empty"),
    ],
    ids=["html", "exe", "png", "fake-header", "truncated", "encrypted", "empty"],
)
def test_what_is_not_a_readable_pdf_is_refused(profile, name, data, code):
    with pytest.raises(cv.CvRefused) as caught:
        services.set_cv(profile, by=profile.user, upload=upload(name, data, "application/pdf"))
    assert caught.value.code == code
    assert caught.value.fields == {"cv": [caught.value.message]}
    profile.refresh_from_db()
    assert not profile.cv


def test_a_pdf_named_docx_is_still_a_pdf(profile):
    with_cv(profile, name="cv.docx")
    assert profile.cv_name == "cv.pdf"


def test_more_than_5_mb_is_refused(profile):
    big = upload("cv.pdf", b"%PDF-1.7\n" + b"0" * cv.MAX_BYTES)
    with pytest.raises(cv.CvRefused) as caught:
        services.set_cv(profile, by=profile.user, upload=big)
    assert caught.value.code == "cv_too_large"


@pytest.fixture
def applied(profile):
    """The student applied to a project of this organization."""
    application = ApplicationFactory(student=profile.user)
    return application


def cv_viewers(kind, profile, applied):
    organization = applied.project.organization
    if kind == "owner of the organization applied to":
        return MembershipFactory(organization=organization).user
    if kind == "mentor of the organization applied to":
        return applied.project.mentor
    if kind == "member of another organization":
        ProjectFactory()  # an organization with projects, but none applied to
        return MembershipFactory().user
    if kind == "superuser":
        return UserFactory(account_type=User.AccountType.ADMIN, is_staff=True, is_superuser=True)
    if kind == "career-center staff of the student's institution":
        profile.institution = InstitutionFactory()
        profile.save()
        return InstitutionStaffFactory(institution=profile.institution).user
    if kind == "another student":
        return StudentFactory()
    return profile.user


CV_VISIBILITY = pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("the student", 200),
        ("owner of the organization applied to", 200),
        ("mentor of the organization applied to", 200),
        ("member of another organization", 404),
        ("superuser", 404),
        ("career-center staff of the student's institution", 404),
        ("another student", 404),
    ],
)


@CV_VISIBILITY
def test_cv_goes_only_to_organizations_applied_to(client_for, profile, applied, kind, status):
    # Even discoverable: organizations browsing students see the profile, never the CV.
    profile.discoverable = True
    profile.save()
    with_cv(profile)
    user = cv_viewers(kind, profile, applied)
    response = client_for(user).get(f"/students/{profile.pk}/cv/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert 'attachment; filename="My CV.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == pdf_bytes()


def test_cv_rule_for_anonymous(profile, applied):
    assert not AnonymousUser().has_perm("profiles.view_cv", profile)


def test_the_application_page_links_the_cv_for_the_organization(client_for, profile, applied):
    mentor = applied.project.mentor
    page = f"/applications/{applied.pk}/"
    assert b"cv-link" not in client_for(mentor).get(page).content
    with_cv(profile)
    content = client_for(mentor).get(page).content.decode()
    assert f'href="/students/{profile.pk}/cv/"' in content
    applicants = client_for(mentor).get(f"/projects/{applied.project.pk}/applicants/")
    assert f'href="/students/{profile.pk}/cv/"' in applicants.content.decode()


def test_profile_page_offers_the_cv_only_to_who_may_read_it(client_for, profile, applied):
    profile.discoverable = True
    profile.save()
    with_cv(profile)
    link = f'href="/students/{profile.pk}/cv/"'.encode()
    assert link in client_for(applied.project.mentor).get(f"/students/{profile.pk}/").content
    browsing = client_for(MembershipFactory().user).get(f"/students/{profile.pk}/")
    assert browsing.status_code == 200 and link not in browsing.content


# --- the page ----------------------------------------------------------------------------


def test_student_uploads_and_removes_photo_and_cv_on_the_page(client_for, profile):
    client = client_for(profile.user)
    assert client.get("/profile/photo-and-cv/").status_code == 200
    response = client.post("/profile/photo/", {"photo": upload("me.png", image_bytes())})
    assert response.status_code == 302 and response["Location"] == "/profile/photo-and-cv/"
    response = client.post("/profile/cv/", {"cv": upload("cv.pdf", pdf_bytes())}, follow=True)
    assert b"Your CV is saved." in response.content
    profile.refresh_from_db()
    assert profile.photo and profile.cv
    client.post("/profile/photo/remove/")
    client.post("/profile/cv/remove/")
    profile.refresh_from_db()
    assert not profile.photo and not profile.cv


def test_a_refused_file_is_explained_on_the_page(client_for, profile):
    client = client_for(profile.user)
    response = client.post("/profile/cv/", {"cv": upload("cv.pdf", HTML, "application/pdf")})
    assert response.status_code == 200
    assert "This file is not a PDF." in response.content.decode()
    response = client.post("/profile/photo/", {"photo": upload("me.png", b"text")})
    assert "This file is not a picture we can use." in response.content.decode()
    profile.refresh_from_db()
    assert not profile.photo and not profile.cv


def test_non_students_have_no_photo_page(client_for, owner):
    assert client_for(owner).get("/profile/photo-and-cv/").status_code == 302
    response = client_for(owner).post("/profile/cv/", {"cv": upload("cv.pdf", pdf_bytes())})
    assert response.status_code == 302


# --- the API -----------------------------------------------------------------------------


def test_api_upload_and_delete(api_client_for, profile):
    api = api_client_for(profile.user)
    response = api.post("/api/v1/me/profile/photo", {"file": upload("me.png", image_bytes())})
    assert response.status_code == 200, response.content
    profile.refresh_from_db()
    assert response.json()["photo_url"] == (
        f"/api/v1/students/{profile.pk}/profile/photo?v={profile.photo_version}"
    )
    assert api.get(response.json()["photo_url"]).status_code == 200

    response = api.post("/api/v1/me/profile/cv", {"file": upload("cv.pdf", pdf_bytes())})
    assert response.status_code == 200
    assert response.json()["cv"]["name"] == "cv.pdf"
    assert api.get(response.json()["cv"]["url"]).status_code == 200

    assert api.delete("/api/v1/me/profile/photo").status_code == 204
    assert api.delete("/api/v1/me/profile/cv").status_code == 204
    body = api.get("/api/v1/me/profile").json()
    assert body["photo_url"] is None and body["cv"] is None


def test_api_refusals_are_422_in_the_error_shape(api_client_for, profile):
    api = api_client_for(profile.user)
    response = api.post("/api/v1/me/profile/cv", {"file": upload("cv.pdf", HTML)})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "cv_not_pdf" and body["fields"] == {"cv": [body["message"]]}
    response = api.post("/api/v1/me/profile/photo", {"file": upload("me.png", b"text")})
    assert response.status_code == 422 and response.json()["code"] == "image_type_not_allowed"
    response = api.post("/api/v1/me/profile/photo", {})
    assert response.status_code == 422 and set(response.json()) == {"code", "message", "fields"}


def test_api_cv_only_for_organizations_applied_to(api_client_for, profile, applied):
    with_cv(profile)
    url = f"/api/v1/students/{profile.pk}/profile/cv"
    assert api_client_for(applied.project.mentor).get(url).status_code == 200
    response = api_client_for(MembershipFactory().user).get(url)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    profile_url = f"/api/v1/students/{profile.pk}/profile"
    assert api_client_for(applied.project.mentor).get(profile_url).json()["cv"]["url"] == url
    admin = UserFactory(account_type=User.AccountType.ADMIN, is_staff=True, is_superuser=True)
    body = api_client_for(admin).get(profile_url).json()
    assert body["cv"] is None
    assert api_client_for(admin).get(url).status_code == 404


def test_api_non_students_cannot_upload(api_client_for, owner):
    response = api_client_for(owner).post(
        "/api/v1/me/profile/cv", {"file": upload("cv.pdf", pdf_bytes())}
    )
    assert response.status_code == 403


# --- deletion and export -----------------------------------------------------------------


def test_deleting_the_account_removes_photo_and_cv(profile, django_capture_on_commit_callbacks):
    with_photo(profile)
    with_cv(profile)
    names = [profile.photo.name, profile.cv.name]
    with django_capture_on_commit_callbacks(execute=True):
        account_services.delete_account(profile.user, password=PASSWORD)
    profile.refresh_from_db()
    assert not profile.photo and not profile.cv and profile.cv_name == ""
    assert not any(default_storage.exists(name) for name in names)


def test_the_data_export_holds_photo_and_cv(profile):
    with_photo(profile)
    with_cv(profile, name="Ada CV.pdf")
    archive = zipfile.ZipFile(io.BytesIO(archive_of(profile.user)))
    assert archive.read("profile/Ada CV.pdf") == pdf_bytes()
    assert Image.open(io.BytesIO(archive.read("profile/photo.webp"))).format == "WEBP"


def test_the_migration_labels_existing_links_and_back(profile):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("practicum.profiles.migrations.0002_photo_cv_and_labelled_links")
    StudentProfile.objects.filter(pk=profile.pk).update(
        portfolio_links=["https://a.example", {"label": "B", "url": "https://b.example"}]
    )
    migration.label_the_links(apps, None)
    profile.refresh_from_db()
    assert profile.portfolio_links == [
        {"label": "", "url": "https://a.example"},
        {"label": "B", "url": "https://b.example"},
    ]
    migration.unlabel_the_links(apps, None)
    profile.refresh_from_db()
    assert profile.portfolio_links == ["https://a.example", "https://b.example"]
