from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core import cache_tags
from pages.blocks import ServiceSectionsBlock
from pages.images import LISTING_RENDITION, SECTION_TEMPLATE_RENDITIONS, renditions_prefetch
from pages.streams import prefetch_section_lookups
from pages.visibility import only_visible

from .routing import ExpiryAwareRoutingMixin
from .seo import SeoMixin

# Services listed on each page of the services index (`/services/?page=2` for the next ones).
SERVICES_PER_PAGE = 12


class ServiceIndexPage(ExpiryAwareRoutingMixin, SeoMixin, Page):
    """Lists the agency's services (/services/), twelve a page on the site (`/services/?page=2` for the next)."""

    intro = models.TextField(max_length=1000, blank=True, help_text="Shown above the list of services.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = ["intro"]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.ServicePage"]

    class Meta:
        verbose_name = "service index page"

    def get_context(self, request, *args, **kwargs):
        cache_tags.add(cache_tags.PAGE_TREE)
        context = super().get_context(request, *args, **kwargs)
        context["services"] = self.services_page(request)
        return context

    def services_page(self, request):
        """The services shown at the request's `?page=N` (the first page without it); 404 for a page not there."""
        services = (
            only_visible(ServicePage.objects.child_of(self))
            .select_related("listing_image")
            .prefetch_related(renditions_prefetch([LISTING_RENDITION], "listing_image__renditions"))
            .order_by("path")
        )
        try:
            return Paginator(services, SERVICES_PER_PAGE).page(request.GET.get("page", 1))
        except InvalidPage as error:
            raise Http404("There is no such page of services.") from error

    def canonical_query(self, request) -> str:
        """`page=N` beyond the first page: each page of the list is its own canonical URL, so all are indexed."""
        number = request.GET.get("page", "")
        return f"page={number}" if number.isascii() and number.isdigit() and int(number) > 1 else ""


class ServicePage(ExpiryAwareRoutingMixin, SeoMixin, Page):
    """One service the agency sells, built from typed, reorderable sections."""

    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences for listings, search results and link previews.",
    )
    sections = StreamField(
        ServiceSectionsBlock(),
        help_text="The page's content. Add, reorder and remove sections; each has its own fields.",
    )

    technology_name = models.CharField(
        max_length=40,
        blank=True,
        help_text="The framework or technology, e.g. 'Flask'; the contact form then reads 'Hire Flask developers'.",
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown beside the summary on the services index. Landscape, at least 800×450.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("technology_name"),
        FieldPanel("listing_image"),
        FieldPanel("sections"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("sections"),
        # The admin's page search autocompletes, so section text must be in the autocomplete index too.
        index.AutocompleteField("summary"),
        index.AutocompleteField("sections"),
    ]
    api_fields = ["summary", "listing_image", "sections"]

    parent_page_types = ["pages.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "service page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Renditions, linked pages and snippet links for every section at once (see pages.streams).
        prefetch_section_lookups([self], renditions=SECTION_TEMPLATE_RENDITIONS)
        return context
