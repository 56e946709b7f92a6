"""Loading the object a request names: one rule for "not there" and "not yours to see"."""

from django.http import Http404


def visible_or_404(obj, user=None, perm: str | None = None, *, what: str):
    """`obj` when it exists and, given a permission, `user` has it on `obj`; else Http404.

    Someone who may not see an object is not told that it exists, so both cases answer the
    same 404 ("No such <what>."), on pages and in the API alike. (User.has_perm asks our rules
    alone for their permissions: a platform admin is not a party to anybody's engagement.)
    """
    if obj is None or (perm is not None and not user.has_perm(perm, obj)):
        raise Http404(f"No such {what}.")
    return obj
