from django.urls import path

from practicum.workspace.progress import views

app_name = "progress"
urlpatterns = [
    path("engagements/<int:pk>/updates/", views.list, name="list"),
]
