from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "practicum.reviews"
    label = "reviews"
    verbose_name = "Feedback and endorsements"

    def ready(self):
        # Keeps the stored round windows in step with their inputs (post_save receivers).
        from practicum.reviews import schedule  # noqa: F401
