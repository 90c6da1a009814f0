from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from core import cache_tags
from pages.visibility import only_visible

from .routing import ExpiryAwareRoutingMixin
from .seo import SeoMixin
from .services import ServiceIndexPage


class HomePage(ExpiryAwareRoutingMixin, SeoMixin, Page):
    """The site root: introduces the agency and points visitors at its services."""

    intro = models.TextField(max_length=1000, blank=True, help_text="A short paragraph introducing the agency.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = ["intro"]

    # Which page types go below it is theirs to say (`parent_page_types`), so apps can add some: `leads.ContactPage`.
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        cache_tags.add(cache_tags.PAGE_TREE)
        context = super().get_context(request, *args, **kwargs)
        context["service_indexes"] = only_visible(ServiceIndexPage.objects.child_of(self))
        return context
