from django.urls import path

from practicum.engagements import transitions, views

app_name = "engagements"
urlpatterns = [
    path("projects/<int:pk>/apply/", views.apply, name="apply"),
    path("projects/<int:pk>/applicants/", views.applicants, name="applicants"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    *(
        path(f"applications/<int:pk>/{action}/", views.act, {"action": action}, name=action)
        for action in transitions.TRANSITIONS
    ),
    path("engagements/<int:pk>/", views.engagement_detail, name="detail"),
]
