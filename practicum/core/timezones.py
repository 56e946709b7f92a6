"""The time-zone picker: zones grouped by region, and a hint for the browser's zone.

A zone's value is its IANA name; its label drops the region the group already shows
("America/Argentina/Buenos_Aires" reads "Argentina / Buenos Aires" under "America").
"""

import functools
import zoneinfo

from django import forms

REGIONS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
)  # fmt: skip


@functools.cache
def timezone_choices() -> list:
    groups: dict[str, list] = {region: [] for region in REGIONS}
    other = []
    for name in sorted(zoneinfo.available_timezones()):
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
