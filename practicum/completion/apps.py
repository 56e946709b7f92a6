from django.apps import AppConfig


class CompletionConfig(AppConfig):
    name = "practicum.completion"
    label = "completion"
    verbose_name = "Completion and payment"
