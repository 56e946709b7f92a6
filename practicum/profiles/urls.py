from django.urls import path

from practicum.profiles import views

app_name = "profiles"
urlpatterns = [
    path("profile/", views.my_profile, name="mine"),
    path("profile/edit/", views.edit_profile, name="edit"),
    path("students/<int:pk>/", views.student_profile, name="student"),
]
