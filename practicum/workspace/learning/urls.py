from django.urls import path

from practicum.workspace.learning import views

app_name = "learning"
urlpatterns = [
    path("engagements/<int:pk>/learning/", views.plan, name="plan"),
]
