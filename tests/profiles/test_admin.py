import pytest

from tests.factories import AvailabilityWindowFactory, StudentSkillFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True, account_type="admin"))


def test_profile_admin_lists_searches_and_filters(admin_client, student, profile):
    url = "/admin/profiles/studentprofile/"
    assert admin_client.get(url).status_code == 200
    found = admin_client.get(url, {"q": student.email})
    assert student.name in found.content.decode()
    assert admin_client.get(url, {"discoverable__exact": "1"}).status_code == 200
    assert admin_client.get(url, {"open_to_future_roles__exact": "0"}).status_code == 200


def test_profile_admin_shows_skills_and_windows_inline(admin_client, profile):
    held = StudentSkillFactory(profile=profile)
    AvailabilityWindowFactory(profile=profile)
    response = admin_client.get(f"/admin/profiles/studentprofile/{profile.pk}/change/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "skills-0-level" in content
    assert "availability-0-starts_on" in content
    assert held.skill.name in content


@pytest.mark.parametrize("model", ["studentskill", "availabilitywindow"])
def test_row_admins_list(admin_client, profile, model):
    StudentSkillFactory(profile=profile)
    AvailabilityWindowFactory(profile=profile)
    assert admin_client.get(f"/admin/profiles/{model}/").status_code == 200
