from django.urls import path

from practicum.rounds import transitions, views

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.create, name="create"),
    path("mine/", views.my_rounds, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/settings/", views.edit_settings, name="settings"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/ranking/", views.my_ranking, name="my_ranking"),
    path("<int:pk>/projects/add/", views.add_project, name="add_project"),
    path("<int:pk>/projects/<int:project_id>/", views.applicants, name="applicants"),
    path("<int:pk>/projects/<int:project_id>/adopt-fit/", views.adopt_fit, name="adopt_fit"),
    path(
        "<int:pk>/projects/<int:project_id>/capacity/",
        views.set_capacity,
        name="set_capacity",
    ),
    path(
        "<int:pk>/projects/<int:project_id>/remove/",
        views.remove_project,
        name="remove_project",
    ),
    path("<int:pk>/students/add/", views.add_students, name="add_students"),
    path(
        "<int:pk>/students/add-institution/",
        views.add_institution_students,
        name="add_institution_students",
    ),
    path(
        "<int:pk>/students/<int:student_id>/remove/",
        views.remove_student,
        name="remove_student",
    ),
    *(
        path(f"<int:pk>/{action}/", views.act, {"action": action}, name=action)
        for action in transitions.TRANSITIONS
    ),
]
