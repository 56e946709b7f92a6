from django.urls import path

from practicum.workspace.deliverables import views

app_name = "deliverables"
urlpatterns = [
    path("engagements/<int:pk>/deliverables/", views.list, name="list"),
]
