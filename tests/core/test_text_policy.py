"""The one text policy at the edge: forms and API schemas refuse the same characters."""

import json

import pytest
from django import forms

from practicum.core.forms import LineField, TextField
from practicum.profiles.models import StudentProfile

REFUSED_EVERYWHERE = ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\ufffeb", "a\U0001ffffb"]


class Sample(forms.Form):
    title = LineField(max_length=20)
    body = TextField(max_length=50)


@pytest.mark.parametrize("value", REFUSED_EVERYWHERE)
@pytest.mark.parametrize("field", ["title", "body"])
def test_form_fields_refuse_controls_and_noncharacters(field, value):
    form = Sample(data={"title": "ok", "body": "ok", field: value})
    assert not form.is_valid()
    assert field in form.errors


def test_single_line_refuses_line_breaks_multi_line_keeps_them():
    form = Sample(data={"title": "one\ntwo", "body": "one\n\ttwo\r\nthree"})
    assert not form.is_valid()
    assert list(form.errors) == ["title"]
    assert "single line" in form.errors["title"][0]


def test_lengths_are_bounded_by_default():
    assert LineField().max_length == 300
    assert TextField().max_length == 20_000


ME = "/api/v1/me/profile"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", "a\x00b"),
        ("headline", "a\ud800b"),
        ("headline", "two\nlines"),
        ("about", "bell\x07"),
        ("about", "x\uffff"),
        ("interests", ["ok", "a\x00"]),
    ],
)
def test_api_refuses_with_a_field_error_and_writes_nothing(client_for, student, field, value):
    before = StudentProfile.objects.get(user=student).headline
    # json.dumps escapes a lone surrogate as \ud800, which the JSON parser turns back into one.
    response = client_for(student).patch(
        ME, data=json.dumps({field: value}), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert any(key.startswith(field) for key in body["fields"])
    assert StudentProfile.objects.get(user=student).headline == before


def test_api_multi_line_keeps_line_breaks(client_for, student):
    response = client_for(student).patch(
        ME, data=json.dumps({"about": "one\n\ttwo"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_nul_in_the_search_query_is_a_field_error(client):
    response = client.get("/api/v1/projects", {"q": "a\x00b"})
    assert response.status_code == 422
    assert "q" in response.json()["fields"]


def test_bad_slug_in_the_path_is_a_field_error(client_for, student):
    response = client_for(student).get("/api/v1/organizations/a%00b")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
