from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "practicum.careers"
    label = "careers"
    verbose_name = "Career centers"

    def ready(self):
        from practicum.careers import rules  # noqa: F401  (registers the permissions)
