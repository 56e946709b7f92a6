from django.urls import path

from practicum.careers import views

app_name = "careers"

urlpatterns = [
    path("careers/", views.mine, name="mine"),
    path("careers/enrollments/", views.request_enrollment, name="request_enrollment"),
    path("careers/confirm/<str:token>/", views.confirm, name="confirm"),
    path("careers/consent/<int:institution_id>/", views.give_consent, name="give_consent"),
    path(
        "careers/consent/<int:institution_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("careers/students/", views.students, name="students"),
    path("careers/students/<int:student_id>/", views.record, name="record"),
    path("careers/enrollments/<int:pk>/approve/", views.approve, name="approve"),
    path("careers/enrollments/<int:pk>/reject/", views.reject, name="reject"),
]
