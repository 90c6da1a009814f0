"""
Reusable content (snippets):

    GET /api/v1/snippets/calls-to-action/        every shared call to action
    GET /api/v1/snippets/calls-to-action/<id>/   one of them
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from core import cache_tags
from pages.links import with_link_visibility
from pages.models import CallToAction

from ..filters import NoParams, PaginationParams, parse_query_params
from ..pagination import PagePagination
from ..serializers import CallToActionSerializer
from .common import ApiViewMixin, id_from_path, problem_responses


class CallToActionViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = CallToActionSerializer
    pagination_class = PagePagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return with_link_visibility(CallToAction.objects.select_related("link_page")).order_by("name")

    @extend_schema(
        parameters=[PaginationParams],
        responses={200: CallToActionSerializer(many=True), **problem_responses(400)},
        summary="List shared calls to action",
    )
    def list(self, request):
        parse_query_params(request, PaginationParams)
        page_of_results = self.paginate_queryset(self.get_queryset())
        cache_tags.add(cache_tags.SNIPPETS, cache_tags.PAGE_TREE)
        return self.get_paginated_response(self.get_serializer(page_of_results, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: CallToActionSerializer, **problem_responses(400, 404)},
        summary="One shared call to action",
    )
    def retrieve(self, request, pk=None):
        parse_query_params(request, NoParams)
        call_to_action = self.get_queryset().filter(pk=id_from_path(pk)).first()
        if call_to_action is None:
            raise Http404("No call to action has this id.")
        cache_tags.add(cache_tags.snippet_tag(CallToAction, call_to_action.pk), cache_tags.PAGE_TREE)
        return Response(self.get_serializer(call_to_action).data)
