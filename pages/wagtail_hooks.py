from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def length_hints_js():
    """Live character counts for the SEO title and meta description."""
    return format_html('<script src="{}" defer></script>', static("pages/admin/length-hints.js"))
