from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "practicum.workspace.learning"
    label = "learning"
    verbose_name = "Learning plan"
