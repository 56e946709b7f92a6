import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.handlers.exception import response_for_exception
from django.http import Http404, JsonResponse
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


API_PREFIX = "/api/"
_BODY_METHODS = {"POST", "PUT", "PATCH"}
_BODY_TYPES = {"application/json", "multipart/form-data", "application/x-www-form-urlencoded"}
# What each status means, for answers under /api/ that were not built by the API itself (an
# unknown route, a bad path converter, a method not allowed, a body too large, a crash).
_API_ERRORS = {
    400: ("bad_request", "The request could not be read."),
    401: ("unauthenticated", "Log in or send a valid API token."),
    403: ("forbidden", "You may not do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the body as application/json."),
    429: ("too_many_requests", "Too many requests; try again later."),
    500: ("server_error", "Something went wrong on our side."),
}


def api_error(status: int, code: str | None = None, message: str | None = None):
    """An answer in the API's one error shape (practicum.core.api.ErrorOut)."""
    default_code, default_message = _API_ERRORS.get(status, ("error", "The request failed."))
    response = JsonResponse(
        {"code": code or default_code, "message": message or default_message, "fields": {}},
        status=status,
    )
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


class ApiEdgeMiddleware:
    """Under /api/ every answer is JSON in the one error shape: bodies too large (413) or of an
    unsupported type (415) are refused before any view reads them, and the HTML answers Django
    gives outside the API's own views (unknown routes, bad converters, 405, 500) become JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        refused = self._refuse_body(request)
        response = refused or self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow")
            response = api_error(response.status_code)
            if allow:
                response["Allow"] = allow
        if response.status_code == 401 and not response.has_header("WWW-Authenticate"):
            response["WWW-Authenticate"] = "Bearer"
        return response

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIX) and isinstance(exception, RequestDataTooBig):
            return api_error(413)
        return None

    @staticmethod
    def _refuse_body(request):
        if request.method not in _BODY_METHODS:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return api_error(400)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # Multipart bodies carry files, which Django streams to disk under their own limit.
        content_type = request.content_type or ""
        if limit is not None and length > limit and content_type != "multipart/form-data":
            return api_error(413)
        if length and content_type not in _BODY_TYPES:
            return api_error(415)
        return None


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
