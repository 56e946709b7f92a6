"""Errors that services raise and both the pages and the JSON API know how to show."""


class ServiceError(Exception):
    """A refused action with a machine-readable code and a sentence for people.

    `status` is the HTTP status the API answers with (4xx).
    """

    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None, fields=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        if status is not None:
            self.status = status


class Refused(ServiceError):
    """The user may know the object exists but may not do this."""

    status = 403


def is_refusal(exc: ServiceError) -> bool:
    """403 and 404: answered by the error pages (core.middleware.ServiceErrorPages) and the
    API's error JSON, never as a message on the page the person came from."""
    return exc.status in (403, 404)


class Conflict(ServiceError):
    status = 409
