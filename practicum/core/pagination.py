"""The API's one pagination style: `page` (from 1) and `page_size` (1–100) in the query, and
`{"items": [...], "count": n}` back, count being the total over every page. A page past the
end answers an empty `items` with the true count; page 0 or below is a 422."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
PAGE_MAX = 1_000_000


class Pagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX, description="From 1; past the end: no items")
        page_size: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many items there are over all pages")

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params) -> dict:
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": self._items_count(queryset),
        }
