"""The engagement's timeline over JSON: the rows the page shows, from the same selector."""

import datetime
import zoneinfo
from typing import Literal

from ninja import Field, Query, Router, Schema

from practicum.core.api import ErrorOut
from practicum.core.schemas import Id, InputSchema
from practicum.engagements.api import PersonRef
from practicum.workspace import access, selectors

router = Router(tags=["workspace"])

TimelineGroup = Literal[tuple(selectors.GROUPS)]  # type: ignore[valid-type]


class TimelineQuery(InputSchema):
    group: TimelineGroup | None = Field(None, description="Only this group's kinds")
    order: Literal["oldest", "newest"] = "oldest"
    page: int = Field(1, ge=1, description="Past the last page, the last page is answered")


class TimelineEventOut(Schema):
    id: int
    kind: str = Field(description="EngagementEvent kind, e.g. submitted")
    kind_label: str
    group: str = Field(description=", ".join(selectors.GROUPS))
    group_label: str
    at: datetime.datetime
    actor: PersonRef | None = Field(description="None when Practicum itself acted")
    side: str = Field(description="student, organization, or empty for Practicum")
    side_label: str = Field(description="The student's or the organization's name")
    sentence: str = Field(description="For people; times in the caller's time zone")
    url: str = Field(description="The workspace page the event belongs to")


class TimelineOut(Schema):
    count: int = Field(description="Events matching the filter, on every page")
    page: int
    pages: int
    per_page: int
    events: list[TimelineEventOut]


def _zone(user) -> datetime.tzinfo:
    # Token requests authenticate after the time-zone middleware ran, so set it from the user.
    try:
        return zoneinfo.ZoneInfo(user.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


@router.get(
    "/engagements/{int:engagement_id}/timeline",
    response={200: TimelineOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Everything that happened to the engagement, as sentences, 100 to a page",
    description=(
        "Groups: agreement, deliverables, checkins, messages, updates, learning, completion "
        "(feedback, completion and payment)."
    ),
)
def get_timeline(request, engagement_id: Id, params: Query[TimelineQuery]):
    engagement = access.readable(request.user, engagement_id)
    page = selectors.timeline(
        engagement,
        group=params.group or "",
        order=params.order,
        page=params.page,
        tz=_zone(request.user),
    )
    return {
        "count": page.count,
        "page": page.number,
        "pages": page.pages,
        "per_page": page.per_page,
        "events": page.rows,
    }
