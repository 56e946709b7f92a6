"""GET /api/v1/engagements: the signed-in user's engagements (as the student, the mentor or an
owner of the organization), each once, newest first, paginated in the database with the same
queries for 3 engagements as for 30."""

import pytest

from practicum.accounts.models import Membership
from tests.factories import MembershipFactory, ProjectFactory
from tests.reciprocity.conftest import make_engagement

pytestmark = pytest.mark.django_db
URL = "/api/v1/engagements"


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_every_role_once_newest_first(api_client_for, student):
    owner = MembershipFactory(role=Membership.Role.OWNER)
    person = owner.user
    as_student = make_engagement(student=person)
    mentored = make_engagement(project=ProjectFactory(mentor=person))
    # Owner and mentor of the same engagement: listed once.
    owned = make_engagement(project=ProjectFactory(organization=owner.organization, mentor=person))
    make_engagement()  # nobody's business of theirs
    response = api_client_for(person).get(URL)
    assert response.json()["count"] == 3
    assert ids(response) == [owned.pk, mentored.pk, as_student.pk]


def test_pages(api_client_for, student):
    made = [make_engagement(student=student) for _ in range(5)]
    client = api_client_for(student)
    body = client.get(URL, {"page": 2, "page_size": 2}).json()
    assert body["count"] == 5
    assert [item["id"] for item in body["items"]] == [made[2].pk, made[1].pk]


@pytest.mark.parametrize("count", [3, 30])
def test_the_same_queries_for_3_or_30(api_client_for, owner, count, django_assert_max_num_queries):
    organization = owner.memberships.get().organization
    for _ in range(count):
        make_engagement(organization=organization)
    client = api_client_for(owner)
    # token, user, the page of engagements with their joins, the count
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"page_size": 100})
    assert response.json()["count"] == count and len(ids(response)) == count


def test_no_or_across_joins(owner):
    """Three index lookups in a union: an OR over the project join would scan every engagement."""
    from practicum.engagements.selectors import engagements_of

    sql = str(engagements_of(owner).query).upper()
    assert " OR " not in sql and sql.count("UNION") == 2
