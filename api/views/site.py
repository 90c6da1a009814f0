"""
Site-wide content for front ends:

    GET /api/v1/settings/      company details, social links, the default call to action
    GET /api/v1/navigation/    the main menu, in the order editors arranged it
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from core import cache_tags
from pages.links import with_link_visibility
from pages.models import CallToAction, NavigationMenu, SiteSettings

from ..filters import NoParams, parse_query_params
from ..serializers import NavigationSerializer, SiteSettingsSerializer
from .common import ApiViewMixin, problem_responses


class SiteSettingsView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = SiteSettingsSerializer

    @extend_schema(responses={200: SiteSettingsSerializer, **problem_responses(400)}, summary="Site settings")
    def get(self, request):
        parse_query_params(request, NoParams)
        settings = SiteSettings.for_site(self.get_site())
        call_to_action = with_link_visibility(CallToAction.objects.select_related("link_page"))
        settings = SiteSettings.objects.prefetch_related(
            Prefetch("default_call_to_action", queryset=call_to_action), "social_links"
        ).get(pk=settings.pk)
        cache_tags.add(cache_tags.SETTINGS, cache_tags.PAGE_TREE)
        return Response(self.get_serializer(settings).data)


class NavigationView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = NavigationSerializer

    @extend_schema(responses={200: NavigationSerializer, **problem_responses(400)}, summary="Main navigation menu")
    def get(self, request):
        parse_query_params(request, NoParams)
        menu = NavigationMenu.for_site(self.get_site())
        cache_tags.add(cache_tags.NAVIGATION)
        return Response(self.get_serializer({"items": menu.shown_items()}).data)
