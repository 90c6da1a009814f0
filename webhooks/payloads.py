"""
What each event says about its subject: ids, paths and URLs of live content, never a draft.

A page event carries `{"page": {...}}` (`page.privacy_changed` adds `{"privacy": {...}}`); snippet,
settings, image and document events `{"snippet": {...}}`, `{"settings": {...}}`, `{"image": {...}}` or
`{"document": {...}}`. `events.record` adds `event`, `delivery_id` and `timestamp` around them:

    {
      "event": "page.published",
      "delivery_id": "7d0c8d1e-…",
      "timestamp": "2026-11-24T10:15:02.123Z",
      "page": {
        "id": 5,
        "type": "pages.ServicePage",
        "title": "Flask development services",
        "path": "/services/flask/",
        "url": "https://www.nextbigit.com/services/flask/",
        "api_url": "https://cms.nextbigit.com/api/v1/pages/5/",
        "revision_id": 42
      }
    }
"""

from datetime import UTC, datetime

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page, PageViewRestriction, Site

from pages.type_labels import page_type_label

# API endpoints serving a snippet or settings model, by model label: the `api_url` of its events.
SNIPPET_DETAIL_URL_NAMES = {"pages.calltoaction": "api:call-to-action-detail"}
SETTINGS_URL_NAMES = {"pages.sitesettings": "api:settings", "pages.navigationmenu": "api:navigation"}


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds: `2026-11-24T10:15:02.123Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def absolute_url(path: str) -> str:
    """`path` on the CMS's own address (WAGTAILADMIN_BASE_URL): events are sent outside any request."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def address_on_site(url_path: str) -> tuple[str, str] | None:
    """(root URL of the site, path on that site) for a page's `url_path`, as Wagtail routes it; None off-site."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            try:
                return root.root_url, reverse("wagtail_serve", args=(url_path[len(root.root_path) :],))
            except NoReverseMatch:
                return None
    return None


def page_subject(page: Page, *, revision_id: int | None = None, previous_url_path: str | None = None) -> dict:
    address = address_on_site(page.url_path)
    described = {
        "id": page.pk,
        "type": page_type_label(page.specific_class or Page),
        "title": page.title,
        "path": address[1] if address else None,
        "url": "".join(address) if address else None,
        "api_url": absolute_url(reverse("api:page-detail", kwargs={"pk": page.pk})),
        "revision_id": revision_id,
    }
    if previous_url_path is not None:
        previous = address_on_site(previous_url_path)
        described["previous_path"] = previous[1] if previous else None
    return {"page": described}


def snippet_subject(model, pk, *, deleted: bool = False) -> dict:
    url_name = SNIPPET_DETAIL_URL_NAMES.get(model._meta.label_lower)
    return {
        "snippet": {
            "type": page_type_label(model),
            "id": pk,
            "api_url": absolute_url(reverse(url_name, kwargs={"pk": pk})) if url_name else None,
            "deleted": deleted,
        }
    }


def privacy_subject(page: Page) -> dict:
    """
    Whether visitors now need more than the URL to see `page`: a view restriction on it or on an ancestor
    (the nearest one names the type). Never a password or a group: those are the editors' business.
    """
    restriction_type = (
        PageViewRestriction.objects.filter(page__in=page.get_ancestors(inclusive=True))
        .order_by("-page__depth")
        .values_list("restriction_type", flat=True)
        .first()
    )
    return {"privacy": {"restricted": restriction_type is not None, "restriction_type": restriction_type}}


def settings_subject(model, pk, site_id: int | None) -> dict:
    url_name = SETTINGS_URL_NAMES.get(model._meta.label_lower)
    return {
        "settings": {
            "type": page_type_label(model),
            "id": pk,
            "site_id": site_id,
            "api_url": absolute_url(reverse(url_name)) if url_name else None,
        }
    }


def image_subject(pk, *, deleted: bool = False) -> dict:
    return {
        "image": {"id": pk, "api_url": absolute_url(reverse("api:image-detail", kwargs={"pk": pk})), "deleted": deleted}
    }


def document_subject(document, *, deleted: bool = False) -> dict:
    """A document and where it is served: on the CMS (Wagtail's serve view), or wherever the storage puts it."""
    url = document.url
    if url.startswith("/"):
        url = absolute_url(url)
    return {"document": {"id": document.pk, "url": url, "deleted": deleted}}
