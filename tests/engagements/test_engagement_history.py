"""The engagement page's history: the newest 20 events, then "Load more" (HTMX fragment, or a
plain link that opens the page further back), paged by a (time, id) cursor in a fixed number
of queries whatever the number of events."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practicum.engagements import selectors, services
from practicum.engagements.models import EngagementEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(offered, student):
    return services.accept_offer(offered, by=student)


def add_events(engagement, count: int, *, same_time=False):
    """`count` events a minute apart after everything so far (or all at one moment), their
    reasons numbered."""
    now = timezone.now()
    EngagementEvent.objects.bulk_create(
        EngagementEvent(
            engagement=engagement,
            kind="mentor_changed",
            at=now if same_time else now + datetime.timedelta(minutes=n + 1),
            details={"reason": f"note {n}"},
        )
        for n in range(count)
    )


def notes(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"— note (\d+)</li>", html)]


def more_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*\?before=[^"#]*)#history"', html)


def test_the_page_shows_the_newest_twenty_and_loads_more(client_for, student, engagement):
    add_events(engagement, 45)
    client = client_for(student)
    page = client.get(reverse("engagements:detail", args=[engagement.pk])).content.decode()
    assert notes(page) == list(range(44, 24, -1))  # newest first
    [plain] = more_links(page)
    cursor = plain.split("before=")[1]
    assert f'hx-get="{reverse("engagements:events", args=[engagement.pk])}?before={cursor}"' in page

    # HTMX: the next items and the next "Load more", nothing else.
    fragment = client.get(
        reverse("engagements:events", args=[engagement.pk]),
        {"before": cursor},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert notes(fragment) == list(range(24, 4, -1))
    assert "<html" not in fragment and len(more_links(fragment)) == 1

    # Without JavaScript: the page from there on, with a way back.
    older = client.get(plain).content.decode()
    assert notes(older) == list(range(24, 4, -1))
    assert "Back to the newest" in older
    last = client.get(more_links(older)[0]).content.decode()
    assert notes(last) == list(range(4, -1, -1))  # and the events of the acceptance after them
    assert more_links(last) == []


def test_events_at_the_same_moment_are_neither_skipped_nor_repeated(engagement):
    EngagementEvent.objects.filter(engagement=engagement).delete()
    add_events(engagement, 50, same_time=True)
    seen, cursor = [], ""
    for _ in range(5):  # 50 events: three pages, then the loop must have stopped
        page = selectors.latest_events(engagement, before=cursor)
        seen += [event.pk for event in page.events]
        cursor = page.next_cursor
        if not cursor:
            break
    assert not cursor
    assert sorted(seen, reverse=True) == seen and len(set(seen)) == 50


@pytest.mark.parametrize("cursor", ["junk", "1-", "-5", "9" * 40 + "-1", "12.5-3"])
def test_an_unreadable_cursor_starts_from_the_newest(engagement, cursor):
    add_events(engagement, 25)
    assert [e.pk for e in selectors.latest_events(engagement, before=cursor).events] == [
        e.pk for e in selectors.latest_events(engagement).events
    ]


@pytest.mark.parametrize("who", ["outsider", "other_student"])
def test_strangers_get_404(request, client_for, engagement, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("engagements:events", args=[engagement.pk])).status_code == 404


@pytest.mark.parametrize("who", ["student", "mentor"])
def test_parties_load_more(request, client_for, engagement, who):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("engagements:events", args=[engagement.pk])
    )
    assert response.status_code == 200


def test_the_same_queries_for_20_or_2000_events(client_for, student, engagement):
    client = client_for(student)
    page_url = reverse("engagements:detail", args=[engagement.pk])
    fragment_url = reverse("engagements:events", args=[engagement.pk])
    counts = []
    for total in (20, 2000):
        EngagementEvent.objects.filter(engagement=engagement).delete()
        add_events(engagement, total)
        cursor = selectors.latest_events(engagement).next_cursor or "0-0"
        with CaptureQueriesContext(connection) as page_queries:
            assert client.get(page_url).status_code == 200
        with CaptureQueriesContext(connection) as fragment_queries:
            assert client.get(fragment_url, {"before": cursor}).status_code == 200
        counts.append((len(page_queries), len(fragment_queries)))
    assert counts[0] == counts[1]


def test_the_api_pages_in_the_database(api_client_for, student, engagement):
    add_events(engagement, 300)
    api = api_client_for(student)
    url = f"/api/v1/engagements/{engagement.pk}/events"
    body = api.get(url, {"page": 3, "page_size": 10}).json()
    assert body["count"] == EngagementEvent.objects.filter(engagement=engagement).count()
    assert [item["details"]["reason"] for item in body["items"]] == [
        f"note {n}" for n in range(20 - body["count"] + 300, 30 - body["count"] + 300)
    ]
