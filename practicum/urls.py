from django.contrib import admin
from django.urls import include, path

from practicum.api.urls import api
from practicum.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("practicum.accounts.urls")),
    path("", include("practicum.profiles.urls")),
    path("skills/", include("practicum.skills.urls")),
    path("", include("practicum.projects.urls")),
    path("", include("practicum.engagements.urls")),
    path("notifications/", include("practicum.notifications.urls")),
    path("", include("practicum.recommendations.urls")),
    path("", include("practicum.interviews.urls")),
    path("", include("practicum.alerts.urls")),
    path("rounds/", include("practicum.rounds.urls")),
    path("", include("practicum.workspace.urls")),
    path("", include("practicum.workspace.checkins.urls")),
    path("", include("practicum.workspace.deliverables.urls")),
    path("", include("practicum.workspace.messaging.urls")),
    path("", include("practicum.workspace.progress.urls")),
    path("", include("practicum.workspace.learning.urls")),
    path("", include("practicum.reviews.urls")),
    path("", include("practicum.completion.urls")),
    path("", include("practicum.talent.urls")),
    path("", include("practicum.careers.urls")),
    path("", include("practicum.reciprocity.urls")),
    path("", include("practicum.credentials.urls")),
    path("", include("practicum.privacy.urls")),
    path("", include("practicum.analytics.urls")),
    path("api/v1/", api.urls),
]

handler404 = "practicum.core.views.not_found"
handler500 = "practicum.core.views.server_error"
handler400 = "practicum.core.views.bad_request"
handler403 = "practicum.core.views.permission_denied"
