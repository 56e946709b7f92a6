"""The engagement page's history in a real Chromium: 20 events at first, and "Load more" (HTMX)
adds the next 20 in place, until every event is shown and the control goes away."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practicum.engagements.models import EngagementEvent
from tests.e2e.helpers import log_in
from tests.reciprocity.conftest import make_engagement

pytestmark = pytest.mark.django_db(transaction=True)


def test_load_more_shows_the_history_twenty_at_a_time(new_page):
    # The activation 60 days ago (make_engagement), then 44 reschedules an hour apart, "Clash 1"
    # the newest: 45 events.
    engagement = make_engagement(state="active")
    now = timezone.now()
    EngagementEvent.objects.bulk_create(
        EngagementEvent(
            engagement=engagement,
            kind=EngagementEvent.Kind.CHECKIN_RESCHEDULED,
            actor=engagement.mentor,
            at=now - datetime.timedelta(hours=n),
            details={"side": "organization", "reason": f"Clash {n}"},
        )
        for n in range(1, 45)
    )
    assert engagement.events.count() == 45

    page = new_page()
    log_in(page, engagement.student.email)
    page.goto(f"/engagements/{engagement.pk}/")
    history = page.locator("#history-events")
    items = history.locator("> li:not(.more)")
    more = history.get_by_role("link", name="Load more")

    expect(items).to_have_count(20)
    expect(items.first).to_contain_text("Clash 1")
    expect(items.last).to_contain_text("Clash 20")
    expect(more).to_have_count(1)

    more.click()
    expect(items).to_have_count(40)
    # Fetched in place (the address is unchanged), newest first, after the ones shown.
    assert "before=" not in page.url
    expect(items.nth(20)).to_contain_text("Clash 21")
    expect(items.last).to_contain_text("Clash 40")
    expect(more).to_have_count(1)

    more.click()
    expect(items).to_have_count(45)
    expect(items.nth(43)).to_contain_text("Clash 44")
    expect(items.last).to_contain_text("Engagement active")
    expect(more).to_have_count(0)
    # Each event once.
    texts = items.all_inner_texts()
    assert len(set(texts)) == 45
