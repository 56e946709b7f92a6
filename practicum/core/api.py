"""Every API error is JSON: {"code": "...", "message": "...", "fields": {...}} with a 4xx status."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import path
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import NinjaJSONEncoder

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
        # RFC 6750: a 401 names the scheme to use; a missing, expired or revoked token alike.
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


# Statuses any operation may answer by the way it is called, declared on every operation that
# can meet them so the document is the whole contract (a client, or schemathesis, never sees an
# undeclared status).
_BODY_ERRORS = {400: "The body is not valid JSON", 413: "The body is too large",
                415: "The body is not JSON or a form"}  # fmt: skip
_WRITE_METHODS = {"post", "put", "patch", "delete"}


def declare_errors(schema: dict) -> dict:
    """Adds to each operation of an OpenAPI document the error answers its shape implies."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema())
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}

    def declare(responses: dict, status: int, description: str) -> None:
        if status not in responses and str(status) not in responses:
            responses[status] = {"description": description, **error}

    for operations in schema["paths"].values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            secured = operation.get("security") != [{}]
            if secured:
                declare(responses, 401, "Not logged in, or the token is missing or invalid")
                declare(responses, 403, "Not allowed (or a session request without CSRF token)")
            if any(p.get("in") == "path" for p in parameters):
                declare(responses, 404, "Not found")
            if parameters or "requestBody" in operation:
                declare(responses, 422, "Some fields are not valid")
            if "requestBody" in operation:
                for status, description in _BODY_ERRORS.items():
                    declare(responses, status, description)
            # A party's write can meet a state that changed under it; public ones change nothing.
            if secured and method in _WRITE_METHODS:
                declare(responses, 409, "In conflict with the current state")
    return schema


def _local_times(node) -> None:
    """Times of day here are wall-clock times in a project's time zone, without a UTC offset:
    RFC 3339's partial-time, not its full-time (the JSON Schema "time" format, which needs one)."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            node["format"] = "partial-time"
            node.setdefault("pattern", r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


class PracticumAPI(NinjaAPI):
    """The API, whose OpenAPI document is built once per process (building it takes ~1 s) and
    carries every error status each operation can answer."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        cache = self.__dict__.setdefault("_openapi_cache", {})
        if key not in cache:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            _local_times(schema)
            cache[key] = declare_errors(schema)
        return cache[key]

    def _serve_openapi(self, request, **path_params):
        # Serialized once too: encoding the ~300 kB document costs more than the 10 ms budget.
        key = tuple(sorted(path_params.items()))
        cache = self.__dict__.setdefault("_openapi_json", {})
        if key not in cache:
            schema = self.get_openapi_schema(path_params=path_params)
            cache[key] = json.dumps(schema, cls=NinjaJSONEncoder).encode()
        return HttpResponse(cache[key], content_type="application/json")

    def _get_urls(self):
        urls = super()._get_urls()
        return [
            path(self.openapi_url.lstrip("/"), self._serve_openapi, name="openapi-json")
            if getattr(url, "name", None) == "openapi-json"
            else url
            for url in urls
        ]
