"""
Serializers of the delivery API.

`PageSummarySerializer` is the shape of a page in listings. Detail serializers add the
page's SEO fields and whatever its model lists in `api_fields`; one is built per page type
by `detail_serializer_for`, so each page type has its own OpenAPI schema. StreamFields
serialise through `StreamSectionsField`, which asks each block for its own JSON
(`get_api_representation`): the API shows exactly what the blocks define.

Serializer context: `request` and `api_context` (passed on to blocks: the request, the rich
text format and the base URL for absolute links).
"""

from functools import cache
from urllib.parse import urljoin

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models

from pages.api_context import api_base_url
from pages.blocks.links import button_schema
from pages.blocks.reusable import shared_call_to_action_json
from pages.models import CallToAction, NavigationItem, SiteSettings, SocialLink
from pages.type_labels import page_type_label


class SectionSerializer(serializers.Serializer):
    """One `{"type", "id", "value"}` section; typed in OpenAPI as the union of every section type."""


class StreamSectionsField(serializers.Field):
    """A StreamField as a list of `{"type", "id", "value"}` sections, each value shaped by its block."""

    def __init__(self, stream_block, **kwargs):
        self.stream_block = stream_block
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.stream_block.get_api_representation(value, context=self.context.get("api_context"))


class SelectableFieldsMixin:
    """Lets a view pass `selected_fields` (from `?fields=`) to leave the other fields out."""

    def __init__(self, *args, selected_fields: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if selected_fields is not None:
            for name in set(self.fields) - set(selected_fields):
                self.fields.pop(name)


class PageSummarySerializer(SelectableFieldsMixin, serializers.ModelSerializer):
    """A page as it appears in listings."""

    type = serializers.SerializerMethodField(help_text="The page type, e.g. `pages.ServicePage`.")
    url_path = serializers.SerializerMethodField(help_text="The page's path on its site, e.g. `/services/flask/`.")
    html_url = serializers.SerializerMethodField(help_text="Absolute URL of the rendered page.")
    detail_url = serializers.SerializerMethodField(help_text="Absolute URL of this page in the API.")

    class Meta:
        model = Page
        fields = [
            "id",
            "type",
            "title",
            "slug",
            "url_path",
            "html_url",
            "detail_url",
            "first_published_at",
            "last_published_at",
        ]
        read_only_fields = fields

    def get_type(self, page) -> str:
        return page_type_label(page.specific_class or Page)

    def _url_parts(self, page):
        request = self.context.get("request")
        return page.get_url_parts(request=request) or (None, "", "")

    def get_url_path(self, page) -> str:
        return self._url_parts(page)[2]

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, page) -> str:
        site_id, root_url, page_path = self._url_parts(page)
        request = self.context.get("request")
        request_site = self.context.get("site")
        if request is not None and request_site is not None and request_site.pk == site_id:
            # The page lives on the site that was asked: answer with the host the client used.
            return request.build_absolute_uri(page_path)
        return f"{root_url}{page_path}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_detail_url(self, page) -> str:
        path = reverse("api:page-detail", kwargs={"pk": page.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class SeoSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="The SEO title, or the page title when none is set.")
    description = serializers.CharField(allow_blank=True, help_text="The meta description.")


class PageDetailSerializer(PageSummarySerializer):
    """Base of every page type's detail: the summary plus SEO fields; subclasses add the model's `api_fields`."""

    seo = serializers.SerializerMethodField()

    class Meta(PageSummarySerializer.Meta):
        fields = [*PageSummarySerializer.Meta.fields, "seo"]
        read_only_fields = fields

    @extend_schema_field(SeoSerializer)
    def get_seo(self, page) -> dict:
        return {"title": page.seo_title or page.title, "description": page.search_description}

    def build_standard_field(self, field_name, model_field):
        if isinstance(model_field, StreamField):
            return StreamSectionsField, {"stream_block": model_field.stream_block}
        return super().build_standard_field(field_name, model_field)


@cache
def detail_serializer_for(model: type[Page]) -> type[PageDetailSerializer]:
    """
    The detail serializer of a page type: base fields plus the model's `api_fields`, with `type` fixed to
    the type's label so OpenAPI can tell the types apart. For the base `Page` (mixed listings) `type` is
    read from each page.
    """
    fields = [*PageDetailSerializer.Meta.fields, *getattr(model, "api_fields", [])]
    meta = type("Meta", (PageDetailSerializer.Meta,), {"model": model, "fields": fields, "read_only_fields": fields})
    attributes = {"Meta": meta, "__doc__": model.__doc__}
    if model is not Page:
        label = page_type_label(model)

        @extend_schema_field({"type": "string", "const": label, "description": "The page type."})
        def get_type(self, page) -> str:
            return label

        attributes["get_type"] = get_type
    return type(f"{model.__name__}DetailSerializer", (PageDetailSerializer,), attributes)


def api_page_models() -> list[type[Page]]:
    """The page types the API describes one by one (every type but the base `Page`)."""
    return [model for model in get_page_models() if model is not Page]


def page_detail_union(many: bool = False) -> PolymorphicProxySerializer:
    """Any page type's detail, told apart by `type`: the `PageDetail` component of the OpenAPI document."""
    return PolymorphicProxySerializer(
        component_name="PageDetail",
        serializers=lambda: {page_type_label(model): detail_serializer_for(model) for model in api_page_models()},
        resource_type_field_name="type",
        many=many,
    )


class ProblemErrorSerializer(serializers.Serializer):
    parameter = serializers.CharField(required=False, help_text="The query parameter at fault.")
    pointer = serializers.CharField(required=False, help_text="JSON pointer to the request body field at fault.")
    detail = serializers.CharField(help_text="What is wrong with it.")


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem detail (`application/problem+json`)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(allow_blank=True)
    errors = ProblemErrorSerializer(many=True, required=False)
    current_revision_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="On 412: the page's latest revision, whose ETag to send as `If-Match` after re-reading.",
    )

    class Meta:
        ref_name = "Problem"


