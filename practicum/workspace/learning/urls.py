from django.urls import path

from practicum.workspace.learning import views

app_name = "learning"
urlpatterns = [
    path("engagements/<int:pk>/learning/", views.plan, name="plan"),
    path("engagements/<int:pk>/learning/items/", views.add_item, name="add_item"),
    path(
        "engagements/<int:pk>/learning/items/<int:item_id>/edit/",
        views.edit_item,
        name="edit_item",
    ),
    path(
        "engagements/<int:pk>/learning/items/<int:item_id>/status/",
        views.item_status,
        name="item_status",
    ),
    path(
        "engagements/<int:pk>/learning/items/<int:item_id>/remove/",
        views.remove_item,
        name="remove_item",
    ),
    path("engagements/<int:pk>/learning/skills/", views.record_skill, name="record_skill"),
    path(
        "engagements/<int:pk>/learning/skills/<int:skill_id>/remove/",
        views.remove_skill,
        name="remove_skill",
    ),
]
