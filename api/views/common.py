"""What every API view shares: the site being asked about, the context blocks need, documented errors."""

from drf_spectacular.utils import OpenApiResponse
from wagtail.models import Site

from ..problems import PROBLEM_CONTENT_TYPE
from ..serializers import ProblemSerializer


def problem_responses(*status_codes: int) -> dict:
    """drf-spectacular `responses` entries documenting problem+json errors for these status codes."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="An RFC 9457 problem.")
        for code in status_codes
    }


class ApiContextMixin:
    """Puts the request's site and the block rendering context (`api_context`) into serializer context."""

    rich_text_format = "html"

    def get_site(self) -> Site | None:
        # Site.find_for_request caches its answer on the request.
        return Site.find_for_request(self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["site"] = self.get_site()
        context["api_context"] = {
            "request": self.request,
            "rich_text_format": self.rich_text_format,
            "base_url": self.request.build_absolute_uri("/"),
        }
        return context
