from django.urls import path

from practicum.workspace.deliverables import views

app_name = "deliverables"
urlpatterns = [
    path("engagements/<int:pk>/deliverables/", views.deliverables_page, name="list"),
    path("engagements/<int:pk>/deliverables/<slug:key>/submit/", views.submit, name="submit"),
    path(
        "engagements/<int:pk>/deliverables/submissions/<int:submission_id>/accept/",
        views.accept,
        name="accept",
    ),
    path(
        "engagements/<int:pk>/deliverables/submissions/<int:submission_id>/request-changes/",
        views.request_changes,
        name="request_changes",
    ),
    path(
        "engagements/<int:pk>/deliverables/submissions/<int:submission_id>/file/",
        views.download,
        name="download",
    ),
]
