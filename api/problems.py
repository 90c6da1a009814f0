"""
RFC 9457 problem details: the one error format of the API.

Every error the API returns is `application/problem+json`:

    {
      "type": "about:blank",
      "title": "Bad Request",
      "status": 400,
      "detail": "Invalid query parameters.",
      "errors": [{"parameter": "limit", "detail": "A valid integer is required."}]
    }

`errors` appears on 400s and names each offending query parameter (`parameter`) or request
body field (`pointer`, a JSON pointer such as `/sections/3/value/items/1/title`).
"""

import logging

from django.db import DatabaseError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler, set_rollback

from core.errors import service_unavailable
from core.problems import PROBLEM_CONTENT_TYPE, problem_body

logger = logging.getLogger(__name__)


class InvalidParameters(exceptions.APIException):
    """400 for bad query parameters; `errors` maps each parameter to what is wrong with it."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Invalid query parameters."
    default_code = "invalid_parameters"

    def __init__(self, errors: dict[str, list[str] | str], detail: str | None = None):
        super().__init__(detail or self.default_detail)
        self.parameter_errors = [
            {"parameter": name, "detail": message}
            for name, messages in errors.items()
            for message in ([messages] if isinstance(messages, str) else messages)
        ]


class InvalidBody(exceptions.APIException):
    """400 for a request body that fails validation; each error names its field by JSON pointer."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request body is not valid."
    default_code = "invalid_body"

    def __init__(self, errors: list[dict], detail: str | None = None):
        """`errors`: [{"pointer": "/sections/3/value/items/1/title", "detail": "This field is required."}, …]"""
        super().__init__(detail or self.default_detail)
        self.body_errors = errors


class PreconditionFailed(exceptions.APIException):
    """412: the client's `If-Match` names a revision that is no longer the page's latest."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The page has changed since you read it. Read it again and reapply your change."
    default_code = "precondition_failed"

    def __init__(self, current_revision_id: int | None, detail: str | None = None):
        super().__init__(detail or self.default_detail)
        self.current_revision_id = current_revision_id


class PreconditionRequired(exceptions.APIException):
    """428: writes must say which revision they change, with `If-Match: <the page's ETag>`."""

    status_code = 428
    default_detail = "Send If-Match with the page's ETag, so that no one else's change is overwritten."
    default_code = "precondition_required"


def _flatten_validation_errors(data, prefix: str = "") -> list[dict]:
    """Turn DRF's nested ValidationError data into a flat list of {pointer, detail}."""
    if isinstance(data, dict):
        return [error for key, value in data.items() for error in _flatten_validation_errors(value, f"{prefix}/{key}")]
    if isinstance(data, list) and data and all(isinstance(item, str) for item in data):
        return [{"pointer": prefix or "/", "detail": str(item)} for item in data]
    if isinstance(data, list):
        return [
            error
            for index, value in enumerate(data)
            for error in _flatten_validation_errors(value, f"{prefix}/{index}")
        ]
    return [{"pointer": prefix or "/", "detail": str(data)}]


def problem_exception_handler(exc, context):
    """DRF exception handler: render every API error as problem JSON, keeping DRF's headers (Retry-After, Allow)."""
    if isinstance(exc, DatabaseError):
        # A database that is down, or busy past its timeout: a 503 to retry, never a 500 (nor, with DEBUG
        # on, Django's HTML debug page). The transaction is rolled back, so nothing is half written.
        logger.warning("API request failed on the database: %s", exc)
        set_rollback()
        return service_unavailable(context["request"])
    response = exception_handler(exc, context)
    if response is None:
        return None
    errors = None
    extensions = {}
    if isinstance(exc, InvalidBody):
        errors = exc.body_errors
        detail = str(exc.detail)
    elif isinstance(exc, PreconditionFailed):
        detail = str(exc.detail)
        extensions["current_revision_id"] = exc.current_revision_id
    elif isinstance(exc, InvalidParameters):
        errors = exc.parameter_errors
        detail = str(exc.detail)
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten_validation_errors(exc.detail)
        detail = "The request body is not valid."
    else:
        detail = str(response.data.get("detail", "")) if isinstance(response.data, dict) else ""
    response.data = problem_body(response.status_code, detail, errors, **extensions)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
