from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "practicum.workspace.messaging"
    label = "messaging"
    verbose_name = "Messages and questions"
