from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "practicum.reviews"
    label = "reviews"
    verbose_name = "Feedback and endorsements"
