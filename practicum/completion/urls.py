from django.urls import path

from practicum.completion import views

app_name = "completion"
urlpatterns = [
    path("engagements/<int:pk>/completion/", views.detail, name="detail"),
]
