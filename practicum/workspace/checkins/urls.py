from django.urls import path

from practicum.workspace.checkins import views

app_name = "checkins"
urlpatterns = [
    path("engagements/<int:pk>/checkins/", views.list, name="list"),
]
