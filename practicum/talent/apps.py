from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "practicum.talent"
    label = "talent"
    verbose_name = "Talent pipeline"
