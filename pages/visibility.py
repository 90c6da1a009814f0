"""
Which pages anonymous visitors and API consumers may see.

One definition, used by the API, the sitemap and the site's listings, so the channels can
never disagree: a page is visible when it is live, has no view restriction on itself or an
ancestor, has not passed its expiry date (even if `publish_scheduled` has not run yet),
and belongs to the site being asked about.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, Site


def not_expired() -> Q:
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def visible_pages(site: Site | None = None):
    """Live, public, unexpired pages of `site` (all sites when None), as a base `Page` queryset."""
    pages = Page.objects.live().public().filter(not_expired()).exclude(depth=1)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages
