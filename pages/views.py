"""`/sitemap.xml` and `/robots.txt`: what crawlers may index, and where to find it."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from core import cache_tags
from pages.seo import page_path, page_url
from pages.visibility import visible_pages


class VisiblePagesSitemap(Sitemap):
    """
    The pages of the request's site that anonymous visitors can see (`pages.visibility`).

    Pages whose canonical URL points elsewhere are left out: a sitemap should list only the
    addresses search engines are asked to index.
    """

    def __init__(self, request):
        self.request = request

    def items(self):
        site = Site.find_for_request(self.request)
        if site is None:
            return []
        pages = visible_pages(site).order_by("path").defer_streamfields().specific()
        return [page for page in pages if page_path(page, self.request) and self._is_canonical(page)]

    def _is_canonical(self, page) -> bool:
        canonical = getattr(page, "canonical_url", "")
        return not canonical or canonical == page_url(page, self.request)

    def location(self, page):
        return page_path(page, self.request)

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at


@require_safe
def sitemap(request):
    cache_tags.add(cache_tags.PAGE_TREE)
    return sitemap_views.sitemap(request, {"pages": VisiblePagesSitemap(request)})


@require_safe
def robots_txt(request):
    cache_tags.add(cache_tags.SETTINGS)
    """Open to crawlers except the admin; closed entirely when ROBOTS_DISALLOW_ALL is set (staging)."""
    rules = ["Disallow: /"] if settings.ROBOTS_DISALLOW_ALL else ["Allow: /", "Disallow: /admin/"]
    lines = ["User-agent: *", *rules, "", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
