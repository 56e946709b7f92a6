from django.urls import path

from practicum.reciprocity import views

app_name = "reciprocity"
urlpatterns = [
    path("reciprocity/", views.about, name="about"),
    path("organizations/<slug:slug>/reciprocity/", views.organization, name="organization"),
    path(
        "organizations/<slug:slug>/reciprocity/card/",
        views.organization_card,
        name="organization_card",
    ),
    path("students/<int:pk>/reciprocity/", views.student, name="student"),
    path("students/<int:pk>/reciprocity/card/", views.student_card, name="student_card"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
