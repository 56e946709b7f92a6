from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "practicum.workspace.progress"
    label = "progress"
    verbose_name = "Progress updates"
