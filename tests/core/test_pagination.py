"""One pagination style for the API's lists: page/page_size (max 100), items and a total count;
page 0 or below and oversized pages are 422; a page past the end is empty with the true count."""

import pytest

from practicum.api.urls import api
from tests.factories import SkillCategoryFactory

URL = "/api/v1/skills/categories"


@pytest.fixture
def categories(db):
    return [SkillCategoryFactory() for _ in range(5)]


def test_pages_hold_items_and_the_total_count(client, categories):
    first = client.get(URL, {"page": 1, "page_size": 2}).json()
    third = client.get(URL, {"page": 3, "page_size": 2}).json()
    assert (len(first["items"]), first["count"]) == (2, 5)
    assert (len(third["items"]), third["count"]) == (1, 5)


def test_a_page_past_the_end_is_empty_with_the_true_count(client, categories):
    body = client.get(URL, {"page": 9, "page_size": 2}).json()
    assert body == {"items": [], "count": 5}


@pytest.mark.parametrize(
    "params", [{"page": 0}, {"page": -1}, {"page_size": 0}, {"page_size": 101}, {"page": "x"}]
)
def test_out_of_range_paging_is_422(client, categories, params):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "fields"}


def test_every_list_operation_is_paginated():
    """No operation answers a bare JSON array: each list is a page with a count."""
    schema = api.get_openapi_schema()
    bare = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ok = operation.get("responses", {}).get(200) or operation["responses"].get("200")
            content = (ok or {}).get("content", {}).get("application/json", {})
            if content.get("schema", {}).get("type") == "array":
                bare.append(f"{method.upper()} {path}")
    # Bounded by construction: the fixed set of notification kinds, at most two review rounds
    # and two reviews in each, the agreed deliverables (at most 30); skill search answers its
    # best `limit` (at most 50) matches.
    assert sorted(bare) == sorted(BOUNDED)


BOUNDED = [
    "GET /api/v1/notifications/preferences",
    "PUT /api/v1/notifications/preferences",
    "GET /api/v1/engagements/{engagement_id}/feedback",
    "GET /api/v1/engagements/{engagement_id}/feedback/{round}/reviews",
    "GET /api/v1/engagements/{engagement_id}/deliverables",
    "GET /api/v1/skills",
]
