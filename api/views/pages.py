"""
Views of the delivery API: thin, with parameters in `filters`, shapes in `serializers`.

    GET /api/v1/pages/                     live public pages, paginated
    GET /api/v1/pages/<id>/                one page with its typed sections
    GET /api/v1/pages/find/?path=/x/       the same detail, found by URL path (no redirect)
    GET /api/v1/pages/<id>/sections/<block-id>/   one section

With `?version=draft`, the last three serve the page's latest revision to API tokens whose user may
edit it (see `get_draft`). Writes live in `page_writes`, revisions and publishing in `page_workflow`.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from wagtail.models import Page

from core import cache_tags
from pages.images import DEFAULT_RENDITION
from pages.streams import page_streams, prefetch_lookups, prefetch_section_lookups
from pages.visibility import visible_pages

from .. import examples
from ..concurrency import section_etag, set_revision_etag
from ..filters import (
    VERSION_DRAFT,
    PageDetailParams,
    PageFindParams,
    PageListParams,
    SectionParams,
    filter_pages,
    parse_query_params,
    select_fields,
)
from ..pagination import PagePagination
from ..permissions import page_with_drafts_for
from ..sections_input import section_input_value
from ..serializers import PageSummarySerializer, SectionSerializer, detail_serializer_for, page_detail_union
from .common import BLOCK_ID, PAGE_ID, ApiViewMixin, page_id_from_path, problem_responses, section_id_from_path
from .page_workflow import PageWorkflowMixin
from .page_writes import PageWriteMixin

PROBLEMS = problem_responses(400, 404)
DRAFT_ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200],
    description='With `version=draft`: the page\'s latest revision (`"revision-<id>"`) or, for one section, the '
    "section's own ETag, to send as `If-Match` with a write. Otherwise a hash of the response.",
)


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
        page = self.get_queryset().filter(pk=page_id_from_path(pk)).first()
        if page is None:
            raise Http404("No live page has this id.")
        return page

    def ensure_token(self) -> None:
        if self.request.auth is None:
            raise NotAuthenticated("Drafts are for API tokens: send `Authorization: Bearer <token>`.")

    def get_draft(self, page: Page | None) -> Page:
        """
        `page` as its latest revision has it, published or not, for a token whose user may edit it;
        404 for anyone else, as for a page that does not exist. Call `ensure_token` first.
        """
        return page_with_drafts_for(self.request, page).specific.get_latest_revision_as_object()

    def get_page_version(self, pk: str, version: str) -> Page:
        if version != VERSION_DRAFT:
            return self.get_visible_page(pk)
        self.ensure_token()
        return self.get_draft(Page.objects.filter(pk=page_id_from_path(pk)).first())

    def version_response(self, page: Page, params: dict) -> Response:
        response = self.detail_response(page, self.detail_fields(page, params))
        if params["version"] == VERSION_DRAFT:
            set_revision_etag(response, page)
        return response

    def detail_fields(self, page: Page, params: dict) -> list[str]:
        available = list(detail_serializer_for(page.specific_class).Meta.fields)
        return select_fields(params.get("fields"), available, default=available)

    @extend_schema(
        parameters=[PageListParams],
        responses={200: page_detail_union(many=True), **PROBLEMS},
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
        parameters=[
            PageDetailParams,
            PAGE_ID,
            DRAFT_ETAG,
        ],
        responses={200: page_detail_union(), **PROBLEMS},
        summary="One page with its sections: live, or its latest draft",
        examples=[examples.SERVICE_PAGE, examples.BAD_PARAMETER, examples.NOT_FOUND],
    )
    def retrieve(self, request, pk=None):
        params = parse_query_params(request, PageDetailParams)
        self.rich_text_format = params["rich_text_format"]
        self.renditions = params.get("renditions", [])
        page = self.get_page_version(pk, params["version"])
        return self.version_response(page, params)

    @extend_schema(
        parameters=[PageFindParams, DRAFT_ETAG],
        responses={200: page_detail_union(), **PROBLEMS},
        summary="Find a page by its URL path: live, or its latest draft",
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
        if params["version"] == VERSION_DRAFT:
            self.ensure_token()
            site_pages = Page.objects.descendant_of(site.root_page, inclusive=True)
            page = self.get_draft(site_pages.filter(url_path=url_path).first())
        else:
            page = visible_pages(site).filter(url_path=url_path).first()
            if page is None:
                raise Http404("No live page has this path.")
        return self.version_response(page, params)

    def section_data(self, child) -> dict:
        """One section (a StreamChild) as the API shows it: `{"type", "id", "value"}`."""
        prefetch_lookups([child.value], renditions=[DEFAULT_RENDITION, *self.renditions])
        return {
            "type": child.block_type,
            "id": child.id,
            "value": child.block.get_api_representation(child.value, self.get_api_context()),
        }

    @extend_schema(
        parameters=[
            SectionParams,
            PAGE_ID,
            BLOCK_ID,
            DRAFT_ETAG,
        ],
        responses={200: SectionSerializer, **PROBLEMS},
        summary="One section of a page, by its id: live, or in the latest draft",
    )
    @action(detail=True, methods=["get"], url_path=r"sections/(?P<block_id>[^/]+)")
    def section(self, request, pk=None, block_id=None):
        params = parse_query_params(request, SectionParams)
        self.rich_text_format = params["rich_text_format"]
        page = self.get_page_version(pk, params["version"]).specific
        cache_tags.add_page(page)
        block_id = section_id_from_path(block_id)
        for stream_value in page_streams(page):
            # Found in the raw data, so that only sections of the wanted one's type are loaded.
            position = next((i for i, raw in enumerate(stream_value.raw_data) if raw.get("id") == block_id), None)
            if position is not None:
                child = stream_value[position]
                response = Response(self.section_data(child))
                if params["version"] == VERSION_DRAFT:
                    response["ETag"] = section_etag(section_input_value(child))
                return response
        raise Http404("This page has no section with this id.")

    # Writes to one section, at the same URL (bodies in api.views.page_writes).
    section.mapping.patch(PageWriteMixin.update_section)
    section.mapping.delete(PageWriteMixin.delete_section)
