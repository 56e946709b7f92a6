from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "practicum.workspace"
    label = "workspace"
    verbose_name = "Workspace"

    def ready(self):
        from practicum.workspace import handlers  # noqa: F401  (registers on the lifecycle)
