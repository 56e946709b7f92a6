from django.urls import path

from practicum.interviews import views

app_name = "interviews"
BASE = "applications/<int:pk>/interviews/"
ONE = f"{BASE}<int:interview_id>/"
urlpatterns = [
    path(BASE, views.interview_list, name="list"),
    path(f"{BASE}propose/", views.propose, name="propose"),
    path(f"{ONE}pick/", views.pick, name="pick"),
    path(f"{ONE}slots/", views.add_slots, name="add_slots"),
    path(f"{ONE}reschedule/", views.reschedule, name="reschedule"),
    path(f"{ONE}cancel/", views.cancel, name="cancel"),
    path(f"{ONE}outcome/", views.record_outcome, name="outcome"),
]
