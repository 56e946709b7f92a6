from django.urls import path

from practicum.privacy import views

app_name = "privacy"

urlpatterns = [
    path("settings/data/", views.data, name="data"),
    path("settings/data/export/", views.request_export, name="request_export"),
    path("settings/data/exports/<int:pk>/download/", views.download, name="download"),
    path("settings/delete-account/", views.delete_account, name="delete_account"),
]
