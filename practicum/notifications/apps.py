from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "practicum.notifications"
    verbose_name = "Notifications"

    def ready(self):
        from practicum.accounts.signals import account_deleted
        from practicum.notifications.services import forget_recipient

        # Each app's reminders.py registers its reminder finders when imported.
        autodiscover_modules("reminders")
        account_deleted.connect(forget_recipient, dispatch_uid="notifications.forget_recipient")
