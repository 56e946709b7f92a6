from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "practicum.profiles"

    def ready(self):
        from practicum.accounts.signals import account_created
        from practicum.profiles.services import give_students_a_profile

        account_created.connect(give_students_a_profile, dispatch_uid="profiles.account_created")
