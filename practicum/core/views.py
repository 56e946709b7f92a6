from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template


def home(request):
    return render(request, "core/home.html")


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    # No request context: whatever broke may be what the context processors need.
    return HttpResponseServerError(get_template("core/500.html").render())
