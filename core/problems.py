"""
RFC 9457 problem details, the one error format of the API, for code on either side of DRF.

    {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Nothing is published at this address."}

DRF views raise exceptions that `api.problems` renders through `problem_body`; middleware and
error views, which run outside DRF, answer with `problem_response`.
"""

from http import HTTPStatus

from django.http import JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
DEFAULT_TYPE = "about:blank"


def problem_body(
    status_code: int,
    detail: str = "",
    errors: list[dict] | None = None,
    title: str | None = None,
    **extensions,
) -> dict:
    """The problem document; `extensions` are extra members (RFC 9457 §3.2), e.g. `current_revision_id`."""
    body = {
        "type": DEFAULT_TYPE,
        "title": title or HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extensions)
    return body


def problem_response(
    status_code: int, detail: str = "", errors: list[dict] | None = None, headers=None
) -> JsonResponse:
    """A problem+json response for code outside DRF views (404 handler, middleware)."""
    response = JsonResponse(
        problem_body(status_code, detail, errors), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
