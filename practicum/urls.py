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
    path("rounds/", include("practicum.rounds.urls")),
    path("api/v1/", api.urls),
]

handler404 = "practicum.core.views.not_found"
handler500 = "practicum.core.views.server_error"
