from django.urls import path

from practicum.reviews import views

app_name = "reviews"
urlpatterns = [
    path("engagements/<int:pk>/feedback/", views.engagement, name="engagement"),
    path("engagements/<int:pk>/feedback/<slug:round>/", views.submit, name="submit"),
]
