from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "practicum.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self):
        from practicum.analytics import rules  # noqa: F401  (registers the permissions)
