from django.urls import path

from practicum.profiles import views

app_name = "profiles"
urlpatterns = [
    path("profile/", views.my_profile, name="mine"),
    path("profile/edit/", views.edit_profile, name="edit"),
    path("profile/photo-and-cv/", views.my_files, name="files"),
    path("profile/photo/", views.upload_photo, name="upload_photo"),
    path("profile/photo/remove/", views.remove_photo, name="remove_photo"),
    path("profile/cv/", views.upload_cv, name="upload_cv"),
    path("profile/cv/remove/", views.remove_cv, name="remove_cv"),
    path("students/<int:pk>/", views.student_profile, name="student"),
    path("students/<int:pk>/photo/", views.student_photo, name="photo"),
    path("students/<int:pk>/cv/", views.student_cv, name="cv"),
]
