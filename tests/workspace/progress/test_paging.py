"""Progress updates come in pages, on the page and in the API, newest first, with the hours
summed over all of them."""

import pytest

from tests.workspace.progress.conftest import report
from tests.workspace.progress.test_api import url as api_url
from tests.workspace.progress.test_pages import list_url, update_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def updates(engagement, student):
    """25 updates of 1 hour; newest first they are the reverse of this list."""
    return [report(engagement, student, hours="1", done=f"Step {n}") for n in range(25)]


def test_the_page_shows_twenty_then_the_rest(client_for, mentor, engagement, updates):
    client = client_for(mentor)
    first = client.get(list_url(engagement)).content.decode()
    assert update_ids(first) == [u.pk for u in reversed(updates)][:20]
    assert "Page 1 of 2" in first and "?page=2" in first
    assert "25" in first  # the hours reported: all updates, not one page
    second = client.get(list_url(engagement), {"page": 2}).content.decode()
    assert update_ids(second) == [u.pk for u in reversed(updates)][20:]


def test_the_api_pages_with_the_one_pagination_style(api_client_for, mentor, engagement, updates):
    api = api_client_for(mentor)
    body = api.get(api_url(engagement), {"page": 2, "page_size": 10}).json()
    assert body["count"] == 25 and body["reported_hours"] == "25"
    assert [u["id"] for u in body["updates"]] == [u.pk for u in reversed(updates)][10:20]
    assert api.get(api_url(engagement), {"page": 9}).json()["updates"] == []
    assert api.get(api_url(engagement), {"page": 0}).status_code == 422
    assert api.get(api_url(engagement), {"page_size": 101}).status_code == 422


@pytest.mark.parametrize("count", [3, 60])
def test_the_api_query_budget(
    api_client_for, mentor, engagement, student, count, django_assert_max_num_queries
):
    for n in range(count):
        report(engagement, student, hours="1", done=f"Step {n}")
    api = api_client_for(mentor)
    with django_assert_max_num_queries(12):
        assert api.get(api_url(engagement)).status_code == 200
