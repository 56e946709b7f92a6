from django.urls import path

from practicum.talent import views

app_name = "talent"
urlpatterns = [
    path("organizations/<slug:slug>/talent/", views.organization_list, name="organization"),
    path("organizations/<slug:slug>/talent/<int:pk>/", views.update, name="update"),
    path("organizations/<slug:slug>/talent/<int:pk>/remove/", views.remove, name="remove"),
    path("engagements/<int:pk>/talent/", views.add, name="add"),
    path("talent/me/", views.mine, name="mine"),
    path("talent/me/consent/", views.consent, name="consent"),
    path("talent/me/withdraw/", views.withdraw, name="withdraw"),
]
