from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "practicum.interviews"
    label = "interviews"
    verbose_name = "Interviews"
