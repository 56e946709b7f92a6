from django.urls import path

from practicum.skills import views

app_name = "skills"
urlpatterns = [
    path("autocomplete/", views.autocomplete, name="autocomplete"),
]
