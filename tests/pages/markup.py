"""Read HTML as the sanitising tests need it: its elements, their attributes and text, and what in it could run."""

import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Schemes that run code or smuggle a document in, whichever way they are spelt.
DANGEROUS_SCHEMES = {"javascript", "data", "vbscript"}
# Attributes a browser follows or loads as a URL.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "data", "cite"}
# Elements that run or embed code; a page's only script may be its JSON-LD data.
ACTIVE_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
JSON_LD = "application/ld+json"
_VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attributes: list[tuple[str, str]]
    text: str = ""

    def get(self, name: str) -> str | None:
        return next((value for attribute, value in self.attributes if attribute == name), None)


@dataclass
class ParsedHtml:
    elements: list[Element] = field(default_factory=list)

    def find_all(self, tag: str, **attributes: str) -> list[Element]:
        return [
            element
            for element in self.elements
            if element.tag == tag and all(element.get(name) == value for name, value in attributes.items())
        ]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parsed = ParsedHtml()
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, [(name, value or "") for name, value in attrs])
        self.parsed.elements.append(element)
        if tag not in _VOID_ELEMENTS:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.parsed.elements.append(Element(tag, [(name, value or "") for name, value in attrs]))

    def handle_endtag(self, tag):
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data


def parse_html(html: str) -> ParsedHtml:
    """Every element of `html` in document order, attribute values and text with entities decoded."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.parsed


def url_scheme(url: str) -> str | None:
    """The scheme a lenient browser could read in `url` (entities decoded), ignoring control characters and spaces."""
    squeezed = "".join(c for c in url if not c.isspace() and unicodedata.category(c) != "Cc").lower()
    scheme, colon, _ = squeezed.partition(":")
    return scheme if colon else None


def unsafe_markup(html: str) -> list[str]:
    """What in `html` could run code: active elements (JSON-LD excepted), event handlers, dangerous URLs."""
    problems = []
    for element in parse_html(html).elements:
        if element.tag in ACTIVE_ELEMENTS and not (element.tag == "script" and element.get("type") == JSON_LD):
            problems.append(f"<{element.tag}> element")
        for name, value in element.attributes:
            if name.startswith("on"):
                problems.append(f"{name} attribute on <{element.tag}>")
            elif name in URL_ATTRIBUTES and url_scheme(value) in DANGEROUS_SCHEMES:
                problems.append(f"{name}={value!r} on <{element.tag}>")
    return problems
