from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "practicum.recommendations"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from practicum.profiles.models import StudentProfile
        from practicum.projects import fit
        from practicum.recommendations.adapter import students_changed
        from practicum.recommendations.selectors import rank_by_fit

        fit.register_ranker(rank_by_fit)
        # The candidates index checks its rows again when a profile or an account changes.
        for model in (StudentProfile, get_user_model()):
            post_save.connect(students_changed, sender=model, dispatch_uid=f"students:{model}")
            post_delete.connect(students_changed, sender=model, dispatch_uid=f"gone:{model}")
