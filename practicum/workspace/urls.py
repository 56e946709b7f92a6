from django.urls import path

from practicum.workspace import views

app_name = "workspace"
urlpatterns = [
    path("engagements/<int:pk>/timeline/", views.timeline, name="timeline"),
]
