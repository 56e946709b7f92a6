"""Time zones by IANA name: the known names (cached), one validator, the day it is in a zone,
and the picker: zones grouped by region, with a hint for the browser's zone.

A zone's value is its IANA name; the picker's label drops the region its group already shows
("America/Argentina/Buenos_Aires" reads "Argentina / Buenos Aires" under "America").
"""

import datetime
import functools
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError


@functools.cache
def known_timezones() -> frozenset[str]:
    # available_timezones() walks the tz database on every call (about 10 ms).
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value and value not in known_timezones():
        raise ValidationError("Unknown time zone “%(tz)s”.", params={"tz": value})


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The zone of that IANA name; UTC for a name the tz database does not know."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def today_in(zone: datetime.tzinfo, now: datetime.datetime | None = None) -> datetime.date:
    """The calendar day it is in `zone` at `now` (by default, now)."""
    from django.utils import timezone

    return timezone.localtime(now or timezone.now(), zone).date()


REGIONS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
)  # fmt: skip


@functools.cache
def timezone_choices() -> list:
    groups: dict[str, list] = {region: [] for region in REGIONS}
    other = []
    for name in sorted(known_timezones()):
        region, _, place = name.partition("/")
        if region in groups and place:
            groups[region].append((name, place.replace("_", " ").replace("/", " / ")))
        elif name != "UTC":
            other.append((name, name.replace("_", " ")))
    return [("UTC", "UTC")] + [(r, zones) for r, zones in groups.items()] + [("Other", other)]


class TimezoneSelect(forms.Select):
    """Marks the select so js/timezone.js can propose the browser's zone while the value is
    still the default (UTC); the person sees it chosen and saves it, or picks another."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-browser-timezone": "UTC", **(attrs or {})}, choices)


class TimezoneField(forms.ChoiceField):
    widget = TimezoneSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        super().__init__(choices=timezone_choices, **kwargs)
