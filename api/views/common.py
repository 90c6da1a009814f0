"""What every API view shares: context for blocks, HTTP caching headers, rate-limit headers, documented errors."""

import uuid

from django.conf import settings
from django.db.models import Max
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS
from wagtail.models import ModelLogEntry, PageLogEntry, Site

from core.problems import PROBLEM_CONTENT_TYPE

from ..problems import InvalidParameters
from ..serializers import ProblemSerializer
from ..throttling import WriteRateThrottle


def problem_responses(*status_codes: int) -> dict:
    """drf-spectacular `responses` entries documenting problem+json errors for these status codes."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="An RFC 9457 problem.")
        for code in status_codes
    }


PAGE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The page id.")
BLOCK_ID = OpenApiParameter("block_id", str, OpenApiParameter.PATH, description="The section's `id`.")


def id_from_path(value: str, parameter: str = "id", what: str = "An id") -> int:
    """An object id in a URL path; 400 naming `parameter` unless it is a positive whole number."""
    # isdigit() alone also accepts digits such as "²" that int() refuses.
    if not (value.isascii() and value.isdigit()):
        raise InvalidParameters({parameter: f"{what} is a positive whole number."})
    return int(value)


def page_id_from_path(value: str) -> int:
    return id_from_path(value, what="A page id")


def section_id_from_path(value: str) -> str:
    """The section id in a URL path, in the form sections store it; 400 naming `block_id` unless it is a UUID."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidParameters({"block_id": "A section id is a UUID, as in the page's `sections[].id`."}) from None


def content_last_modified():
    """
    When published content last changed: the newest entry in Wagtail's audit logs (pages, snippets,
    images, settings). Advisory, for `Last-Modified`; the ETag over the response bytes is exact.
    """
    newest = [
        PageLogEntry.objects.aggregate(newest=Max("timestamp"))["newest"],
        ModelLogEntry.objects.aggregate(newest=Max("timestamp"))["newest"],
    ]
    return max((moment for moment in newest if moment is not None), default=None)


class ApiViewMixin:
    """
    The behaviour every API view shares.

    - Serializer context: the request's site and `api_context` (request, rich text format, base URL, renditions)
      that blocks use to shape their JSON.
    - Caching headers: successful public GETs are `Cache-Control: public` with the configured
      max-age and s-maxage and a `Last-Modified` when the view knows one; errors are `no-store`;
      views serving drafts set `private_response = True` (`private, no-store`), as does any request
      made with an API token. ETags and 304s come from Django's ConditionalGetMiddleware, over the
      exact bytes of the response, unless the view sets its own (a revision's or a section's).
    - Rate limits: the default throttles for every request, and `WriteRateThrottle` (per API token)
      for writes (POST, PUT, PATCH, DELETE); `RateLimit-*` headers on every response.
    """

    rich_text_format = "html"
    # Validated `?renditions=` specs (see api.renditions), added to every image in the response.
    renditions = ()
    private_response = False
    last_modified = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.auth is not None:
            # What a token holder is answered may depend on who they are: never for a shared cache.
            self.private_response = True
        if not self.private_response:
            self.last_modified = content_last_modified()

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method not in SAFE_METHODS:
            throttles.append(WriteRateThrottle())
        return throttles

    def get_site(self) -> Site | None:
        # Site.find_for_request caches its answer on the request.
        return Site.find_for_request(self.request)

    def get_api_context(self) -> dict:
        return {
            "request": self.request,
            "rich_text_format": self.rich_text_format,
            "base_url": self.request.build_absolute_uri("/"),
            "renditions": list(self.renditions),
        }

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["site"] = self.get_site()
        context["api_context"] = self.get_api_context()
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        rate_limit = getattr(request, "rate_limit", None)
        if rate_limit is not None:
            for name, value in rate_limit.headers().items():
                response[name] = value
        if self.private_response:
            patch_cache_control(response, private=True, no_store=True)
        elif request.method in ("GET", "HEAD") and 200 <= response.status_code < 300:
            patch_cache_control(
                response, public=True, max_age=settings.API_CACHE_MAX_AGE, s_maxage=settings.API_CACHE_S_MAXAGE
            )
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified.timestamp())
        else:
            patch_cache_control(response, no_store=True)
        return response
