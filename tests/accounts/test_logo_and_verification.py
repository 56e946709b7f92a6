"""An organization's logo (public, redrawn) and the Verified badge: what it means, how to ask."""

import io

import pytest
from django.contrib.admin.sites import site
from django.core.files.storage import default_storage
from django.test import RequestFactory
from PIL import Image

from practicum.accounts import services
from practicum.accounts.models import Membership, Organization
from practicum.core.errors import Conflict, Refused
from practicum.core.images import ImageRefused
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.samples import HTML, image_bytes, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

VERIFIED_PAGE = "/about/verified-organizations/"


@pytest.fixture
def organization(owner):
    return owner.memberships.get().organization


def with_logo(organization, owner, data=None) -> Organization:
    return services.set_logo(
        organization, by=owner, upload=upload("logo.png", data or image_bytes(size=(800, 200)))
    )


def test_logo_is_stored_redrawn_whole_without_exif(organization, owner):
    with_logo(organization, owner, jpeg_with_gps(size=(1024, 256)))
    organization.refresh_from_db()
    assert organization.logo.name.startswith("logos/")
    with default_storage.open(organization.logo.name, "rb") as handle:
        picture = Image.open(io.BytesIO(handle.read()))
    assert (picture.format, picture.size) == ("WEBP", (512, 128))
    assert dict(picture.getexif()) == {}


def test_only_owners_change_the_logo(organization):
    mentor = MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user
    with pytest.raises(Refused):
        services.set_logo(organization, by=mentor, upload=upload("l.png", image_bytes()))
    with pytest.raises(Refused):
        services.remove_logo(organization, by=mentor)


def test_a_file_that_is_not_a_picture_is_refused(organization, owner):
    with pytest.raises(ImageRefused) as caught:
        services.set_logo(organization, by=owner, upload=upload("logo.png", HTML))
    assert caught.value.fields == {"logo": [caught.value.message]}
    organization.refresh_from_db()
    assert not organization.logo


def test_logo_is_public_and_shown_on_organization_and_project_pages(client, organization, owner):
    with_logo(organization, owner)
    response = client.get(organization.logo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=86400"
    src = f'src="{organization.logo_url}"'
    assert src in client.get(organization.get_absolute_url()).content.decode()
    project = ProjectFactory(organization=organization)
    assert src in client.get(project.get_absolute_url()).content.decode()


def test_no_logo_is_404(client, organization):
    assert client.get(f"/organizations/{organization.slug}/logo/").status_code == 404


def test_owner_uploads_replaces_and_removes_the_logo_on_the_page(
    client_for, organization, owner, django_capture_on_commit_callbacks
):
    client = client_for(owner)
    url = f"/organizations/{organization.slug}/logo/upload/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"logo": upload("logo.png", image_bytes())})
    assert response.status_code == 302
    organization.refresh_from_db()
    first = organization.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"logo": upload("logo.webp", image_bytes(fmt="WEBP"))})
    organization.refresh_from_db()
    assert organization.logo.name != first and not default_storage.exists(first)
    response = client.post(url, {"logo": upload("logo.png", b"plain text")})
    assert response.status_code == 200
    assert "This file is not a picture we can use." in response.content.decode()
    client.post(f"/organizations/{organization.slug}/logo/remove/")
    organization.refresh_from_db()
    assert not organization.logo


def test_mentors_and_outsiders_cannot_upload_on_the_page(client_for, organization):
    mentor = MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user
    url = f"/organizations/{organization.slug}/logo/upload/"
    assert client_for(mentor).post(url, {"logo": upload("l.png", image_bytes())}).status_code == 403
    outsider = MembershipFactory().user
    remove = f"/organizations/{organization.slug}/logo/remove/"
    assert client_for(outsider).post(remove).status_code == 403


