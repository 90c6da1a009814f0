"""`<head>` tags for search engines and link previews; the decisions live in `pages.seo`."""

from django import template
from wagtail.models import Page

from pages import seo
from pages.models import SiteSettings

register = template.Library()


def _page_and_request(context):
    """The Wagtail page being rendered and its request; `page` is None on pages such as the 404."""
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, Page) or request is None:
        return None, request
    return page, request


@register.simple_tag(takes_context=True)
def page_title(context) -> str:
    """The editor's SEO title, else "page title | company" (escaped by the template engine)."""
    page, request = _page_and_request(context)
    company_name = SiteSettings.for_request(request).company_name if request is not None else ""
    if page is None:
        return company_name
    return seo.page_title(page, company_name)


@register.inclusion_tag("includes/seo_meta.html", takes_context=True)
def seo_meta(context) -> dict:
    """Meta description, canonical link, Open Graph and Twitter card tags, and the JSON-LD graph."""
    page, request = _page_and_request(context)
    if page is None:
        return {"seo": None}
    return {"seo": seo.page_seo(page, request)}
