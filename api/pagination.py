"""Limit/offset pagination that refuses nonsense instead of silently ignoring it."""

from collections import OrderedDict

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response


class PagePagination(LimitOffsetPagination):
    """`?limit=` (capped at API_MAX_PAGE_SIZE) and `?offset=`; invalid values are rejected by the query params."""

    default_limit = settings.API_DEFAULT_PAGE_SIZE
    max_limit = settings.API_MAX_PAGE_SIZE

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("count", self.count),
                    ("limit", self.limit),
                    ("offset", self.offset),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "limit", "offset", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Total number of matching pages."},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "results": schema,
            },
        }
