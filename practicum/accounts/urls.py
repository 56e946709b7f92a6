from django.urls import path

from practicum.accounts import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.account_settings, name="settings"),
    path("settings/tokens/", views.api_tokens, name="api_tokens"),
    path("settings/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("organizations/<slug:slug>/", views.organization, name="organization"),
    path("organizations/<slug:slug>/edit/", views.edit_organization, name="edit_organization"),
    path("organizations/<slug:slug>/logo/", views.logo, name="logo"),
    path("organizations/<slug:slug>/logo/upload/", views.upload_logo, name="upload_logo"),
    path("organizations/<slug:slug>/logo/remove/", views.remove_logo, name="remove_logo"),
    path(
        "organizations/<slug:slug>/verification/",
        views.request_verification,
        name="request_verification",
    ),
    path(
        "about/verified-organizations/",
        views.verified_organizations,
        name="verified_organizations",
    ),
    path("organizations/<slug:slug>/members/", views.members, name="members"),
    path(
        "organizations/<slug:slug>/members/<int:pk>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("institutions/<slug:slug>/staff/", views.institution_staff, name="institution_staff"),
]
