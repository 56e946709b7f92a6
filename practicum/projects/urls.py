from django.urls import path

from practicum.projects import status, views

app_name = "projects"
urlpatterns = [
    path("projects/", views.discover, name="discover"),
    path("projects/<int:pk>/", views.detail, name="detail"),
    path("projects/<int:pk>/edit/", views.edit, name="edit"),
    *(
        path(f"projects/<int:pk>/{action}/", views.change_status, {"action": action}, name=action)
        for action in status.ACTIONS
    ),
    path("organizations/suggest", views.suggest_organizations, name="suggest_organizations"),
    path("organizations/<slug:slug>/projects/", views.organization_projects, name="organization"),
    path("organizations/<slug:slug>/projects/new/", views.create, name="create"),
]
