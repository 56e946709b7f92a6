from django.urls import path

from practicum.credentials import views

app_name = "credentials"
urlpatterns = [
    path("credentials/", views.mine, name="mine"),
    path("credentials/issuer/", views.issuer, name="issuer"),
    path("credentials/status/<int:number>/", views.status_list, name="status_list"),
    path("credentials/<uuid:pk>/", views.detail, name="detail"),
    path("credentials/<uuid:pk>/credential.json", views.credential_json, name="json"),
    path("credentials/<uuid:pk>/credential.jwt", views.credential_jwt, name="jwt"),
    path("credentials/<uuid:pk>/qr.svg", views.qr_code, name="qr"),
    path("credentials/<uuid:pk>/hide/", views.hide, name="hide"),
    path("credentials/<uuid:pk>/show/", views.show, name="show"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
]
