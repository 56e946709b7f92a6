from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "practicum.profiles"

    def ready(self):
        from practicum.accounts.signals import account_created, account_deleted
        from practicum.profiles.services import erase_profile, give_students_a_profile

        account_created.connect(give_students_a_profile, dispatch_uid="profiles.account_created")
        account_deleted.connect(erase_profile, dispatch_uid="profiles.erase_profile")
