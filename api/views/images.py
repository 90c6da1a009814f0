"""
Images in public collections, as renditions:

    GET /api/v1/images/        every public image, paginated, by title
    GET /api/v1/images/<id>/   one of them

Both take `?renditions=` (see `api.renditions`). Images in a collection with a view
restriction, or below one, and images only hidden pages use are neither listed nor served
(`pages.images.public_images`).
"""

import copy

from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core import cache_tags
from pages.images import DEFAULT_RENDITION, IMAGE_SCHEMA, image_api_representation, public_images

from ..filters import PaginationParams, parse_query_params
from ..pagination import PagePagination
from ..renditions import RenditionsParams
from .common import ApiViewMixin, id_from_path, problem_responses

MAX_IMAGE_SEARCH_LENGTH = 100
# Image ids are 32-bit; a larger number cannot name an image.
MAX_IMAGE_ID = 2**31 - 1


class ImageSerializer(serializers.Serializer):
    """An image exactly as sections show it (`image_api_representation`); typed by `ImageSerializerExtension`."""

    def to_representation(self, instance):
        return image_api_representation(instance, self.context.get("api_context"))


class ImageSerializerExtension(OpenApiSerializerExtension):
    """Documents `ImageSerializer` with the schema that sits beside `image_api_representation`."""

    target_class = ImageSerializer

    def get_name(self, auto_schema, direction):
        return "Image"

    def map_serializer(self, auto_schema, direction):
        return copy.deepcopy(IMAGE_SCHEMA)


class ImageListParams(PaginationParams, RenditionsParams):
    search = serializers.CharField(
        required=False,
        max_length=MAX_IMAGE_SEARCH_LENGTH,
        help_text="Only images whose title contains every one of these words (case-insensitive).",
    )

    def validate_search(self, value: str) -> list[str]:
        return value.split()


class ImageViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """
    Images from public collections, each served as renditions (never the original file) with its alt text
    and focal point. Images in a collection with a view restriction, or inside one, and images only hidden
    pages use are not served.
    """

    serializer_class = ImageSerializer
    pagination_class = PagePagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        # Every rendition the response needs, for all images on the page, in one query.
        images = public_images().prefetch_renditions(DEFAULT_RENDITION, *self.renditions)
        return images.order_by("title", "pk")

    @extend_schema(
        parameters=[ImageListParams],
        responses={200: ImageSerializer(many=True), **problem_responses(400)},
        summary="List public images",
    )
    def list(self, request):
        params = parse_query_params(request, ImageListParams)
        self.renditions = params.get("renditions", [])
        images = self.get_queryset()
        for word in params.get("search", []):
            images = images.filter(title__icontains=word)
        page_of_results = self.paginate_queryset(images)
        # Which images are public also depends on the pages that use them.
        cache_tags.add(cache_tags.IMAGES, cache_tags.PAGE_TREE)
        return self.get_paginated_response(self.get_serializer(page_of_results, many=True).data)

    @extend_schema(
        parameters=[RenditionsParams, OpenApiParameter("id", int, OpenApiParameter.PATH, description="The image id.")],
        responses={200: ImageSerializer, **problem_responses(400, 404)},
        summary="One public image",
    )
    def retrieve(self, request, pk=None):
        params = parse_query_params(request, RenditionsParams)
        self.renditions = params.get("renditions", [])
        image_id = id_from_path(pk, what="An image id")
        image = self.get_queryset().filter(pk=image_id).first() if image_id <= MAX_IMAGE_ID else None
        if image is None:
            raise Http404("No public image has this id.")
        cache_tags.add(cache_tags.image_tag(image.pk), cache_tags.PAGE_TREE)
        return Response(self.get_serializer(image).data)
