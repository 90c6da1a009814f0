"""
Views of the delivery API: thin, with parameters in `filters`, shapes in `serializers`.

    GET /api/v1/pages/                     live public pages, paginated
    GET /api/v1/pages/<id>/                one page with its typed sections
    GET /api/v1/pages/find/?path=/x/       the same detail, found by URL path (no redirect)
"""

import uuid

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from wagtail.models import Page, get_page_models

from cms import cache_tags
from pages.images import DEFAULT_RENDITION
from pages.streams import page_streams, prefetch_lookups, prefetch_section_lookups
from pages.visibility import visible_pages

from .. import examples
from ..filters import (
    PageDetailParams,
    PageFindParams,
    PageListParams,
    RichTextParams,
    filter_pages,
    page_type_label,
    parse_query_params,
    select_fields,
)
from ..pagination import PagePagination
from ..problems import InvalidParameters
from ..serializers import PageSummarySerializer, SectionSerializer, detail_serializer_for
from .common import ApiViewMixin, problem_responses
from .page_workflow import PageWorkflowMixin
from .page_writes import PageWriteMixin


def _api_page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if model is not Page]


def _page_detail_schema(many: bool = False):
    return PolymorphicProxySerializer(
        component_name="PageDetail",
        serializers={page_type_label(model): detail_serializer_for(model) for model in _api_page_models()},
        resource_type_field_name="type",
        many=many,
    )


PROBLEMS = problem_responses(400, 404)


class PageViewSet(PageWriteMixin, PageWorkflowMixin, ApiViewMixin, viewsets.GenericViewSet):
    pagination_class = PagePagination
    serializer_class = PageSummarySerializer
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return visible_pages(self.get_site()).order_by("path")

    def prefetch_sections(self, pages: list[Page], selected_fields: list[str] | None) -> None:
        """Fetch what the selected sections of `pages` look up, in bulk (see `pages.streams`)."""
        prefetch_section_lookups(pages, renditions=[DEFAULT_RENDITION, *self.renditions], fields=selected_fields)

    def detail_response(self, page: Page, selected_fields: list[str] | None = None) -> Response:
        cache_tags.add_page(page)
        page = page.specific
        serializer_class = detail_serializer_for(type(page))
        self.prefetch_sections([page], selected_fields)
        context = self.get_serializer_context()
        return Response(serializer_class(page, context=context, selected_fields=selected_fields).data)

    def get_visible_page(self, pk: str) -> Page:
        if not pk.isdigit():
            raise InvalidParameters({"id": "A page id is a positive whole number."})
        page = self.get_queryset().filter(pk=int(pk)).first()
        if page is None:
            raise Http404("No live page has this id.")
        return page

    def detail_fields(self, page: Page, params: dict) -> list[str]:
        available = list(detail_serializer_for(page.specific_class).Meta.fields)
        return select_fields(params.get("fields"), available, default=available)

    @extend_schema(
        parameters=[PageListParams],
        responses={200: _page_detail_schema(many=True), **PROBLEMS},
        summary="List live pages",
        description=(
            "Live, public pages, in tree order unless `ordering` says otherwise. Each result has the summary "
            "fields by default; with `fields` it can have any field of its type's detail (name one `type` to "
            "select that type's own fields, such as `sections`)."
        ),
    )
    def list(self, request):
        params = parse_query_params(request, PageListParams)
        pages = filter_pages(self.get_queryset(), params)
        types = params.get("type", [])
        model = types[0] if len(types) == 1 else Page
        serializer_class = detail_serializer_for(model)
        selected = select_fields(
            params.get("fields"),
            available=list(serializer_class.Meta.fields),
            default=list(PageSummarySerializer.Meta.fields),
        )
        cache_tags.add(cache_tags.PAGE_TREE)
        results = self.paginate_queryset(pages)
        if model is not Page and set(selected) - set(PageSummarySerializer.Meta.fields):
            # The type's own fields live on its table: fetch this page of results as that type, in one query.
            by_id = model.objects.in_bulk([page.pk for page in results])
            results = [by_id[page.pk] for page in results]
            self.prefetch_sections(results, selected)
        context = self.get_serializer_context()
        serializer = serializer_class(results, many=True, context=context, selected_fields=selected)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        parameters=[PageDetailParams, OpenApiParameter("id", int, OpenApiParameter.PATH, description="The page id.")],
        responses={200: _page_detail_schema(), **PROBLEMS},
        summary="One live page with its sections",
        examples=[examples.SERVICE_PAGE, examples.BAD_PARAMETER, examples.NOT_FOUND],
    )
    def retrieve(self, request, pk=None):
        params = parse_query_params(request, PageDetailParams)
        self.rich_text_format = params["rich_text_format"]
        self.renditions = params.get("renditions", [])
        page = self.get_visible_page(pk)
        return self.detail_response(page, self.detail_fields(page, params))

    @extend_schema(
        parameters=[PageFindParams],
        responses={200: _page_detail_schema(), **PROBLEMS},
        summary="Find a live page by its URL path",
        description="Returns the page's detail directly (no redirect), so query parameters are kept.",
        examples=[examples.SERVICE_PAGE, examples.BAD_PARAMETER, examples.NOT_FOUND],
    )
    @action(detail=False, methods=["get"])
    def find(self, request):
        params = parse_query_params(request, PageFindParams)
        self.rich_text_format = params["rich_text_format"]
        self.renditions = params.get("renditions", [])
        site = params.get("site") or self.get_site()
        if site is None:
            raise Http404("No site is configured for this host.")
        path = params["path"].strip("/")
        url_path = site.root_page.url_path + (f"{path}/" if path else "")
        page = visible_pages(site).filter(url_path=url_path).first()
        if page is None:
            raise Http404("No live page has this path.")
        return self.detail_response(page, self.detail_fields(page, params))

    @extend_schema(
        parameters=[
            RichTextParams,
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The page id."),
            OpenApiParameter("block_id", str, OpenApiParameter.PATH, description="The section's `id`."),
        ],
        responses={200: SectionSerializer, **PROBLEMS},
        summary="One section of a live page, by its id",
    )
    @action(detail=True, methods=["get"], url_path=r"sections/(?P<block_id>[^/]+)")
    def section(self, request, pk=None, block_id=None):
        params = parse_query_params(request, RichTextParams)
        self.rich_text_format = params["rich_text_format"]
        page = self.get_visible_page(pk).specific
        cache_tags.add_page(page)
        try:
            uuid.UUID(block_id)
        except ValueError:
            raise InvalidParameters({"block_id": "A section id is a UUID, as in the page's `sections[].id`."}) from None
        for stream_value in page_streams(page):
            # Found in the raw data, so that only sections of the wanted one's type are loaded.
            position = next((i for i, raw in enumerate(stream_value.raw_data) if raw.get("id") == block_id), None)
            if position is not None:
                child = stream_value[position]
                prefetch_lookups([child.value], renditions=[DEFAULT_RENDITION, *self.renditions])
                return Response(
                    {
                        "type": child.block_type,
                        "id": child.id,
                        "value": child.block.get_api_representation(child.value, self.get_api_context()),
                    }
                )
        raise Http404("This page has no section with this id.")
