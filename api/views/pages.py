"""
Views of the delivery API: thin, with parameters in `filters`, shapes in `serializers`.

    GET /api/v1/pages/                     live public pages, paginated
    GET /api/v1/pages/<id>/                one page with its typed sections
    GET /api/v1/pages/find/?path=/x/       the same detail, found by URL path (no redirect)
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from wagtail.models import Page, get_page_models

from pages.visibility import visible_pages

from ..filters import PageFindParams, PageListParams, RichTextParams, page_type_label, parse_query_params
from ..pagination import PagePagination
from ..problems import InvalidParameters
from ..serializers import PageSummarySerializer, detail_serializer_for
from .common import ApiContextMixin, problem_responses


def _api_page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if model is not Page]


def _page_detail_schema():
    return PolymorphicProxySerializer(
        component_name="PageDetail",
        serializers={page_type_label(model): detail_serializer_for(model) for model in _api_page_models()},
        resource_type_field_name="type",
    )


PROBLEMS = problem_responses(400, 404)


class PageViewSet(ApiContextMixin, viewsets.GenericViewSet):
    pagination_class = PagePagination
    serializer_class = PageSummarySerializer
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return visible_pages(self.get_site()).order_by("path")

    def detail_response(self, page: Page) -> Response:
        page = page.specific
        serializer_class = detail_serializer_for(type(page))
        return Response(serializer_class(page, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[PageListParams],
        responses={200: PageSummarySerializer(many=True), **PROBLEMS},
        summary="List live pages",
    )
    def list(self, request):
        params = parse_query_params(request, PageListParams)
        pages = self.get_queryset()
        if "type" in params:
            pages = pages.type(*params["type"])
        if "slug" in params:
            pages = pages.filter(slug=params["slug"])
        page_of_results = self.paginate_queryset(pages)
        return self.get_paginated_response(self.get_serializer(page_of_results, many=True).data)

    @extend_schema(
        parameters=[
            RichTextParams,
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The page id."),
        ],
        responses={200: _page_detail_schema(), **PROBLEMS},
        summary="One live page with its sections",
    )
    def retrieve(self, request, pk=None):
        params = parse_query_params(request, RichTextParams)
        self.rich_text_format = params["rich_text_format"]
        if not pk.isdigit():
            raise InvalidParameters({"id": "A page id is a positive whole number."})
        page = self.get_queryset().filter(pk=int(pk)).first()
        if page is None:
            raise Http404("No live page has this id.")
        return self.detail_response(page)

    @extend_schema(
        parameters=[PageFindParams],
        responses={200: _page_detail_schema(), **PROBLEMS},
        summary="Find a live page by its URL path",
    )
    @action(detail=False, methods=["get"])
    def find(self, request):
        params = parse_query_params(request, PageFindParams)
        self.rich_text_format = params["rich_text_format"]
        site = params.get("site") or self.get_site()
        if site is None:
            raise Http404("No site is configured for this host.")
        path = params["path"].strip("/")
        url_path = site.root_page.url_path + (f"{path}/" if path else "")
        page = visible_pages(site).filter(url_path=url_path).first()
        if page is None:
            raise Http404("No live page has this path.")
        return self.detail_response(page)
