"""Error views: problem JSON under /api/, the site's own friendly pages everywhere else."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults

from .problems import problem_response

RETRY_AFTER_SECONDS = 30


def _is_api_request(request) -> bool:
    """Whether errors at the request's path are problem JSON (`PROBLEM_JSON_PATH_PREFIXES`) rather than pages."""
    return request.path.startswith(tuple(settings.PROBLEM_JSON_PATH_PREFIXES))


def is_admin_request(request) -> bool:
    """Whether the request is for the Wagtail admin (whose limits, checks and pages differ from the site's)."""
    return request.path.startswith(reverse("wagtailadmin_home"))


def bad_request(request, exception=None):
    """400, or 413 when the body was too large for Django to read (DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    if isinstance(exception, RequestDataTooBig):
        return content_too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if _is_api_request(request):
        return problem_response(400, "The request could not be understood.")
    return defaults.bad_request(request, exception)


def content_too_large(request, limit: int):
    """413: the request body is larger than `limit` bytes, what this part of the site accepts."""
    if _is_api_request(request):
        return problem_response(413, f"The request body is larger than the {limit} bytes accepted here.")
    return render(request, "413.html", {"limit": limit}, status=413)


def page_not_found(request, exception=None):
    if _is_api_request(request):
        return problem_response(404, "Nothing is published at this address.")
    return render(request, "404.html", status=404)


def server_error(request):
    # Django calls this while handling the exception, so it is still at hand.
    if isinstance(sys.exc_info()[1], DatabaseError):
        return service_unavailable(request)
    if _is_api_request(request):
        return problem_response(500, "The server could not answer this request. Please try again.")
    return render(request, "500.html", status=500)


def service_unavailable(request):
    """503 while the database is unreachable: the site recovers by itself once it is back."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if _is_api_request(request):
        return problem_response(503, "The service is briefly unavailable. Please retry shortly.", headers=headers)
    response = render(request, "503.html", status=503)
    response["Retry-After"] = headers["Retry-After"]
    return response
