from django.urls import path

from practicum.completion import views

app_name = "completion"
urlpatterns = [
    path("engagements/<int:pk>/completion/", views.detail, name="detail"),
    path("engagements/<int:pk>/completion/complete/", views.complete, name="complete"),
    path(
        "engagements/<int:pk>/completion/complete-partially/",
        views.complete_partially,
        name="complete_partially",
    ),
    path("engagements/<int:pk>/completion/payment/", views.record_payment, name="record_payment"),
    path(
        "engagements/<int:pk>/completion/payment/confirm/",
        views.confirm_payment,
        name="confirm_payment",
    ),
    path(
        "engagements/<int:pk>/completion/payment/dispute/",
        views.dispute_payment,
        name="dispute_payment",
    ),
]
