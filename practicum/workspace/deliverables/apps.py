from django.apps import AppConfig


class DeliverablesConfig(AppConfig):
    name = "practicum.workspace.deliverables"
    label = "deliverables"
    verbose_name = "Deliverables and submissions"

    def ready(self):
        # Keeps the stored deadlines in step with the terms (post_save receivers).
        from practicum.workspace.deliverables import schedule  # noqa: F401
