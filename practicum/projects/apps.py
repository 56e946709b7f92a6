from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "practicum.projects"

    def ready(self):
        from practicum.accounts.signals import member_removed
        from practicum.projects.services import release_mentor

        member_removed.connect(release_mentor, dispatch_uid="projects.release_mentor")