@extend_schema_field(button_schema())
class ButtonField(serializers.JSONField):
    """A button as sections give it: label, absolute URL, linked page id."""


class CallToActionSerializer(serializers.ModelSerializer):
    """
    A shared call to action: its id and name, then the value of a `call_to_action` section,
    made by that block (`shared_call_to_action_json`), so both have one shape written once.
    """

    anchor = serializers.CharField(read_only=True)
    button = ButtonField(read_only=True)

    class Meta:
        model = CallToAction
        fields = ["id", "name", "heading", "text", "anchor", "button"]
        read_only_fields = fields

    def to_representation(self, call_to_action) -> dict:
        section = shared_call_to_action_json(call_to_action, self.context.get("api_context"))
        return {"id": call_to_action.pk, "name": call_to_action.name, **section}


class SocialLinkSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_service_display", help_text="The service's display name.")

    class Meta:
        model = SocialLink
        fields = ["service", "label", "url"]
        read_only_fields = fields


class SiteSettingsSerializer(serializers.ModelSerializer):
    social_links = SocialLinkSerializer(many=True, read_only=True)
    default_call_to_action = CallToActionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SiteSettings
        fields = [
            "company_name",
            "contact_email",
            "contact_phone",
            "footer_text",
            "social_links",
            "default_call_to_action",
        ]
        read_only_fields = fields


class NavigationItemSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Absolute URL of the item's target.")
    page_id = serializers.IntegerField(source="link_page_id", allow_null=True, help_text="Id of the linked page.")

    class Meta:
        model = NavigationItem
        fields = ["label", "url", "page_id"]
        read_only_fields = fields

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_url(self, item) -> str | None:
        href = item.link_href
        return urljoin(api_base_url(self.context.get("api_context")), href) if href else None


class NavigationSerializer(serializers.Serializer):
    items = NavigationItemSerializer(many=True, read_only=True)
