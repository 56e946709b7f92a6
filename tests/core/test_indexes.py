"""The indexes that keep the biggest tables' common reads from scanning: an engagement's
timeline and a person's notifications."""

import pytest
from django.db import connection

from practicum.engagements.models import EngagementEvent
from practicum.notifications.models import Notification

pytestmark = pytest.mark.django_db


def index_columns(model) -> list[list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [c["columns"] for c in found.values() if c["index"]]


def plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Tiny test tables are cheaper to scan and sort; the question is whether an index
            # gives the rows of one owner already in order, with no sort.
            for method in ("seqscan", "bitmapscan", "sort"):
                cursor.execute(f"SET LOCAL enable_{method} = off")
    return queryset.explain()


@pytest.mark.parametrize(
    ("model", "columns"),
    [
        (EngagementEvent, ["engagement_id", "at"]),
        (Notification, ["recipient_id", "created_at"]),
    ],
)
def test_the_index_exists(model, columns):
    assert columns in index_columns(model)


def test_the_database_reads_a_timeline_and_a_notification_list_through_them(student):
    timeline = EngagementEvent.objects.filter(engagement_id=1).order_by("-at")[:20]
    assert "engagement_event_timeline" in plan(timeline)
    newest = Notification.objects.filter(recipient=student).order_by("-created_at")[:20]
    assert "notification_recipient_newest" in plan(newest)
