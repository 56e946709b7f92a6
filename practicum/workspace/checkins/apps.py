from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "practicum.workspace.checkins"
    label = "checkins"
    verbose_name = "Check-ins and calendar"
