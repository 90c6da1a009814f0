"""
What the API tells blocks and images that shape their own JSON.

Every section block renders through its own template, validates in `clean()` with errors
keyed by field, keeps display logic in a StructValue, and shapes its own API JSON. The API
passes an `api_context` dict to `get_api_representation`: the request, the rich text
format the client asked for, and the base URL that links are made absolute against.
These read it; they live outside the `blocks` package because images (which blocks use)
read it too.
"""

from django.conf import settings

from pages.rich_text import FORMAT_HTML


def api_base_url(context: dict | None) -> str:
    """The absolute site URL that links in API output are resolved against."""
    context = context or {}
    if context.get("base_url"):
        return context["base_url"]
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"


def api_rich_text_format(context: dict | None) -> str:
    """The rich text format the API client asked for (validated by the API before it gets here)."""
    return (context or {}).get("rich_text_format", FORMAT_HTML)
