"""Bounded values: dates in 2000–2100, engagements at most 26 weeks, numbers with declared
bounds; all refused with 422 and a field error, never clamped."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from practicum.core.cleaning import span_too_long
from practicum.engagements import terms
from practicum.projects.models import Project
from tests.factories import ProjectFactory


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ends_on", "9999-12-31"),
        ("starts_on", "1999-12-31"),
        ("application_deadline", "2101-01-01"),
        ("capacity", 0),
        ("capacity", 10**6),
        ("estimated_hours", -1),
        ("compensation_amount", 2**40),
        ("checkin_weekday", 7),
        ("mentor", 2**70),
        ("capacity", True),
    ],
)
def test_project_patch_refuses_out_of_range(client_for, owner, field, value):
    organization = owner.memberships.get().organization
    project = ProjectFactory(organization=organization)
    before = Project.objects.filter(pk=project.pk).values().get()
    response = send(client_for(owner), "patch", f"/api/v1/projects/{project.pk}", {field: value})
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    assert Project.objects.filter(pk=project.pk).values().get() == before


@pytest.mark.django_db
def test_huge_and_negative_path_ids_are_422_not_500(client_for, student):
    client = client_for(student)
    for engagement_id in (2**80, 0):
        response = client.get(f"/api/v1/engagements/{engagement_id}")
        assert response.status_code == 422, (engagement_id, response.content)
        assert response.json()["code"] == "invalid"


def test_terms_refuse_year_9999_and_more_than_26_weeks():
    base = {"starts_on": "2030-01-07", "ends_on": "2030-02-07"}
    with pytest.raises(ValidationError) as far:
        terms.changed(base, {"ends_on": "9999-12-31"})
    assert "ends_on" in far.value.error_dict
    with pytest.raises(ValidationError) as long:
        terms.changed(base, {"ends_on": "2030-08-01"})
    assert long.value.error_dict["ends_on"][0].code == "too_long"


def test_span_limit_is_26_weeks():
    start = datetime.date(2030, 1, 1)
    assert not span_too_long(start, start + datetime.timedelta(weeks=26))
    assert span_too_long(start, start + datetime.timedelta(weeks=26, days=1))


def test_publishing_refuses_a_project_longer_than_26_weeks(db):
    from practicum.projects.services import current_data, publish_problems

    project = ProjectFactory(
        starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2030, 12, 31)
    )
    problems = publish_problems(
        current_data(project), organization=project.organization, today=datetime.date(2029, 1, 1)
    )
    assert "too_long" in {error.code for error in problems["ends_on"]}
