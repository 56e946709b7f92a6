from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import get_template


def home(request):
    return render(request, "core/home.html")


# The error pages. 400, 403 and 404 render with the request (the header knows who is logged
# in); 500 renders without it and without the database: whatever broke may be what the
# context processors need.


def _error(request, status: int):
    return render(request, f"core/{status}.html", status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def csrf_failure(request, reason=""):
    """A form sent without a valid token (an old tab, cookies blocked): say so and offer a way
    back. Rendered like any 403."""
    return render(request, "core/403.html", {"csrf_failure": True}, status=403)


def not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    return HttpResponse(get_template("core/500.html").render(), status=500)
