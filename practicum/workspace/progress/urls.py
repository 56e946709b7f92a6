from django.urls import path

from practicum.workspace.progress import views

app_name = "progress"
urlpatterns = [
    path("engagements/<int:pk>/updates/", views.update_list, name="list"),
    path("engagements/<int:pk>/updates/new/", views.post_update, name="post"),
    path(
        "engagements/<int:pk>/updates/<int:update_id>/comments/",
        views.comment,
        name="comment",
    ),
    path("engagements/<int:pk>/updates/<int:update_id>/edit/", views.edit, name="edit"),
    path("engagements/<int:pk>/updates/<int:update_id>/remove/", views.remove, name="remove"),
]
