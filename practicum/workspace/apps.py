from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "practicum.workspace"
    label = "workspace"
    verbose_name = "Workspace"
