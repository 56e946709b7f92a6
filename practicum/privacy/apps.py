from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "practicum.privacy"
    label = "privacy"
    verbose_name = "Your data"
