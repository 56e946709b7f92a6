from practicum.accounts.selectors import navigation_for


def navigation(request):
    """The role-specific navigation, computed once per request (one query at most)."""
    return {"nav": navigation_for(request.user)}
