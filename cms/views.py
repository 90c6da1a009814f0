"""Error views: problem JSON under /api/, the site's own friendly pages everywhere else."""

import sys

from django.db import DatabaseError
from django.shortcuts import render

from api.problems import problem_response

RETRY_AFTER_SECONDS = 30


def _is_api_request(request) -> bool:
    return request.path.startswith("/api/")


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
