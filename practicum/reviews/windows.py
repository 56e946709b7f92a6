"""When each feedback round opens and is due: one pure function over the terms in force.

Dates in the terms are calendar dates of the organization, so a round opens at midnight in the
organization's time zone, and "7 days later" is 7 calendar days there (a daylight-saving change
in between does not move the hour). Results are in UTC.
"""

import datetime
import zoneinfo

from practicum.core.cleaning import as_date
from practicum.core.timezones import zone_named
from practicum.reviews.rubric import FINAL, MIDPOINT

MIDPOINT_OPEN_FOR = datetime.timedelta(days=7)
FINAL_OPEN_FOR = datetime.timedelta(days=14)

Window = tuple[datetime.datetime, datetime.datetime]  # (opens_at, due_at), aware, UTC


def _zone(tz) -> zoneinfo.ZoneInfo:
    return tz if isinstance(tz, zoneinfo.ZoneInfo) else zone_named(tz)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def rounds_for(terms: dict, all_accepted_at: datetime.datetime | None, tz) -> dict[str, Window]:
    """{round: (opens_at, due_at)} for the rounds the terms call for, mid-point first.

    - Mid-point: opens on the half-way date between starts_on and ends_on (rounded down to a
      whole day), due 7 days later. Left out when the final round opens first (all the work
      accepted before half-way): there is nothing "mid" left to review.
    - Final: opens when every deliverable is accepted (`all_accepted_at`) or when the end date
      has passed (midnight after ends_on), whichever comes first; due 14 days later.

    Terms without dates have no mid-point round, and a final round only once all is accepted.
    """
    zone = _zone(tz)
    starts_on, ends_on = as_date(terms.get("starts_on")), as_date(terms.get("ends_on"))

    def midnight(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(), zone)

    final_opens = midnight(ends_on + datetime.timedelta(days=1)) if ends_on else None
    if all_accepted_at is not None and (final_opens is None or all_accepted_at < final_opens):
        final_opens = all_accepted_at.astimezone(zone)

    rounds: dict[str, Window] = {}
    if starts_on and ends_on and ends_on >= starts_on:
        half_way = starts_on + datetime.timedelta(days=(ends_on - starts_on).days // 2)
        opens = midnight(half_way)
        if final_opens is None or opens < final_opens:
            rounds[MIDPOINT] = (_utc(opens), _utc(opens + MIDPOINT_OPEN_FOR))
    if final_opens is not None:
        rounds[FINAL] = (_utc(final_opens), _utc(final_opens + FINAL_OPEN_FOR))
    return rounds
