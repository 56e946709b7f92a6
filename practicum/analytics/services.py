"""The writes of the analytics app: exporting a career center's outcomes leaves a trace in each
included student's access log, as opening their record does; an organization's reciprocity at
past month ends is stored the first time it is computed."""

import datetime
import time
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from practicum.accounts.models import Organization
from practicum.analytics import outcomes
from practicum.analytics.models import MonthEnd
from practicum.analytics.selectors import OverTime, month_ends, month_label
from practicum.careers.models import AccessLogEntry
from practicum.reciprocity import index as idx
from practicum.reciprocity import selectors as reciprocity

# Organizations given their past month ends by one periodic pass, and the time after which
# it leaves the rest to the next pass (a large organization's months take about 0.8 s).
MONTH_ENDS_PER_PASS = 25
MONTH_ENDS_SECONDS = 2.0


def _figures(index: idx.Index) -> tuple[float | None, float | None]:
    checkins = next((c.percent for c in index.components if c.key == "checkins_held"), None)
    return (None if index.value is None else round(index.value, 1)), checkins


def _store_month_ends(
    organization: Organization, ends: Sequence[datetime.datetime]
) -> dict[datetime.datetime, tuple]:
    """Replay the histories once for these past month ends and store each one's figures. The
    ratings and interviews are today's: they carry no dates in the index's input."""
    histories = reciprocity.organization_histories(organization)
    ratings = reciprocity.organization_ratings(organization)
    interviews = reciprocity.interviews_kept(organization)
    figures = {
        end: _figures(
            idx.organization_index(
                histories,
                ratings,
                end,
                reciprocity.applications_answered(organization, end),
                interviews,
            )
        )
        for end in ends
    }
    # Another request or the periodic job may have stored the same month: theirs stands.
    MonthEnd.objects.bulk_create(
        [
            MonthEnd(organization=organization, at=end, index=index, checkins=checkins)
            for end, (index, checkins) in figures.items()
        ],
        ignore_conflicts=True,
    )
    return figures


def organization_over_time(organization: Organization) -> OverTime:
    """The index and its check-ins component at each of the last month ends: the past ones as
    stored (computed and stored here when missing), the current one the live index the
    reciprocity card shows. Two queries and the live index's when every past month is stored."""
    *past, now = month_ends(timezone.now())
    stored = {
        row.at: (row.index, row.checkins)
        for row in MonthEnd.objects.filter(organization=organization, at__in=past)
    }
    missing = [end for end in past if end not in stored]
    if missing:
        stored.update(_store_month_ends(organization, missing))
    figures = [stored[end] for end in past] + [
        _figures(reciprocity.organization_reciprocity(organization))
    ]
    return OverTime(
        labels=[month_label(end) for end in [*past, now]],
        index=[index for index, _ in figures],
        checkins=[checkins for _, checkins in figures],
    )


def store_last_month_ends(now: datetime.datetime) -> int:
    """The periodic job: give up to MONTH_ENDS_PER_PASS organizations without the last month
    end their past month ends, so the first look at a chart early in a month finds them
    stored. One query when every organization has them."""
    stop_at = time.monotonic() + MONTH_ENDS_SECONDS
    *past, _ = month_ends(now)
    waiting = Organization.objects.exclude(
        pk__in=MonthEnd.objects.filter(at=past[-1]).values("organization_id")
    ).order_by("pk")[:MONTH_ENDS_PER_PASS]
    done = 0
    for organization in waiting:
        have = set(
            MonthEnd.objects.filter(organization=organization, at__in=past).values_list(
                "at", flat=True
            )
        )
        _store_month_ends(organization, [end for end in past if end not in have])
        done += 1
        if time.monotonic() > stop_at:
            break
    return done


def export_outcomes(user, filters: outcomes.Filters) -> list[outcomes.StudentRow]:
    """The export's rows, each student's look logged for them to see. Seven queries."""
    with transaction.atomic():
        rows = outcomes.student_rows(user, filters)
        institution_of = outcomes.institution_of_students(
            user, filters, [r.student_id for r in rows]
        )
        # A consent withdrawn between the two reads takes the student out of the export.
        rows = [row for row in rows if row.student_id in institution_of]
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                staff=user,
                staff_name=user.name,
                student_id=row.student_id,
                institution_id=institution_of[row.student_id],
                what=AccessLogEntry.What.OUTCOMES_EXPORT,
            )
            for row in rows
        )
    return rows