def test_api_logo_upload_and_delete(api_client_for, organization, owner):
    api = api_client_for(owner)
    url = f"/api/v1/organizations/{organization.slug}/logo"
    response = api.post(url, {"file": upload("logo.png", image_bytes())})
    assert response.status_code == 200
    organization.refresh_from_db()
    assert response.json()["logo_url"] == organization.logo_url
    response = api.post(url, {"file": upload("logo.png", b"text")})
    assert response.status_code == 422
    assert response.json()["code"] == "image_type_not_allowed"
    assert api.delete(url).status_code == 204
    assert api.get(f"/api/v1/organizations/{organization.slug}").json()["logo_url"] is None


def test_api_logo_refused_to_non_owners(api_client_for, organization):
    mentor = MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user
    url = f"/api/v1/organizations/{organization.slug}/logo"
    response = api_client_for(mentor).post(url, {"file": upload("logo.png", image_bytes())})
    assert response.status_code == 403 and response.json()["code"] == "not_owner"
    assert api_client_for(mentor).delete(url).status_code == 403


# --- what "Verified" means ---------------------------------------------------------------


def test_the_verified_page_explains_the_badge(client):
    response = client.get(VERIFIED_PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    for heading in ("What we check", "Who checks", "What it does not tell you",
                    "How an organization gets it"):  # fmt: skip
        assert f">{heading}</h2>" in content


def test_the_badge_links_to_the_page_wherever_it_shows(client, organization):
    organization.is_verified = True
    organization.save()
    project = ProjectFactory(organization=organization)
    link = f'<a class="badge verified" href="{VERIFIED_PAGE}"'
    for page in (organization.get_absolute_url(), project.get_absolute_url(), "/projects/"):
        assert link in client.get(page).content.decode(), page


def test_unverified_organizations_show_no_badge(client, organization):
    page = client.get(organization.get_absolute_url()).content.decode()
    assert 'class="badge verified"' not in page


def test_owner_asks_to_be_verified_once(client_for, organization, owner):
    client = client_for(owner)
    page = client.get(organization.get_absolute_url()).content.decode()
    assert "Ask to be verified" in page
    response = client.post(f"/organizations/{organization.slug}/verification/", follow=True)
    assert b"Your request is sent." in response.content
    organization.refresh_from_db()
    asked = organization.verification_requested_at
    assert asked is not None
    services.request_verification(organization, by=owner)
    organization.refresh_from_db()
    assert organization.verification_requested_at == asked
    assert "Ask to be verified" not in client.get(organization.get_absolute_url()).content.decode()


def test_only_owners_ask_and_never_when_verified(client_for, organization, owner):
    mentor = MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user
    with pytest.raises(Refused):
        services.request_verification(organization, by=mentor)
    url = f"/organizations/{organization.slug}/verification/"
    assert client_for(mentor).post(url).status_code == 403
    assert (
        "Ask to be verified"
        not in client_for(mentor).get(organization.get_absolute_url()).content.decode()
    )
    organization.is_verified = True
    organization.save()
    with pytest.raises(Conflict):
        services.request_verification(organization, by=owner)


def test_api_verification_request(api_client_for, organization, owner):
    url = f"/api/v1/organizations/{organization.slug}/verification-request"
    response = api_client_for(owner).post(url)
    assert response.status_code == 200
    assert response.json()["verification_requested_at"] is not None
    mentor = MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user
    assert api_client_for(mentor).post(url).status_code == 403


def test_an_admin_decision_answers_the_request(organization, owner):
    services.request_verification(organization, by=owner)
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = site._registry[Organization]
    organization.refresh_from_db()

    class EditedName:  # what the admin's form reports: the badge untouched
        changed_data = ["name"]

    model_admin.save_model(request, organization, EditedName(), change=True)
    organization.refresh_from_db()
    assert organization.verification_requested_at is not None

    class Verified:
        changed_data = ["is_verified"]

    organization.is_verified = True
    model_admin.save_model(request, organization, Verified(), change=True)
    organization.refresh_from_db()
    assert organization.is_verified and organization.verification_requested_at is None
