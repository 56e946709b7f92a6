"""Every API error is JSON: {"code": "...", "message": "...", "fields": {...}} with a 4xx status."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from practicum.core.errors import ServiceError


class ErrorOut(Schema):
    """The body of every 4xx answer, declared in operations' responses for the OpenAPI document."""

    code: str
    message: str
    fields: dict[str, list[str]]


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def _ninja_fields(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        # loc is like ("body", "payload", "skills", 0, "level"); drop the transport prefix.
        loc = [
            str(part)
            for part in err.get("loc", ())
            if part not in ("body", "payload", "query", "path")
        ]
        fields.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "Invalid value."))
    return fields


def django_validation_fields(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if key == "__all__" else key): [m for e in errs for m in e.messages]
            for key, errs in exc.error_dict.items()
        }
    return {"__all__": exc.messages}


def install(api) -> None:
    def respond(request, status, code, message, fields=None):
        return api.create_response(request, error_body(code, message, fields), status=status)

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc):
        return respond(
            request, 422, "invalid", "Some fields are not valid.", _ninja_fields(exc.errors)
        )

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc):
        return respond(
            request, 422, "invalid", "Some fields are not valid.", django_validation_fields(exc)
        )

    @api.exception_handler(ServiceError)
    def on_service_error(request, exc):
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request, exc):
        response = respond(request, 401, "unauthenticated", "Log in or send a valid API token.")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        return respond(request, 403, "forbidden", str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return respond(request, 404, "not_found", "Not found.")

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        return respond(request, exc.status_code, "error", str(exc))
