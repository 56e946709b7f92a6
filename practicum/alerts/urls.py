from django.urls import path

from practicum.alerts import views

app_name = "alerts"
urlpatterns = [
    path("searches/", views.searches, name="list"),
    path("searches/<int:pk>/", views.results, name="results"),
    path("searches/<int:pk>/frequency/", views.change_frequency, name="frequency"),
    path("searches/<int:pk>/delete/", views.delete, name="delete"),
    path("searches/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
