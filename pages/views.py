"""
`/sitemap.xml` and `/robots.txt`: what crawlers may index, and where to find it.

`/sitemap.xml` is always a sitemap index, however small the site: it points at sections,
`/sitemap-<section>.xml`, each split into documents of at most `SITEMAP_SECTION_SIZE` URLs
(`/sitemap-pages.xml`, `/sitemap-pages.xml?p=2`, …). An index is valid at any size, so a
crawler never sees the format change as the site grows, and robots.txt keeps pointing at
`/sitemap.xml`.
"""

import re

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from core import cache_tags
from pages.seo import page_path, page_url
from pages.visibility import visible_pages

# How a section's document number is written, and only so: `?p=02` or `?p=+2` would be the same document
# under another response-cache key (`p` is one of RESPONSE_CACHE_PAGE_QUERY_PARAMETERS).
DOCUMENT_NUMBER = re.compile(r"[1-9][0-9]*")


class ListedPagesPaginator(Paginator):
    """
    Splits the visible pages into documents by count in the database, then leaves out those not listed.

    Counting and slicing in the database keeps a document's cost that of its own pages, whatever the
    site's size. The few pages left out afterwards (canonical elsewhere) leave a document a little
    short rather than moving pages between documents.
    """

    def __init__(self, pages, per_page: int, is_listed):
        super().__init__(pages, per_page)
        self.is_listed = is_listed

    def page(self, number):
        document = super().page(number)
        document.object_list = [page for page in document.object_list if self.is_listed(page)]
        return document


class VisiblePagesSitemap(Sitemap):
    """
    The pages of the request's site that anonymous visitors can see (`pages.visibility`).

    Pages whose canonical URL points elsewhere are left out: a sitemap should list only the
    addresses search engines are asked to index.
    """

    def __init__(self, request):
        self.request = request
        self.site = Site.find_for_request(request)

    def visible_pages(self):
        if self.site is None:
            return Page.objects.none()
        return visible_pages(self.site)

    def items(self):
        # Shallowest first, then in tree order: the home page and the sections' index pages open the
        # first document, and a document's queries depend on its page types (one query each), not its size.
        return self.visible_pages().order_by("depth", "path").defer_streamfields().specific()

    @cached_property
    def paginator(self):
        return ListedPagesPaginator(self.items(), settings.SITEMAP_SECTION_SIZE, self._is_listed)

    def _is_listed(self, page) -> bool:
        if not page_path(page, self.request):
            return False
        canonical = getattr(page, "canonical_url", "")
        return not canonical or canonical == page_url(page, self.request)

    def location(self, page):
        return page_path(page, self.request)

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at

    def get_latest_lastmod(self):
        """The index's date for the section: one aggregate, where Django's default would load every page."""
        changed = Coalesce("last_published_at", "latest_revision_created_at")
        return self.visible_pages().aggregate(latest=Max(changed))["latest"]


def sitemap_sections(request) -> dict[str, Sitemap]:
    """The sections of the sitemap, by the name in their URL (`/sitemap-<name>.xml`)."""
    return {"pages": VisiblePagesSitemap(request)}


@require_safe
def sitemap_index(request):
    """`/sitemap.xml`: every document of every section."""
    cache_tags.add(cache_tags.PAGE_TREE)
    return sitemap_views.index(request, sitemap_sections(request), sitemap_url_name="sitemap_section")


@require_safe
def sitemap_section(request, section: str):
    """`/sitemap-<section>.xml?p=N`: one document of a section; 404 for an unknown section or document."""
    if "p" in request.GET and not DOCUMENT_NUMBER.fullmatch(request.GET["p"]):
        raise Http404("No such sitemap document")
    cache_tags.add(cache_tags.PAGE_TREE)
    return sitemap_views.sitemap(request, sitemap_sections(request), section=section)


@require_safe
def robots_txt(request):
    """Open to crawlers except the admin; closed entirely when ROBOTS_DISALLOW_ALL is set (staging)."""
    cache_tags.add(cache_tags.SETTINGS)
    rules = ["Disallow: /"] if settings.ROBOTS_DISALLOW_ALL else ["Allow: /", "Disallow: /admin/"]
    lines = ["User-agent: *", *rules, "", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
