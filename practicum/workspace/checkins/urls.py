from django.urls import path

from practicum.workspace.checkins import views

app_name = "checkins"
CHECKIN = "engagements/<int:pk>/checkins/<int:checkin_id>/"
urlpatterns = [
    path("engagements/<int:pk>/checkins/", views.checkin_list, name="list"),
    path("engagements/<int:pk>/checkins/place/", views.set_default_place, name="default_place"),
    path(CHECKIN, views.detail, name="detail"),
    path(f"{CHECKIN}place/", views.set_place, name="place"),
    path(f"{CHECKIN}agenda/", views.add_agenda_item, name="agenda"),
    path(f"{CHECKIN}agenda/<int:point_id>/edit/", views.edit_agenda_item, name="agenda_edit"),
    path(
        f"{CHECKIN}agenda/<int:point_id>/remove/",
        views.remove_agenda_item,
        name="agenda_remove",
    ),
    path(f"{CHECKIN}notes/", views.update_notes, name="notes"),
    path(f"{CHECKIN}outcome/", views.record_outcome, name="outcome"),
    path(f"{CHECKIN}reschedule/", views.reschedule, name="reschedule"),
    path("engagements/<int:pk>/calendar.ics", views.engagement_ics, name="engagement_ics"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/regenerate/", views.regenerate_feed, name="regenerate_feed"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
