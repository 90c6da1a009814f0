"""
Which pages anonymous visitors and API consumers may see.

One definition, used by the rendered site, its listings and menu, the API, the sitemap and the
response cache, so the channels can never disagree: a page is visible when it is live, has no
view restriction on itself or an ancestor, has not passed its expiry date (even if
`publish_scheduled` has not run yet), and belongs to the site being asked about.

    visible_pages(site)          the visible pages, as a base `Page` queryset
    only_visible(pages)          the same rule applied to any page queryset (e.g. `ServicePage.objects`)
    is_published(page)           live and unexpired, from the page's own fields, without a query
    next_expiry()                when the next visible page expires by itself, without any signal

The view-restriction test is a correlated `EXISTS`, not Wagtail's `public()` (which reads every
restriction first, in a query of its own): the rule is then one SQL condition that any query can
embed, such as "menu items whose page is visible", at no extra round trip.
"""

from datetime import datetime

from django.db.models import Exists, F, Min, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet


def not_expired() -> Q:
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def restricted() -> Exists:
    """True for a page with a view restriction (of any kind) on itself or an ancestor: their paths prefix its own."""
    return Exists(PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path"))))


def only_visible(pages: PageQuerySet) -> PageQuerySet:
    """`pages` without those anonymous visitors cannot see."""
    return pages.filter(not_expired(), ~restricted(), live=True)


def visible_pages(site: Site | None = None) -> PageQuerySet:
    """Live, public, unexpired pages of `site` (all sites when None), as a base `Page` queryset."""
    pages = only_visible(Page.objects.all()).exclude(depth=1)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages


def has_expired(page: Page) -> bool:
    return page.expire_at is not None and page.expire_at <= timezone.now()


def is_published(page: Page) -> bool:
    """Live and not past its expiry date: what a page's own fields tell, without asking about restrictions."""
    return page.live and not has_expired(page)


def next_expiry() -> datetime | None:
    """
    The earliest expiry date still ahead among live pages.

    Expiry needs no editor and sends no signal: at that moment the page, and every listing,
    menu and count that includes it, changes by itself. Whatever caches them must not keep
    them past it.
    """
    return Page.objects.filter(live=True, expire_at__gt=timezone.now()).aggregate(next=Min("expire_at"))["next"]
