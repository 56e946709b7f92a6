from django.apps import AppConfig


class DeliverablesConfig(AppConfig):
    name = "practicum.workspace.deliverables"
    label = "deliverables"
    verbose_name = "Deliverables and submissions"
