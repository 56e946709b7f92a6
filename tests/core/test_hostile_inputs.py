"""Every write endpoint, found from the OpenAPI document (so new ones are covered without
editing this file), meets hostile bodies: NUL, lone surrogates, control characters, 100 kB
strings, year-9999 dates, negative and huge numbers, wrong types, unknown fields. Each is a 4xx
in the one error shape, and nothing is written."""

import json

import pytest
from django.apps import apps

from practicum.api.urls import api

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        # T | None: the T.
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        return resolve(schema)
    return schema


def sample(schema: dict):
    """A plausible value of the schema's type (not necessarily valid for the service)."""
    schema = resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        return {name: sample(prop) for name, prop in schema["properties"].items()}
    return {
        "string": "2030-01-07" if schema.get("format") == "date" else "text",
        "integer": 1,
        "number": 1,
        "boolean": True,
        "array": [],
        "object": {},
    }.get(kind, "text")


def leaves(schema: dict):
    """(name, resolved schema) of each property of a body schema."""
    for name, prop in resolve(schema).get("properties", {}).items():
        yield name, resolve(prop)


def is_text(prop):
    return prop.get("type") == "string" and "format" not in prop and "enum" not in prop


def is_date(prop):
    return prop.get("type") == "string" and prop.get("format") in ("date", "date-time")


def is_number(prop):
    return prop.get("type") in ("integer", "number")


# name → (which properties it applies to, the hostile value)
HOSTILE = {
    "nul": (is_text, "a\x00b"),
    "lone_surrogate": (is_text, "a\ud800b"),
    "control": (is_text, "a\x1b[31mb"),
    "100kB": (is_text, "x" * 100_000),
    "year_9999": (is_date, "9999-12-31"),
    "negative": (is_number, -(2**40)),
    "huge": (is_number, 2**70),
    "wrong_type": (lambda prop: True, [{"nested": True}]),
}


def write_operations():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                yield method, path, content["application/json"]["schema"]


CASES = []
for method, path, body_schema in write_operations():
    base = sample(body_schema)
    base = base if isinstance(base, dict) else {}
    for name, (applies, value) in HOSTILE.items():
        targets = [field for field, prop in leaves(body_schema) if applies(prop)]
        if targets:
            CASES.append(
                pytest.param(
                    method,
                    path,
                    {**base, **dict.fromkeys(targets, value)},
                    id=f"{method} {path} {name}",
                )
            )
    CASES.append(
        pytest.param(method, path, {**base, "unknown_field": 1}, id=f"{method} {path} unknown")
    )


def url_for(path: str, ids: dict) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    # Any other path parameter gets a plausible value of its kind.
    return path.replace("{round}", "final").replace("{key}", "d1").replace("{slug}", ids["slug"])


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def ids(started_engagement, organization):
    engagement = started_engagement
    return {
        "engagement_id": engagement.pk,
        "project_id": engagement.project_id,
        "application_id": engagement.application_id,
        "slug": organization.slug,
        "number": 1,
        "checkin_id": 1,
        "submission_id": 1,
        "update_id": 1,
        "item_id": 1,
        "entry_id": 1,
        "round_id": 1,
        "invitation_id": 1,
        "notification_id": 1,
        "credential_id": "00000000-0000-0000-0000-000000000000",
    }


def test_there_are_write_endpoints_to_check():
    assert len({(c.values[0], c.values[1]) for c in CASES}) >= 30


@pytest.mark.parametrize(("method", "path", "body"), CASES)
def test_hostile_bodies_are_refused_in_the_error_shape(
    api_client_for, owner, ids, method, path, body
):
    client = api_client_for(owner)
    before = row_counts()
    response = getattr(client, method)(
        url_for(path, ids), data=json.dumps(body), content_type="application/json"
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert set(response.json()) == {"code", "message", "fields"}
    assert row_counts() == before
