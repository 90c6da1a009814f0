"""
Query parameters of each endpoint, validated up front.

Each endpoint declares its parameters as a DRF serializer. `parse_query_params` rejects
any parameter the endpoint does not know and any value that does not fit, with a 400
problem naming the parameter, so a typo (`?limt=5`) is an error, not a silent no-op.
The same serializers document the parameters in OpenAPI.
"""

from django.apps import apps
from django.core.validators import RegexValidator
from rest_framework import serializers
from wagtail.models import Locale, Page, Site

from pages.rich_text import FORMAT_HTML, RICH_TEXT_FORMATS

from .problems import InvalidParameters
from .renditions import RenditionsParams

MAX_PATH_LENGTH = 2048


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


# ?ordering= accepts these names, each optionally prefixed with "-" for descending order.
ORDERING_FIELDS = ("title", "slug", "id", "first_published_at", "last_published_at", "path")
MAX_SEARCH_LENGTH = 200


class FieldsParam(serializers.Serializer):
    fields = serializers.CharField(
        required=False,
        max_length=500,
        help_text=(
            "Which fields to return, comma-separated: names to include (`title,slug`), `-name` to leave one out, "
            "`*` for every field. `id` and `type` are always returned."
        ),
    )


def select_fields(value: str | None, available: list[str], default: list[str]) -> list[str]:
    """The fields `?fields=value` selects, in serializer order; raises InvalidParameters naming `fields`."""
    if not value:
        return default
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name.lstrip("-") for name in names if name != "*" and name.lstrip("-") not in available]
    if unknown:
        raise InvalidParameters(
            {"fields": f"Unknown field(s): {', '.join(unknown)}. Available: {', '.join(available)}, or *."}
        )
    includes = [name for name in names if not name.startswith("-")]
    excludes = {name[1:] for name in names if name.startswith("-")}
    if "*" in includes:
        chosen = set(available)
    elif includes:
        chosen = set(includes)
    else:
        chosen = set(default)
    chosen = (chosen - excludes) | {"id", "type"}
    return [name for name in available if name in chosen]


class PageListParams(PaginationParams, FieldsParam):
    type = serializers.CharField(
        required=False,
        max_length=500,
        help_text="Only pages of these types, comma-separated, e.g. `pages.ServicePage,pages.HomePage`.",
    )
    slug = serializers.SlugField(required=False, allow_unicode=True, help_text="Only pages with this slug.")
    child_of = serializers.IntegerField(required=False, min_value=1, help_text="Only direct children of this page.")
    descendant_of = serializers.IntegerField(
        required=False, min_value=1, help_text="Only pages below this page, at any depth."
    )
    ancestor_of = serializers.IntegerField(
        required=False, min_value=1, help_text="Only pages above this page (its breadcrumb trail)."
    )
    search = serializers.CharField(
        required=False,
        max_length=MAX_SEARCH_LENGTH,
        help_text="Full-text search over titles, summaries and section text; results by relevance unless `ordering`.",
    )
    locale = serializers.CharField(
        required=False, max_length=20, help_text="Only pages in this locale, by language code, e.g. `en`."
    )
    ordering = serializers.CharField(
        required=False,
        max_length=200,
        help_text=f"Sort by one or more of {', '.join(ORDERING_FIELDS)}, comma-separated; `-` for descending. "
        "Default: tree order (`path`).",
    )

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

    def validate_locale(self, value: str) -> Locale:
        locale = Locale.objects.filter(language_code=value).first()
        if locale is None:
            codes = ", ".join(Locale.objects.values_list("language_code", flat=True))
            raise serializers.ValidationError(f"No locale '{value}'. Available: {codes}.")
        return locale

    def validate_ordering(self, value: str) -> list[str]:
        terms = [term.strip() for term in value.split(",") if term.strip()]
        unknown = [term for term in terms if term.lstrip("-") not in ORDERING_FIELDS]
        if unknown or not terms:
            allowed = ", ".join(ORDERING_FIELDS)
            raise serializers.ValidationError(
                f"Cannot order by {', '.join(unknown) or 'nothing'}. Use {allowed}, with - for descending."
            )
        return terms

    def validate_search(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give some words to search for.")
        return value


def filter_pages(pages, params: dict):
    """Apply the list filters in `params` (validated PageListParams) to a queryset of visible pages."""
    visible = pages
    for parameter in ("child_of", "descendant_of", "ancestor_of"):
        if parameter in params:
            # Only a page the client may see can anchor a tree filter; others read as nonexistent.
            anchor = visible.filter(pk=params[parameter]).first()
            if anchor is None:
                raise InvalidParameters({parameter: f"No live page has the id {params[parameter]}."})
            pages = getattr(pages, parameter)(anchor)
    if "type" in params:
        pages = pages.type(*params["type"])
    if "slug" in params:
        pages = pages.filter(slug=params["slug"])
    if "locale" in params:
        pages = pages.filter(locale=params["locale"])
    ordering = params.get("ordering")
    if ordering:
        pages = pages.order_by(*ordering, "path")
    if "search" in params:
        # The search backend filters only on indexed fields; narrow by primary key to keep every rule above.
        searchable = Page.objects.filter(pk__in=pages.values("pk"))
        if not ordering:
            return searchable.search(params["search"])
        # The backend sorts only on its indexed filter fields (not `slug`): sort the matches in the database.
        matches = searchable.search(params["search"], order_by_relevance=False)
        return pages.filter(pk__in=[page.pk for page in matches])
    return pages


VERSION_LIVE = "live"
VERSION_DRAFT = "draft"


class VersionParam(serializers.Serializer):
    version = serializers.ChoiceField(
        choices=[VERSION_LIVE, VERSION_DRAFT],
        default=VERSION_LIVE,
        help_text=(
            "`live` (the default): the published page, for everyone. `draft`: the page's latest revision, "
            "published or not, for API tokens whose user may edit the page (401 without a token, 404 when "
            "the user may not edit it); such responses are `private, no-store` and their `ETag` is the "
            "revision's (or, for one section, the section's), to send as `If-Match` with a write."
        ),
    )


class PageDetailParams(RichTextParams, FieldsParam, RenditionsParams, VersionParam):
    pass


class SectionParams(RichTextParams, VersionParam):
    pass


class PageFindParams(PageDetailParams):
    path = serializers.CharField(
        max_length=MAX_PATH_LENGTH,
        # A validator rather than `validate_path`, so that the document states the rule as a `pattern`.
        validators=[RegexValidator(r"^/", message="The path must start with '/'.")],
        help_text="The page's URL path on the site, e.g. `/services/flask/`.",
    )
    site = serializers.CharField(
        required=False,
        max_length=255,
        help_text="Hostname (optionally `host:port`) of the site to look in; defaults to the site serving the request.",
    )

    def validate_site(self, value: str) -> Site:
        hostname, _, port = value.partition(":")
        sites = Site.objects.select_related("root_page").filter(hostname=hostname)
        if port:
            if not (port.isascii() and port.isdigit()):
                raise serializers.ValidationError("The port must be a number.")
            sites = sites.filter(port=int(port))
        site = sites.first()
        if site is None:
            raise serializers.ValidationError(f"No site is served at '{value}'.")
        return site
