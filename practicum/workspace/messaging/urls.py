from django.urls import path

from practicum.workspace.messaging import views

app_name = "messaging"
urlpatterns = [
    path("engagements/<int:pk>/messages/", views.thread, name="thread"),
    path("engagements/<int:pk>/messages/new/", views.poll, name="poll"),
    path("engagements/<int:pk>/messages/post/", views.post, name="post"),
    path(
        "engagements/<int:pk>/messages/<int:message_id>/answered/",
        views.answer,
        name="answer",
    ),
    path("engagements/<int:pk>/messages/<int:message_id>/edit/", views.edit, name="edit"),
    path("engagements/<int:pk>/messages/<int:message_id>/history/", views.history, name="history"),
    path(
        "engagements/<int:pk>/messages/<int:message_id>/files/<int:attachment_id>/",
        views.download,
        name="download",
    ),
]
