from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`manage.py seed_demo`), built through the services. Nothing imports it."""

    name = "practicum.demo"
