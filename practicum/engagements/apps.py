from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "practicum.engagements"

    def ready(self):
        # The lifecycle owns the project's status table; projects' pages and API reach it here.
        from practicum.accounts.signals import account_deleted, member_removed
        from practicum.engagements import services
        from practicum.projects import status

        status.install(change=services.change_project_status, allowed=services.project_actions)
        member_removed.connect(services.release_mentor, dispatch_uid="engagements.release_mentor")
        account_deleted.connect(services.leave_with_account, dispatch_uid="engagements.leave")
