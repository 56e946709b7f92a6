"""Engagement histories as index.py reads them, loaded from the event log and the agreements:
three queries whatever their number (engagements with their project, agreement versions,
events)."""

import datetime
from collections import defaultdict

from django.db.models import Q

from practicum.engagements.models import AgreementVersion, Engagement, EngagementEvent
from practicum.engagements.selectors import shown_version
from practicum.reciprocity import index as idx


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _hours(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _deliverables(terms: dict) -> tuple[idx.DeliverableTerm, ...]:
    items = terms.get("deliverables") or []
    return tuple(
        idx.DeliverableTerm(str(d.get("key")), _date(d.get("due_on")))
        for d in items
        if isinstance(d, dict) and d.get("key")
    )


def histories(engagements: Q) -> list[idx.EngagementHistory]:
    """The history of every engagement matching `engagements` (a Q on Engagement): the terms in
    force (or the draft, for one never signed) and the events the index reads. Three queries."""
    rows = list(
        Engagement.objects.filter(engagements)
        .select_related("project")
        .only("pk", "state", "project__timezone")
        .order_by("pk")
    )
    matching = Engagement.objects.filter(engagements).values("pk")
    versions: dict[int, list[AgreementVersion]] = defaultdict(list)
    for version in (
        AgreementVersion.objects.filter(engagement__in=matching)
        .only("engagement_id", "number", "status", "terms")
        .order_by("engagement_id", "number")
    ):
        versions[version.engagement_id].append(version)
    events: dict[int, list[idx.Event]] = defaultdict(list)
    for engagement_id, kind, at, details in (
        EngagementEvent.objects.filter(engagement__in=matching, kind__in=idx.KINDS)
        .order_by("at", "pk")
        .values_list("engagement_id", "kind", "at", "details")
    ):
        details = details if isinstance(details, dict) else {}
        events[engagement_id].append(idx.Event(kind, at, details.get("side"), details))
    result = []
    for engagement in rows:
        version = shown_version(versions[engagement.pk])
        terms = version.terms if version is not None and isinstance(version.terms, dict) else {}
        result.append(
            idx.EngagementHistory(
                engagement_id=engagement.pk,
                state=engagement.state,
                starts_on=_date(terms.get("starts_on")),
                ends_on=_date(terms.get("ends_on")),
                org_response_hours=_hours(terms.get("response_time_hours")),
                student_response_hours=_hours(terms.get("student_response_time_hours")),
                events=tuple(events[engagement.pk]),
                deliverables=_deliverables(terms),
                timezone=engagement.project.timezone,
            )
        )
    return result
