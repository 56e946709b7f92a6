from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "practicum.alerts"
    label = "alerts"
    verbose_name = "Saved searches and alerts"

    def ready(self):
        from practicum.accounts.signals import account_deleted
        from practicum.alerts.services import forget_student

        account_deleted.connect(forget_student, dispatch_uid="alerts.forget_student")
