import zoneinfo

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.utils import timezone

from practicum.core.errors import ServiceError, is_refusal


class UserTimezoneMiddleware:
    """Show times in the viewer's own time zone; everything is stored in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tzname = getattr(request.user, "timezone", "") if hasattr(request, "user") else ""
        if tzname:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tzname))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class ServiceErrorPages:
    """A page that lets a service's refusal through answers like Django's own errors: a 403
    (Refused) shows the styled 403 page with the service's sentence, a 404 the 404 page. Views
    then catch only what they answer in their own way (a form shown again, a message on the
    page they go back to). The API maps the same errors to JSON in core/api.py."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ServiceError) and is_refusal(exception):
            as_django = PermissionDenied if exception.status == 403 else Http404
            return response_for_exception(request, as_django(exception.message))
        return None
