"""Loading the object a request names: one rule for "not there" and "not yours to see"."""

import rules
from django.http import Http404


def visible_or_404(obj, user=None, perm: str | None = None, *, what: str):
    """`obj` when it exists and, given a permission, `user` has it on `obj`; else Http404.

    Someone who may not see an object is not told that it exists, so both cases answer the
    same 404 ("No such <what>."), on pages and in the API alike. The permission is asked of
    our rules alone: Django's backend grants a superuser every permission, and a platform
    admin is not a party to anybody's engagement (support work goes through Django admin).
    """
    if obj is None or (perm is not None and not rules.has_perm(perm, user, obj)):
        raise Http404(f"No such {what}.")
    return obj
