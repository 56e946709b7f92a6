from django.urls import path

from practicum.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("recommendations/", views.for_me, name="for_me"),
    path("projects/<int:pk>/candidates/", views.candidates, name="candidates"),
]
