from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "practicum.interviews"
    label = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        from practicum.interviews import handlers  # noqa: F401  (registers on the lifecycle)
