"""
Rich text as it leaves the CMS: resolved, absolute, sanitised HTML, or Markdown.

Wagtail stores rich text in its database format (`<a linktype="page" id="3">`), which no
front end can use. `render_rich_text` expands it, makes every link and image URL absolute
against `base_url`, and passes the result through an allow-list sanitiser (nh3), so the
same output is safe whether it lands in a template or in an API consumer's DOM.

Wagtail looks up the pages that a rich text links to once per rich text. `prefetch_page_links`
fetches the pages linked from many rich texts (every section of a page) in one query and keeps
them on each `RichText`; `render_rich_text` then resolves those links without asking the database.

Rich text is also sanitised on its way in. `sanitise_stored_rich_text` cleans Wagtail's database
format against an allow-list of what the editor's toolbar can produce, and says what it removed;
the rich text blocks run every value they store through it, whichever path wrote the value.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import nh3
from django.utils.html import escape
from wagtail.api.rich_text import APIRichText
from wagtail.models import Page
from wagtail.rich_text import RichText, expand_db_html
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs
from wagtail.whitelist import check_url

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


# Database-format rich text as the editor writes it (blocks.text.RICH_TEXT_FEATURES): the same
# tags, page links (`<a linktype="page" id="3">`) and the block key Draftail keeps on each block
# element. The editor has no image or embed feature, so `<embed>` is not kept either.
STORED_TAGS = {"p", "br", "h3", "h4", "b", "i", "a", "ul", "ol", "li", "code"}
_BLOCK_KEY = "data-block-key"
STORED_ATTRIBUTES = {
    "*": set(),  # no attribute on every tag: nh3 would otherwise keep `title` and `lang` anywhere
    "a": {"href", "id"},
    "p": {_BLOCK_KEY},
    "h3": {_BLOCK_KEY},
    "h4": {_BLOCK_KEY},
    "li": {_BLOCK_KEY},
}
STORED_ATTRIBUTE_VALUES = {"a": {"linktype": {"page"}}}
# Elements removed with everything inside them: code, styles and other content that is not prose.
# Other disallowed elements are unwrapped, keeping their text; nh3 drops SVG and MathML entirely.
STORED_DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "noscript",
    "textarea",
    "title",
    "iframe",
    "noembed",
    "noframes",
    "xmp",
}
# Re-parsing cleaned HTML can restructure it once more (a heading left inside a heading by an
# unwrapped <div>), so cleaning repeats until the HTML stops changing; two passes are the norm.
_MAX_CLEANING_PASSES = 5


@dataclass(frozen=True)
class SanitisedRichText:
    """Database-format rich text after `sanitise_stored_rich_text`, and what was taken out of it."""

    html: str
    removals: tuple[str, ...]


def sanitise_stored_rich_text(html: str) -> SanitisedRichText:
    """
    Clean database-format rich text and list, for people, what was removed.

    `html` is what a rich text block stores (`RichText.source`). Each removal reads like
    "removed <script> element", "removed onclick attribute from <a>" or
    "removed unsafe link javascript:alert(1)", with "(3 times)" appended when it recurs; changes
    that only normalise the markup (`<br/>` → `<br>`, entities) are not removals. Cleaning the
    result again changes nothing.
    """
    cleaned = clean_stored_rich_text(html)
    return SanitisedRichText(html=cleaned, removals=_describe_removals(html, cleaned) if cleaned != html else ())


def clean_stored_rich_text(html: str) -> str:
    """`sanitise_stored_rich_text(html).html` without working out the removals: what blocks store."""
    for _ in range(_MAX_CLEANING_PASSES):
        cleaned = nh3.clean(
            html,
            tags=STORED_TAGS,
            clean_content_tags=STORED_DROPPED_WITH_CONTENT,
            attributes=STORED_ATTRIBUTES,
            tag_attribute_values=STORED_ATTRIBUTE_VALUES,
            attribute_filter=_filter_stored_attribute,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel=None,
        )
        cleaned = _unmark_page_links_without_id(cleaned)
        if cleaned == html:
            break
        html = cleaned
    return cleaned


def _filter_stored_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if is_safe_link(value) else None
    if tag == "a" and attribute == "id":
        # Only page links carry an id, and it is the page's primary key.
        return value if value.isascii() and value.isdigit() else None
    return value


def _unmark_page_links_without_id(html: str) -> str:
    """
    Make a page link whose id was removed a plain `<a>`: Wagtail's reference index fails on one without.

    nh3 judges attributes one at a time, so this looks at the `<a>` tags it wrote, in which the only
    allowed linktype is always spelt ` linktype="page"` (quotes inside values come out as `&quot;`).
    """

    def unmark(match) -> str:
        attributes = extract_attrs(match.group(1))
        if "linktype" in attributes and "id" not in attributes:
            return match.group(0).replace(' linktype="page"', "", 1)
        return match.group(0)

    return FIND_A_TAG.sub(unmark, html)


def is_safe_link(url: str) -> bool:
    """
    Whether a link URL with an allowed scheme (checked by nh3) is also free of parser tricks.

    nh3 reads the scheme as the URL standard does. This also refuses control characters (never
    in a URL an editor types) and URLs that show a disallowed scheme once whitespace is taken out
    ("java script:"), as Wagtail's own editor does with `check_url`.
    """
    if any(character == "\ufffd" or unicodedata.category(character) == "Cc" for character in url):
        return False
    return check_url(url) is not None


# For describing removals: elements that go with their content, and elements that have none.
_DROPS_CONTENT = STORED_DROPPED_WITH_CONTENT | {"svg", "math"}
_VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SHOWN_URL_LENGTH = 60


class _MarkupInventory(HTMLParser):
    """The elements (with their attributes) and comments of an HTML fragment, in document order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str]]]] = []
        self.comments = 0
        self._open_dropped: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if self._open_dropped:
            return  # inside an element removed with its content: reporting that element is enough
        self.elements.append((tag, [(name, value or "") for name, value in attrs]))
        if tag in _DROPS_CONTENT:
            self._open_dropped.append(tag)

    def handle_startendtag(self, tag, attrs):
        if not self._open_dropped:
            self.elements.append((tag, [(name, value or "") for name, value in attrs]))

    def handle_endtag(self, tag):
        if self._open_dropped and self._open_dropped[-1] == tag:
            self._open_dropped.pop()

    def handle_comment(self, data):
        if not self._open_dropped:
            self.comments += 1


