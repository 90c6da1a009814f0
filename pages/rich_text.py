"""
Rich text as it leaves the CMS: resolved, absolute, sanitised HTML, or Markdown.

Wagtail stores rich text in its database format (`<a linktype="page" id="3">`), which no
front end can use. `render_rich_text` expands it, makes every link and image URL absolute
against `base_url`, and passes the result through an allow-list sanitiser (nh3), so the
same output is safe whether it lands in a template or in an API consumer's DOM.

Wagtail looks up the pages that a rich text links to once per rich text. `prefetch_page_links`
fetches the pages linked from many rich texts (every section of a page) in one query and keeps
them on each `RichText`; `render_rich_text` then resolves those links without asking the database.
"""

from collections.abc import Iterable
from urllib.parse import urljoin

import nh3
from django.utils.html import escape
from wagtail.api.rich_text import APIRichText
from wagtail.models import Page
from wagtail.rich_text import RichText, expand_db_html
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

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


def linked_page_ids(source: str) -> set[str]:
    """The ids in the `<a linktype="page" id="…">` tags of database-format rich text, as written."""
    tags = (extract_attrs(attributes) for attributes in FIND_A_TAG.findall(source))
    return {tag["id"] for tag in tags if tag.get("linktype") == "page" and tag.get("id")}


def prefetch_page_links(rich_texts: Iterable[RichText]) -> None:
    """
    Fetch the pages linked from all of `rich_texts` in one query and keep them on each one.

    Each rich text gets `prefetched_pages`, shared by all of them: page id (as written in the
    link) → the page, or None when no page has that id. Pages come as their specific type with
    specific fields deferred: a link needs only the page's URL, which the base fields give.
    """
    rich_texts = list(rich_texts)
    ids = set().union(*(linked_page_ids(rich_text.source) for rich_text in rich_texts))
    numeric_ids = {page_id for page_id in ids if page_id.isdigit()}
    pages: dict[str, Page | None] = dict.fromkeys(numeric_ids)
    if numeric_ids:
        found = Page.objects.filter(pk__in=[int(page_id) for page_id in numeric_ids]).specific(defer=True)
        pages.update((str(page.pk), page) for page in found)
    for rich_text in rich_texts:
        rich_text.prefetched_pages = pages


def _resolve_prefetched_page_links(source: str, pages: dict, rich_text_format: str) -> str:
    """
    `source` with each link to a prefetched page written as a plain `<a href>`, as Wagtail would write it.

    HTML gets exactly what Wagtail's page link handler gives (`<a href="…">` from the page's
    localized URL, `<a>` for a page that is gone); Markdown conversion reads a plain `<a href>` as
    a link to that URL, as it reads a page link. Links this cannot settle (a page not prefetched,
    or without a URL) are left for Wagtail to resolve. Wagtail's own rewriting leaves `<a href>`
    tags without a `linktype` as they are.
    """

    def resolve(match) -> str:
        tag = extract_attrs(match.group(1))
        if tag.get("linktype") != "page" or tag.get("id") not in pages:
            return match.group(0)
        page = pages[tag["id"]]
        if page is None:
            return "<a>" if rich_text_format == FORMAT_HTML else match.group(0)
        url = page.localized.url if rich_text_format == FORMAT_HTML else page.url
        return f'<a href="{escape(url)}">' if url is not None else match.group(0)

    return FIND_A_TAG.sub(resolve, source)


def render_rich_text(value: RichText | str, *, rich_text_format: str = FORMAT_HTML, base_url: str | None = None) -> str:
    """Turn database-format rich text into front-end HTML (absolute URLs) or Markdown."""
    source = value.source if isinstance(value, RichText) else value
    pages = getattr(value, "prefetched_pages", None)
    if pages:
        source = _resolve_prefetched_page_links(source, pages, rich_text_format)
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
