"""Who may do what: the rules every page, API handler and template asks."""

import pytest
from django.contrib.auth.models import AnonymousUser

from practicum.engagements import services
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PEOPLE = ["student", "other_student", "owner", "mentor", "other_mentor", "outsider", "anonymous"]


@pytest.fixture
def people(request, db):
    found = {name: request.getfixturevalue(name) for name in PEOPLE if name != "anonymous"}
    return found | {"anonymous": AnonymousUser()}


def allowed(people, perm, obj) -> set[str]:
    return {name for name, user in people.items() if user.has_perm(perm, obj)}


def test_applying(people, project):
    assert allowed(people, "engagements.apply", project) == {"student", "other_student"}


def test_seeing_a_projects_applicants(people, project):
    assert allowed(people, "engagements.list_applicants", project) == {
        "owner",
        "mentor",
        "other_mentor",
    }


def test_an_application(people, application):
    assert allowed(people, "engagements.view_application", application) == {
        "student",
        "owner",
        "mentor",
        "other_mentor",
    }
    assert allowed(people, "engagements.answer_application", application) == {"student"}
    assert allowed(people, "engagements.select_application", application) == {
        "owner",
        "mentor",
        "other_mentor",
    }


def test_an_engagement(people, offered, student):
    engagement = services.accept_offer(offered, by=student)

    assert allowed(people, "engagements.view_engagement", engagement) == {
        "student",
        "owner",
        "mentor",
    }


def test_membership_of_one_organization_says_nothing_about_another(people, owner):
    other = ProjectFactory()

    assert not owner.has_perm("engagements.list_applicants", other)
