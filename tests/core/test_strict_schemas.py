"""Strict request schemas: unknown fields are refused, and booleans, numbers and strings are
not taken for one another."""

import json

import pytest

from practicum.profiles.models import StudentProfile

ME = "/api/v1/me/profile"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"headlin": "typo"}, "headlin"),
        ({"weekly_hours": True}, "weekly_hours"),
        ({"discoverable": 1}, "discoverable"),
        ({"headline": 12}, "headline"),
        ({"interests": [1, 2]}, "interests.0"),
        ({"skills": [{"skill": 1, "level": 2, "extra": 1}]}, "skills.0.extra"),
        ({"availability": [{"starts_on": "2030-01-01", "ends_on": "9999-01-01"}]}, "availability"),
    ],
)
def test_refused_with_a_field_error_and_nothing_written(client_for, student, body, field):
    before = StudentProfile.objects.filter(user=student).values().get()
    response = client_for(student).patch(ME, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    fields = response.json()["fields"]
    assert any(key.startswith(field) for key in fields), fields
    assert StudentProfile.objects.filter(user=student).values().get() == before
