from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "practicum.projects"