def _describe_removals(before: str, after: str) -> tuple[str, ...]:
    """What `before` has that `after` lacks: elements, attributes, links and comments, in document order."""
    kept = _MarkupInventory(after)
    kept_tags = Counter(tag for tag, _ in kept.elements)
    kept_attributes = Counter((tag, name) for tag, attributes in kept.elements for name, _ in attributes)
    kept_links = Counter(
        value for tag, attributes in kept.elements if tag == "a" for name, value in attributes if name == "href"
    )
    original = _MarkupInventory(before)
    removals = []
    for tag, attributes in original.elements:
        if not kept_tags[tag]:
            removals.append(_element_removal(tag))
            continue
        kept_tags[tag] -= 1
        for name, value in attributes:
            if (tag, name) == ("a", "href"):
                if kept_links[value]:
                    kept_links[value] -= 1
                else:
                    removals.append(f"removed unsafe link {_shown_url(value)}")
            elif kept_attributes[(tag, name)]:
                kept_attributes[(tag, name)] -= 1
            else:
                removals.append(f"removed {name} attribute from <{tag}>")
    removals += ["removed HTML comment"] * max(original.comments - kept.comments, 0)
    return tuple(f"{removal} ({count} times)" if count > 1 else removal for removal, count in Counter(removals).items())


def _element_removal(tag: str) -> str:
    if tag in _DROPS_CONTENT or tag in _VOID_ELEMENTS:
        return f"removed <{tag}> element"
    return f"removed <{tag}> tag, kept its text"


def _shown_url(url: str) -> str:
    """`url` for a message: control characters made visible, long URLs cut short."""
    shown = "".join(
        character if character.isprintable() else character.encode("unicode_escape").decode() for character in url
    )
    return shown if len(shown) <= _SHOWN_URL_LENGTH else shown[: _SHOWN_URL_LENGTH - 1] + "…"


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
