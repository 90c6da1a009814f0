"""
The small part of Markdown that service articles use inside paragraphs: emphasis, inline code, links, lists.

    >>> inline_html("Use **Django** with [DRF](https://www.django-rest-framework.org/).")
    'Use <b>Django</b> with <a href="https://www.django-rest-framework.org/">DRF</a>.'
    >>> inline_text("Use **Django** with [DRF](https://www.django-rest-framework.org/).")
    'Use Django with DRF.'
    >>> paragraphs_html(["Three things:", "- fast", "- *safe*"])
    '<p>Three things:</p><ul><li>fast</li><li><i>safe</i></li></ul>'

The HTML is in Wagtail's database format for the text section's editor features (`<b>`, `<i>`,
`<code>`, `<a href>`, `<ul>`/`<ol>`). HTML written in the article is escaped, never interpreted,
and a link whose URL a button would refuse (javascript:, data:…) keeps only its label.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.html import escape

from pages.blocks import validate_button_url

# One alternative per construct; code spans come first because nothing inside them is markup.
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))+)\)"
    r"|\*\*(?P<bold>\S(?:.*?\S)?)\*\*"
    r"|(?<!\w)__(?P<bold_underscores>\S(?:.*?\S)?)__(?!\w)"
    r"|(?<![\w*])\*(?P<italic>[^\s*](?:.*?[^\s*])?)\*(?![\w*])"
    r"|(?<!\w)_(?P<italic_underscores>[^\s_](?:.*?[^\s_])?)_(?!\w)"
)
_LIST_ITEM = re.compile(r"^(?P<marker>[-*+]|\d{1,9}[.)])\s+(?P<text>.+)$")
# A link's URL may hold one level of balanced parentheses, as Markdown allows: (https://w/Foo_(bar)).
_LINK = re.compile(r"\[(?P<label>[^\]]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))+)\)")


def _is_safe_url(url: str) -> bool:
    try:
        validate_button_url(url)
    except ValidationError:
        return False
    return True


def _convert(text: str, *, html: bool) -> str:
    as_text = escape if html else str
    parts = []
    position = 0
    for match in _INLINE.finditer(text):
        parts.append(as_text(text[position : match.start()]))
        position = match.end()
        if match["code"] is not None:
            parts.append(f"<code>{escape(match['code'])}</code>" if html else match["code"])
        elif match["label"] is not None:
            label = _convert(match["label"], html=html)
            url = match["url"]
            parts.append(f'<a href="{escape(url)}">{label}</a>' if html and _is_safe_url(url) else label)
        elif (bold := match["bold"] or match["bold_underscores"]) is not None:
            inner = _convert(bold, html=html)
            parts.append(f"<b>{inner}</b>" if html else inner)
        else:
            inner = _convert(match["italic"] or match["italic_underscores"], html=html)
            parts.append(f"<i>{inner}</i>" if html else inner)
    parts.append(as_text(text[position:]))
    return "".join(parts)


def inline_html(text: str) -> str:
    """`text` with its inline Markdown as rich-text HTML, everything else escaped."""
    return _convert(text, html=True)


def inline_text(text: str) -> str:
    """`text` without its inline Markdown: the words a reader sees, for plain-text fields."""
    return _convert(text, html=False)


def link_urls(text: str) -> list[str]:
    """The URLs of the Markdown links in `text`."""
    return [match["url"] for match in _LINK.finditer(text)]


@dataclass
class _Segment:
    tag: str  # "p", "ul" or "ol"
    parts: list[str]


def _segments(lines: list[str]) -> list[_Segment]:
    """Consecutive lines grouped into a paragraph or a list; a line that is not an item continues the item above."""
    segments: list[_Segment] = []
    for line in lines:
        item = _LIST_ITEM.match(line)
        last = segments[-1] if segments else None
        if item:
            tag = "ol" if item["marker"][0].isdigit() else "ul"
            if last is not None and last.tag == tag:
                last.parts.append(item["text"])
            else:
                segments.append(_Segment(tag, [item["text"]]))
        elif last is not None and last.tag != "p":
            last.parts[-1] += " " + line  # an item wrapped onto the next line
        elif last is not None:
            last.parts.append(line)
        else:
            segments.append(_Segment("p", [line]))
    return segments


def list_items(lines: list[str]) -> list[str] | None:
    """The items' text when `lines` are one list and nothing else, else None."""
    segments = _segments(lines)
    if len(segments) == 1 and segments[0].tag != "p":
        return segments[0].parts
    return None


def paragraphs_html(lines: list[str]) -> str:
    """One block of the article (a paragraph, a list, or a paragraph running into a list) as rich-text HTML."""
    html = []
    for segment in _segments(lines):
        if segment.tag == "p":
            html.append(f"<p>{inline_html(' '.join(segment.parts))}</p>")
        else:
            items = "".join(f"<li>{inline_html(item)}</li>" for item in segment.parts)
            html.append(f"<{segment.tag}>{items}</{segment.tag}>")
    return "".join(html)


def plain_text(lines: list[str]) -> str:
    """One block of the article as plain text: paragraph lines joined, each list item on a line of its own."""
    texts = []
    for segment in _segments(lines):
        if segment.tag == "p":
            texts.append(inline_text(" ".join(segment.parts)))
        else:
            texts.extend(f"- {inline_text(item)}" for item in segment.parts)
    return "\n".join(texts)
