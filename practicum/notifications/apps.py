from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "practicum.notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Each app's reminders.py registers its reminder finders when imported.
        autodiscover_modules("reminders")
