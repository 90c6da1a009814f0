"""
What search engines and link previews read about a page, worked out once per request.

`page_seo(page, request)` gives the `<head>` of a page its title, meta description, canonical
URL, Open Graph / Twitter card details and a JSON-LD graph (schema.org Organization on every
page; Service, BreadcrumbList and FAQPage where the page has them). The template tags in
`pages.templatetags.seo_tags` render it; the sitemap builds its URLs with `page_path` too, so
`<loc>` and `<link rel="canonical">` always agree.

Absolute URLs come from the request (its scheme and host, which Django has checked against
ALLOWED_HOSTS and which honours the TLS proxy's X-Forwarded-Proto), not from the Site record.
"""

import json
import logging
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site

from pages.blocks import FAQValue
from pages.models import ServicePage, SiteSettings
from pages.models.seo import META_DESCRIPTION_HINT

logger = logging.getLogger(__name__)

SOCIAL_IMAGE_SPEC = "fill-1200x630"
# Page fields a description falls back on, in order, when the editor left `search_description` empty.
DESCRIPTION_FALLBACK_FIELDS = ("summary", "intro")
# Pages shared as articles; the rest of the site (home, listings, contact) is `website`.
ARTICLE_PAGE_TYPES = (ServicePage,)
# Characters that could end the <script> element or start an HTML comment or entity inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class SocialImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PageSeo:
    title: str
    description: str
    canonical_url: str | None
    og_type: str
    site_name: str
    image: SocialImage | None
    json_ld: SafeString

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def page_title(page: Page, company_name: str) -> str:
    """The `<title>`: the editor's SEO title, else the page title followed by the company."""
    return getattr(page, "seo_title", "") or f"{page.title} | {company_name}"


def truncate_description(text: str, limit: int = META_DESCRIPTION_HINT) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters (ellipsis included)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head, _, _ = cut.rpartition(" ")
    # Keep the whole-word cut unless it throws away most of the text (one very long word).
    if len(head) >= limit // 2:
        cut = head
    return cut.rstrip(" ,;:.–-") + "…"


def meta_description(page: Page) -> str:
    """The editor's search description as written, else the page's summary or intro, shortened."""
    if getattr(page, "search_description", ""):
        return page.search_description
    for field in DESCRIPTION_FALLBACK_FIELDS:
        value = getattr(page, field, "")
        if isinstance(value, str) and value.strip():
            return truncate_description(value)
    return ""


def page_path(page: Page, request) -> str | None:
    """The page's path relative to its site's root URL, or None when the page is not routable."""
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    return parts[2]


def page_url(page: Page, request) -> str | None:
    """The absolute URL of a page of the request's site, on the host and scheme the request came in on."""
    path = page_path(page, request)
    return request.build_absolute_uri(path) if path else None


def canonical_url(page: Page, request) -> str | None:
    """The page's canonical URL; a page listed in parts (`canonical_query`) adds the part's query, e.g. `?page=2`."""
    if getattr(page, "canonical_url", ""):
        return page.canonical_url
    url = page_url(page, request)
    query = page.canonical_query(request) if url and hasattr(page, "canonical_query") else ""
    return f"{url}?{query}" if query else url


def social_image(page: Page, request) -> SocialImage | None:
    """The sharing image: the page's social image, else a service's listing image, cropped to 1200 by 630."""
    image = getattr(page, "social_image", None) or getattr(page, "listing_image", None)
    if image is None:
        return None
    try:
        rendition = image.get_rendition(SOCIAL_IMAGE_SPEC)
    except SourceImageIOError:
        # A missing original must cost the page its preview image, not the page itself.
        logger.warning("Social image %s of page %s has no readable file", image.pk, page.pk)
        return None
    return SocialImage(
        url=request.build_absolute_uri(rendition.url),
        width=rendition.width,
        height=rendition.height,
        alt=rendition.alt,
    )


def organization(settings: SiteSettings, request) -> dict:
    home = request.build_absolute_uri("/")
    data = {"@type": "Organization", "@id": f"{home}#organization", "name": settings.company_name, "url": home}
    if settings.contact_email:
        data["email"] = settings.contact_email
    if settings.contact_phone:
        data["telephone"] = settings.contact_phone
    same_as = [link.url for link in settings.social_links.all()]
    if same_as:
        data["sameAs"] = same_as
    return data


def breadcrumbs(page: Page, request, url: str) -> dict | None:
    """Home → … → page, as service pages show it (the site root is "Home"); None if any step has no URL."""
    site = Site.find_for_request(request)
    if site is None or page.depth <= site.root_page.depth:
        return None
    trail = list(page.get_ancestors().descendant_of(site.root_page, inclusive=True).order_by("depth"))
    items = []
    for position, crumb in enumerate([*trail, page], start=1):
        crumb_url = page_url(crumb, request)
        if crumb_url is None:
            return None
        name = "Home" if crumb.depth == site.root_page.depth else crumb.title
        items.append({"@type": "ListItem", "position": position, "name": name, "item": crumb_url})
    return {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": items}


def faq_entries(page: Page) -> list[dict[str, str]]:
    """Questions and plain-text answers from every FAQ section of the page, in page order."""
    sections = getattr(page, "sections", None) or []
    return [
        entry
        for section in sections
        if isinstance(section.value, FAQValue)
        for entry in section.value.faq_page_entries()
        if entry["question"] and entry["answer_text"]
    ]


def structured_data(page: Page, request, settings: SiteSettings, description: str, canonical: str | None) -> dict:
    """The page's schema.org graph; nodes refer to each other by `@id` instead of repeating themselves."""
    org = organization(settings, request)
    graph = [org]
    url = page_url(page, request)
    if url is None:
        return {"@context": "https://schema.org", "@graph": graph}
    if isinstance(page, ServicePage):
        graph.append(
            {
                "@type": "Service",
                "@id": f"{url}#service",
                "name": page.title,
                "description": page.summary or description,
                "provider": {"@id": org["@id"]},
                "url": canonical,
            }
        )
        trail = breadcrumbs(page, request, url)
        if trail is not None:
            graph.append(trail)
    questions = faq_entries(page)
    if questions:
        graph.append(
            {
                "@type": "FAQPage",
                "@id": f"{url}#faq",
                "url": canonical,
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": entry["question"],
                        "acceptedAnswer": {"@type": "Answer", "text": entry["answer_text"]},
                    }
                    for entry in questions
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


def json_ld_script(data: dict) -> SafeString:
    """
    `data` as a `<script type="application/ld+json">` element.

    HTML does not escape inside <script>, so content such as "</script>" would end the element
    early; `<`, `>` and `&` are written as JSON `\\u` escapes instead, which parse back to the same text.
    """
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308 - escaped above


def page_seo(page: Page, request) -> PageSeo:
    settings = SiteSettings.for_request(request)
    description = meta_description(page)
    canonical = canonical_url(page, request)
    return PageSeo(
        title=getattr(page, "seo_title", "") or page.title,
        description=description,
        canonical_url=canonical,
        og_type="article" if isinstance(page, ARTICLE_PAGE_TYPES) else "website",
        site_name=settings.company_name,
        image=social_image(page, request),
        json_ld=json_ld_script(structured_data(page, request, settings, description, canonical)),
    )
