from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "practicum.recommendations"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from practicum.profiles.models import StudentProfile
        from practicum.projects import fit
        from practicum.recommendations.adapter import profile_edited, students_changed
        from practicum.recommendations.selectors import rank_by_fit

        fit.register_ranker(rank_by_fit)
        # The candidates index follows the profiles saved, and checks its rows again when an
        # account changes or either is deleted.
        post_save.connect(profile_edited, sender=StudentProfile, dispatch_uid="students:edited")
        post_save.connect(students_changed, sender=get_user_model(), dispatch_uid="students:users")
        for model in (StudentProfile, get_user_model()):
            post_delete.connect(students_changed, sender=model, dispatch_uid=f"gone:{model}")
