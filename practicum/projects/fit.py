"""Discovery's "best fit" sort, which the recommendations app provides: it sits above projects
(it reads projects and profiles), so it registers its ranking here when Django starts instead
of projects importing it."""

from collections.abc import Callable

from django.db.models import QuerySet

_ranker: list[Callable] = []


def register_ranker(rank: Callable) -> None:
    """`rank(user, projects)` returns a ranking with `ids` (every project, best fit first),
    `profile_is_blank`, and `page(ids)` giving the projects of one page with their fit."""
    _ranker[:] = [rank]


def rank_by_fit(user, projects: QuerySet):
    return _ranker[0](user, projects)
