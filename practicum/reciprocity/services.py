"""Writes of the stored reciprocity index (models.EngagementTally): marking rows changed when an
engagement's history changes, and recomputing rows from their histories (index.py).

Stored and recomputed values agree by construction: a row holds exactly what
index.engagement_tallies returns for its history, and is used only while that result cannot
have changed (no write since, `now` within its span).
"""

from collections.abc import Sequence

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum
from django.utils import timezone

from practicum.engagements.models import Engagement
from practicum.reciprocity import index as idx
from practicum.reciprocity.histories import histories
from practicum.reciprocity.models import EngagementTally, column, current_at

# Rows the periodic pass recomputes at most per pass; the rest wait for the next one (a page
# that needs them recomputes its own).
REFRESH_BATCH = 500
_TALLY_FIELDS = [
    column(side, key, part)
    for side, keys in ((idx.ORGANIZATION, idx.ORGANIZATION_RATES), (idx.STUDENT, idx.STUDENT_RATES))
    for key in keys
    for part in ("kept", "due")
]
_UPDATED = [
    *_TALLY_FIELDS,
    "counts_as_history",
    "org_response_hours",
    "student_response_hours",
    "valid_from",
    "valid_until",
    "computed_changes",
    "computed_at",
]


def mark_changed(engagement_id: int) -> None:
    """An engagement's history changed (an event, its agreement, its state): its row is no
    longer current. One UPDATE, in the writer's transaction."""
    EngagementTally.objects.filter(engagement_id=engagement_id).update(changes=F("changes") + 1)


def start_tally(engagement: Engagement) -> None:
    """A new engagement gets a row to recompute, so writes racing the first computation bump
    a row that exists."""
    EngagementTally.objects.bulk_create(
        [
            EngagementTally(
                engagement_id=engagement.pk,
                organization_id=engagement.project.organization_id,
                student_id=engagement.student_id,
            )
        ],
        ignore_conflicts=True,
    )


def _row(engagement_id, organization_id, student_id, changes, tallies, now) -> EngagementTally:
    row = EngagementTally(
        engagement_id=engagement_id,
        organization_id=organization_id,
        student_id=student_id,
        counts_as_history=tallies.counts_as_history,
        org_response_hours=tallies.org_response_hours,
        student_response_hours=tallies.student_response_hours,
        valid_from=tallies.valid_from,
        valid_until=tallies.valid_until,
        # A new row starts at 1 (the model's default), like one a writer has not bumped yet.
        changes=changes or 1,
        computed_changes=changes or 1,
        computed_at=now,
    )
    for side, pairs in ((idx.ORGANIZATION, tallies.organization), (idx.STUDENT, tallies.student)):
        for key, (kept, due) in pairs.items():
            setattr(row, column(side, key, "kept"), kept)
            setattr(row, column(side, key, "due"), due)
    return row


Stale = tuple[int, int, int, int | None]  # engagement id, organization id, student id, changes


def recompute(stale: Sequence[Stale], now, *, store: bool) -> list[idx.Tallies]:
    """Tallies of the engagements `stale` lists, computed from their histories at `now`;
    stored when `store`. Three queries to load and one to store, whatever their number."""
    if not stale:
        return []
    by_id = {row[0]: row for row in stale}
    tallies = [idx.engagement_tallies(history, now) for history in histories(Q(pk__in=list(by_id)))]
    if store:
        EngagementTally.objects.bulk_create(
            [_row(*by_id[t.engagement_id], t, now) for t in tallies],
            update_conflicts=True,
            unique_fields=["engagement"],
            update_fields=_UPDATED,
        )
    return tallies


def _not_current(engagements, now, limit: int | None = None) -> list[Stale]:
    """(id, organization id, student id, changes) of the engagements whose row is missing or
    not current at `now`."""
    current = EngagementTally.objects.filter(current_at(now), engagement=OuterRef("pk"))
    found = (
        engagements.filter(~Exists(current))
        .order_by()
        .values_list("pk", "project__organization_id", "student_id", "reciprocity_tally__changes")
    )
    return list(found if limit is None else found[:limit])


def _stored_totals(rows, side: str) -> idx.Totals:
    """One side's totals summed over stored rows by the database. One query."""
    keys = idx.ORGANIZATION_RATES if side == idx.ORGANIZATION else idx.STUDENT_RATES
    hours = "org_response_hours" if side == idx.ORGANIZATION else "student_response_hours"
    sums = rows.aggregate(
        history=Count("pk", filter=Q(counts_as_history=True)),
        fewest_hours=Min(hours),
        most_hours=Max(hours),
        **{
            column(side, key, part): Sum(column(side, key, part))
            for key in keys
            for part in ("kept", "due")
        },
    )
    rates = {
        key: (sums[column(side, key, "kept")] or 0, sums[column(side, key, "due")] or 0)
        for key in keys
    }
    # Only whether the promises differ is shown, so the least and the most say enough.
    promises = frozenset(h for h in (sums["fewest_hours"], sums["most_hours"]) if h is not None)
    return idx.Totals(rates, sums["history"], promises)


def current_totals(engagements: Q, rows: Q, side: str, *, now=None) -> idx.Totals:
    """One side's totals over the engagements matching `engagements` (a Q on Engagement; `rows`
    the same on EngagementTally): stored rows current at `now`, the others recomputed from
    their histories (and stored, unless a past or future `now` was asked for). Two queries when
    every row is current, six otherwise, whatever the number of engagements."""
    store = now is None
    now = now or timezone.now()
    stale = _not_current(Engagement.objects.filter(engagements), now)
    stored = _stored_totals(EngagementTally.objects.filter(rows, current_at(now)), side)
    fresh = idx.total(recompute(stale, now, store=store), side)
    return idx.combine(stored, fresh)


def refresh_due(now=None, *, limit: int = REFRESH_BATCH) -> int:
    """The periodic pass: recompute (at most `limit`) rows whose history changed or whose span
    ended, and rows missing for engagements made in bulk. Set-based: four queries to find them,
    load and store."""
    now = now or timezone.now()
    due = list(
        EngagementTally.objects.exclude(current_at(now))
        .order_by()
        .values_list("engagement_id", "organization_id", "student_id", "changes")[:limit]
    )
    if len(due) < limit:
        missing = Engagement.objects.filter(reciprocity_tally__isnull=True)
        due += _not_current(missing, now, limit - len(due))
    recompute(due, now, store=True)
    return len(due)


def recompute_all(*, batch: int = REFRESH_BATCH) -> int:
    """Rebuild every row from its history (after a deploy that changes the index, or after
    loading data in bulk). Returns the number of engagements."""
    now = timezone.now()
    done, last = 0, 0
    while True:
        chunk = list(
            Engagement.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list(
                "pk", "project__organization_id", "student_id", "reciprocity_tally__changes"
            )[:batch]
        )
        if not chunk:
            return done
        recompute(chunk, now, store=True)
        done += len(chunk)
        last = chunk[-1][0]
