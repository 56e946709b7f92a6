import pytest
from django.urls import reverse

from practicum.accounts.models import User
from tests.factories import ProjectSkillFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    admin = UserFactory(account_type=User.AccountType.ADMIN, is_staff=True, is_superuser=True)
    return client_for(admin)


@pytest.mark.parametrize("model", ["project", "deliverable", "projectskill"])
def test_lists_search_and_filter(admin_client, model):
    ProjectSkillFactory()
    url = reverse(f"admin:projects_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "survey"}).status_code == 200


def test_the_project_page_has_the_deliverables_and_skills_inline(admin_client):
    wanted = ProjectSkillFactory()
    response = admin_client.get(reverse("admin:projects_project_change", args=[wanted.project_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Findings report" in html
    assert "deliverables-TOTAL_FORMS" in html
    assert "skills-TOTAL_FORMS" in html


def test_filters_by_status_and_work_mode(admin_client):
    ProjectSkillFactory()
    url = reverse("admin:projects_project_changelist")
    assert (
        admin_client.get(url, {"status__exact": "open", "work_mode__exact": "remote"}).status_code
        == 200
    )
