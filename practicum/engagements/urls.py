from django.urls import path

from practicum.engagements import lifecycle, views

app_name = "engagements"
urlpatterns = [
    path("projects/<int:pk>/apply/", views.apply, name="apply"),
    path("projects/<int:pk>/applicants/", views.applicants, name="applicants"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    *(
        path(f"applications/<int:pk>/{action}/", views.act, {"action": action}, name=action)
        for action in lifecycle.PERSON_ACTIONS
    ),
    path("engagements/<int:pk>/", views.engagement_detail, name="detail"),
    path("engagements/<int:pk>/events/", views.engagement_events, name="events"),
    path("engagements/<int:pk>/agreement/terms/", views.agreement_terms, name="agreement_terms"),
    path("engagements/<int:pk>/agreement/sign/", views.agreement_sign, name="agreement_sign"),
    path(
        "engagements/<int:pk>/agreement/versions/<int:number>/",
        views.agreement_version,
        name="agreement_version",
    ),
    path("engagements/<int:pk>/agreement/diff/", views.agreement_diff, name="agreement_diff"),
    path(
        "engagements/<int:pk>/amendments/<int:number>/accept/",
        views.amendment_accept,
        name="amendment_accept",
    ),
    path(
        "engagements/<int:pk>/amendments/<int:number>/reject/",
        views.amendment_reject,
        name="amendment_reject",
    ),
    path("engagements/<int:pk>/cancel/", views.cancel_engagement, name="cancel"),
    path("engagements/<int:pk>/mentor/", views.change_mentor, name="change_mentor"),
]
