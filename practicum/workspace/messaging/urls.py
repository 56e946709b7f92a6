from django.urls import path

from practicum.workspace.messaging import views

app_name = "messaging"
urlpatterns = [
    path("engagements/<int:pk>/messages/", views.thread, name="thread"),
]
