"""
Rich text as it leaves the CMS: resolved, absolute, sanitised HTML, or Markdown.

Wagtail stores rich text in its database format (`<a linktype="page" id="3">`), which no
front end can use. `render_rich_text` expands it, makes every link and image URL absolute
against `base_url`, and passes the result through an allow-list sanitiser (nh3), so the
same output is safe whether it lands in a template or in an API consumer's DOM.
"""

from urllib.parse import urljoin

import nh3
from wagtail.api.rich_text import APIRichText
from wagtail.rich_text import expand_db_html

FORMAT_HTML = "html"
FORMAT_MARKDOWN = "markdown"
RICH_TEXT_FORMATS = (FORMAT_HTML, FORMAT_MARKDOWN)

# Matches the features editors get in the rich text editor (see blocks.text.RICH_TEXT_FEATURES).
ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "a", "ul", "ol", "li", "code", "img"}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_URL_ATTRIBUTES = {("a", "href"), ("img", "src")}


def sanitise_html(html: str, base_url: str | None = None) -> str:
    """Clean `html` against the allow-list; with `base_url`, make relative link and image URLs absolute."""

    def absolutise(tag: str, attribute: str, value: str) -> str:
        if base_url and (tag, attribute) in _URL_ATTRIBUTES and not value.startswith("#"):
            return urljoin(base_url, value)
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=absolutise,
        link_rel=None,
    )


def render_rich_text(source: str, *, rich_text_format: str = FORMAT_HTML, base_url: str | None = None) -> str:
    """Turn database-format rich text into front-end HTML (absolute URLs) or Markdown."""
    if rich_text_format == FORMAT_MARKDOWN:
        markdown = APIRichText.serialize(source, format=APIRichText.FORMAT_MARKDOWN)
        return _absolutise_markdown_links(markdown, base_url)
    return sanitise_html(expand_db_html(source), base_url=base_url)


def _absolutise_markdown_links(markdown: str, base_url: str | None) -> str:
    """Markdown links to site pages come out root-relative; prefix them with the site's base URL."""
    if not base_url:
        return markdown
    base = base_url.rstrip("/")
    return markdown.replace("](/", f"]({base}/")
