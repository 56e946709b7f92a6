from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "practicum.recommendations"

    def ready(self):
        from practicum.projects import fit
        from practicum.recommendations.selectors import rank_by_fit

        fit.register_ranker(rank_by_fit)
