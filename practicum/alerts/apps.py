from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "practicum.alerts"
    label = "alerts"
    verbose_name = "Saved searches and alerts"
