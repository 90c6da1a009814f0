"""
Project middleware: conditional GETs with rate-limit headers, the per-path CSP, request body limits, and
a 503 for a view that fails on the database.
"""

import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import DatabaseError
from django.middleware.http import ConditionalGetMiddleware

from .errors import content_too_large, is_admin_request, service_unavailable
from .ratelimit import RATE_LIMIT_HEADERS

# The logger Django reports its own RequestDataTooBig on, so both refusals end up in one place.
body_limit_logger = logging.getLogger("django.security.RequestDataTooBig")
logger = logging.getLogger(__name__)


class ConditionalGetWithRateLimitMiddleware(ConditionalGetMiddleware):
    """
    Django's ETag / If-None-Match / If-Modified-Since handling (304 Not Modified), keeping the
    `RateLimit-*` headers on 304s, which Django's version drops: clients read them on every response.
    """

    def process_response(self, request, response):
        rate_limit_headers = {name: response[name] for name in RATE_LIMIT_HEADERS if name in response}
        response = super().process_response(request, response)
        if response.status_code == 304:
            for name, value in rate_limit_headers.items():
                response[name] = value
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """
    django-csp's middleware, adding `CONTENT_SECURITY_POLICY_ADDITIONS_BY_PATH` to the policy of
    responses under those path prefixes: the Wagtail admin needs inline scripts and styles, the
    public site does not, so only the admin's responses allow them.

    A view's own `@csp_update` still applies on top.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        for prefix, additions in settings.CONTENT_SECURITY_POLICY_ADDITIONS_BY_PATH.items():
            if request.path_info.startswith(prefix):
                parts.update = _merge_sources(additions, parts.update or {})
        return parts


def _merge_sources(*policies: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for policy in policies:
        for directive, sources in policy.items():
            known = merged.setdefault(directive, [])
            for source in sources:
                if source not in known:
                    known.append(source)
    return merged


class RequestBodyLimitMiddleware:
    """
    413 for a request that declares a body larger than its part of the site accepts, before anything reads it.

    Outside the admin the limit is DATA_UPLOAD_MAX_MEMORY_SIZE: management API bodies (sections as JSON)
    and the contact form are small. Django enforces that limit only when a view reads the body; here
    the API answers 413 before any view, rather than, say, 405 after a client sent megabytes.

    The admin also takes uploads, so its limit is the largest image or document upload plus that: an
    upload that is merely too big still reaches Wagtail's form, which tells the editor the maximum.
    A larger form body in the admin is refused by Django and turned into 413 by `core.errors.bad_request`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        size = declared_body_size(request)
        form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # Every limit is at least this one: most requests need no further look.
        if form_limit is None or size <= form_limit:
            return self.get_response(request)
        limit = self.limit_for(request, form_limit)
        if limit is not None and size > limit:
            body_limit_logger.warning(
                "Refused a %d-byte request body to %s (at most %d bytes accepted there).",
                size,
                request.path,
                limit,
                extra={"status_code": 413, "request": request},
            )
            return content_too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def limit_for(request, form_limit: int) -> int | None:
        """The largest body accepted at the request's path, in bytes; None for no limit."""
        if not is_admin_request(request):
            return form_limit
        upload_limits = (settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE, settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
        if None in upload_limits:
            return None
        return form_limit + max(upload_limits)


def declared_body_size(request) -> int:
    """The request's Content-Length; like Django, a missing or malformed one means no body."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class DatabaseUnavailableMiddleware:
    """
    A view that fails on the database (down, or busy past `SQLITE_BUSY_TIMEOUT` while another process
    writes) answers 503 with Retry-After: its transaction was rolled back, so sending the request again
    is safe. Without DEBUG, Django's 500 handler (`core.errors.server_error`) already answers so; this
    does it with DEBUG on as well, where `make run` serves the admin, instead of a 500 traceback page
    for an editor's "Save draft". The traceback goes to the log. The API maps these errors itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError):
            return None
        logger.warning("%s %s failed on the database: %s", request.method, request.path, exception, exc_info=True)
        return service_unavailable(request)
