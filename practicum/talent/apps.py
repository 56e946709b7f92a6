from django.apps import AppConfig
from django.db.models.signals import post_save


def _consent_follows_profile(sender, instance, created, **kwargs):
    """Turning "open to future roles" off on the profile page withdraws consent as surely as
    the talent page's button does: no organization keeps the student on its list. Runs in the
    profile save's transaction."""
    if not created and not instance.open_to_future_roles:
        from practicum.talent.services import forget_student

        forget_student(instance.user_id)


class TalentConfig(AppConfig):
    name = "practicum.talent"
    label = "talent"
    verbose_name = "Talent pipeline"

    def ready(self):
        from practicum.profiles.models import StudentProfile

        post_save.connect(
            _consent_follows_profile, sender=StudentProfile, dispatch_uid="talent_consent"
        )
