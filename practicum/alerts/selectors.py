"""Reads for saved searches."""

import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs

from django.db.models import QuerySet

from practicum.alerts.models import SavedSearch
from practicum.core.loading import visible_or_404
from practicum.projects.selectors import ProjectFilters

PAGE_SIZE = 20


def searches_of(student) -> QuerySet[SavedSearch]:
    """The student's saved searches, newest first."""
    return SavedSearch.objects.filter(student=student).order_by("-created_at", "-pk")


def visible_search(user, pk: int) -> SavedSearch:
    """The user's own saved search, or a 404 (anybody else's is as good as missing)."""
    search = SavedSearch.objects.filter(pk=pk).first()
    return visible_or_404(search, user, "alerts.manage_search", what="saved search")


_LISTS = {"skills"}
_INTS = {"max_hours_per_week", "min_weeks", "max_weeks"}
_DECIMALS = {"min_pay", "max_pay"}
_DATES = {"starts_from", "starts_to"}


def filters_of(search: SavedSearch) -> ProjectFilters | None:
    """The stored query as filters, read without the form (and its queries): it was normalized
    through the form when saved. None if it no longer reads (then nothing matches)."""
    values = {}
    try:
        for name, items in parse_qs(search.query, keep_blank_values=False).items():
            if name in _LISTS:
                values[name] = [int(item) for item in items]
            elif name in _INTS:
                values[name] = int(items[0])
            elif name in _DECIMALS:
                values[name] = Decimal(items[0])
            elif name in _DATES:
                values[name] = datetime.date.fromisoformat(items[0])
            elif name in ProjectFilters.__dataclass_fields__:
                values[name] = items[0]
    except (ValueError, InvalidOperation):
        return None
    return ProjectFilters(**values)
