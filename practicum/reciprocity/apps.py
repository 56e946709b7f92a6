from django.apps import AppConfig


class ReciprocityConfig(AppConfig):
    name = "practicum.reciprocity"
    label = "reciprocity"
    verbose_name = "Reciprocity index and dashboards"
