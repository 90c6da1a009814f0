"""
Query parameters of each endpoint, validated up front.

Each endpoint declares its parameters as a DRF serializer. `parse_query_params` rejects
any parameter the endpoint does not know and any value that does not fit, with a 400
problem naming the parameter, so a typo (`?limt=5`) is an error, not a silent no-op.
The same serializers document the parameters in OpenAPI.
"""

from django.apps import apps
from rest_framework import serializers
from wagtail.models import Page, Site

from pages.rich_text import FORMAT_HTML, RICH_TEXT_FORMATS

from .problems import InvalidParameters

MAX_PATH_LENGTH = 2048


def page_type_label(model) -> str:
    """The API name of a page type, e.g. `pages.ServicePage`."""
    return f"{model._meta.app_label}.{model.__name__}"


def parse_query_params(request, params_class) -> dict:
    """Validate `request.query_params` against `params_class`; raise a 400 problem naming each bad parameter."""
    params = params_class(data=request.query_params)
    unknown = sorted(set(request.query_params) - set(params.fields))
    errors: dict[str, list[str]] = {name: ["Unknown query parameter."] for name in unknown}
    if not params.is_valid():
        errors.update({name: [str(message) for message in messages] for name, messages in params.errors.items()})
    if errors:
        raise InvalidParameters(errors)
    return params.validated_data


class NoParams(serializers.Serializer):
    """For endpoints that take no query parameters: any parameter is an error."""


class PaginationParams(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, min_value=1, help_text="Page size; values above the maximum are capped to it."
    )
    offset = serializers.IntegerField(required=False, min_value=0, help_text="Number of results to skip.")


class RichTextParams(serializers.Serializer):
    rich_text_format = serializers.ChoiceField(
        choices=RICH_TEXT_FORMATS,
        default=FORMAT_HTML,
        help_text="How rich text is returned: `html` (links and images resolved to absolute URLs) or `markdown`.",
    )


class PageListParams(PaginationParams):
    type = serializers.CharField(
        required=False,
        max_length=500,
        help_text="Only pages of these types, comma-separated, e.g. `pages.ServicePage,pages.HomePage`.",
    )
    slug = serializers.SlugField(required=False, allow_unicode=True, help_text="Only pages with this slug.")

    def validate_type(self, value: str) -> list:
        models = []
        for label in filter(None, (part.strip() for part in value.split(","))):
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                model = None
            if model is None or not issubclass(model, Page) or model is Page:
                raise serializers.ValidationError(f"'{label}' is not a page type. Use e.g. 'pages.ServicePage'.")
            models.append(model)
        if not models:
            raise serializers.ValidationError("Name at least one page type.")
        return models


class PageFindParams(RichTextParams):
    path = serializers.CharField(
        max_length=MAX_PATH_LENGTH, help_text="The page's URL path on the site, e.g. `/services/flask/`."
    )
    site = serializers.CharField(
        required=False,
        max_length=255,
        help_text="Hostname (optionally `host:port`) of the site to look in; defaults to the site serving the request.",
    )

    def validate_path(self, value: str) -> str:
        if not value.startswith("/"):
            raise serializers.ValidationError("The path must start with '/'.")
        return value

    def validate_site(self, value: str) -> Site:
        hostname, _, port = value.partition(":")
        sites = Site.objects.select_related("root_page").filter(hostname=hostname)
        if port:
            if not port.isdigit():
                raise serializers.ValidationError("The port must be a number.")
            sites = sites.filter(port=int(port))
        site = sites.first()
        if site is None:
            raise serializers.ValidationError(f"No site is served at '{value}'.")
        return site
