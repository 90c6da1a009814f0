"""Site-wide template tags: the main menu and the footer, read from the editable site settings."""

from django import template

from core import cache_tags
from pages.models import NavigationMenu, SiteSettings

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The menu editors arrange under Settings → Navigation menu, with the current section marked."""
    request = context["request"]
    cache_tags.add(cache_tags.NAVIGATION)
    menu = NavigationMenu.for_request(request)
    entries = []
    for item in menu.shown_items():
        href = item.link_href
        is_current = bool(href) and (request.path == href or (href != "/" and request.path.startswith(href)))
        entries.append({"label": item.label, "href": href, "is_current": is_current})
    return {"entries": entries}


@register.inclusion_tag("includes/footer.html", takes_context=True)
def site_footer(context):
    cache_tags.add(cache_tags.SETTINGS)
    settings = SiteSettings.for_request(context["request"])
    return {"site_settings": settings, "social_links": settings.social_links.all()}
