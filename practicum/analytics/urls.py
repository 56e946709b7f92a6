from django.urls import path

from practicum.analytics import views

app_name = "analytics"

urlpatterns = [
    path("organizations/<slug:slug>/analytics/", views.organization, name="organization"),
    path(
        "organizations/<slug:slug>/analytics/<slug:chart>.svg",
        views.organization_chart,
        name="organization_chart",
    ),
    path("progress/", views.progress, name="progress"),
    path("progress/<slug:chart>.svg", views.progress_chart, name="progress_chart"),
    path("careers/outcomes/", views.career_outcomes, name="career_outcomes"),
    path("careers/outcomes.csv", views.career_outcomes_csv, name="career_outcomes_csv"),
    path(
        "careers/outcomes/<slug:chart>.svg",
        views.career_outcomes_chart,
        name="career_outcomes_chart",
    ),
]
