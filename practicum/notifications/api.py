from datetime import datetime

from django.core.paginator import EmptyPage, Paginator
from ninja import Field, Router, Schema

from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.schemas import Id, InputSchema, SingleLine
from practicum.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    message: str
    url: str
    context: dict
    created_at: datetime
    read_at: datetime | None
    unread: bool = Field(alias="is_unread")


class NotificationPage(Schema):
    count: int
    page: int
    num_pages: int
    page_size: int
    results: list[NotificationOut]


class ReadAllOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str = Field(alias="kind.key")
    label: str = Field(alias="kind.label")
    delivery: str
    default: str = Field(alias="kind.default")
    can_switch_off: bool = Field(alias="kind.can_switch_off")


class PreferencesIn(InputSchema):
    preferences: dict[str, SingleLine] = Field(
        description="Kind → one of in_app, email_now, email_digest, off. Kinds left out go back "
        "to their default."
    )


@router.get(
    "",
    response=NotificationPage,
    summary="Your notifications",
    description=f"Unread first, newest first, {selectors.PAGE_SIZE} a page.",
)
def list_notifications(request, unread: bool = False, page: int = 1):
    paginator = Paginator(
        selectors.notifications_for(request.user, unread_only=unread), selectors.PAGE_SIZE
    )
    try:
        results = list(paginator.page(page))
    except EmptyPage:
        results = []
    return {
        "count": paginator.count,
        "page": page,
        "num_pages": paginator.num_pages,
        "page_size": selectors.PAGE_SIZE,
        "results": results,
    }


@router.post(
    "/{int:notification_id}/read",
    response={200: NotificationOut, 404: ErrorOut},
    summary="Mark one notification read",
)
def mark_read(request, notification_id: Id):
    notification = visible_or_404(
        selectors.notification_of(request.user, notification_id), what="notification"
    )
    return services.mark_read(notification, by=request.user)


@router.post("/read-all", response=ReadAllOut, summary="Mark all your notifications read")
def mark_all_read(request):
    return {"marked": services.mark_all_read(request.user)}


@router.get(
    "/preferences",
    response=list[PreferenceOut],
    summary="How each kind of notification reaches you",
    description="Kinds with can_switch_off false (account security) are always emailed.",
)
def get_preferences(request):
    return selectors.preferences_for(request.user)


@router.put(
    "/preferences",
    response={200: list[PreferenceOut], 422: ErrorOut},
    summary="Set how each kind of notification reaches you",
)
def put_preferences(request, payload: PreferencesIn):
    return services.set_preferences(request.user, payload.preferences)
