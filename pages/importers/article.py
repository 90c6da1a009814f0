"""
Parse an article (plain text or Markdown) into StreamField data for `ServicePage.sections`.

The shape it recognises is the one our service articles share:

    <intro paragraph(s)>

    What is Flask?                 ← a heading: a short line with no closing full stop
    <paragraph(s)>                 → a "text" section

    Advantages of Flask            ← "Advantages/Disadvantages of …" starts a feature list
    <intro paragraph>
    Easy to negotiate              ← an item heading
    <paragraph>                    → an item
    (two blank lines)
    <paragraph>                    → an item whose heading was lost

    (two blank lines)
    <closing paragraph that asks the reader to hire us>   → a call to action

Where two blank lines stand before a paragraph, a heading was lost. The caller may supply
headings for those, keyed by the paragraph's opening words; any still missing are reported
in `ArticleImport.missing_headings` and filled with a placeholder the editor must replace.
Every sentence of the article is kept verbatim.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape

from pages.blocks import FeatureKind

PLACEHOLDER_HEADING = "Heading needed"
MAX_HEADING_LENGTH = 100

_FEATURE_LIST_HEADING = re.compile(r"^(?P<kind>advantages|pros|benefits|disadvantages|cons|drawbacks)\b", re.IGNORECASE)
_DISADVANTAGE_WORDS = {"disadvantages", "cons", "drawbacks"}
_ASKS_TO_HIRE = re.compile(r"\b(hire|contact us|get in touch|talk to us)\b", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*$")


@dataclass
class Block:
    """One chunk of the article: its text, whether it reads as a heading, and the blank lines before it."""

    text: str
    blank_lines_before: int
    is_heading: bool


@dataclass
class MissingHeading:
    """A paragraph whose heading the article lost, and where it stands."""

    section: str
    paragraph_start: str


@dataclass
class ArticleImport:
    sections: list[dict] = field(default_factory=list)
    missing_headings: list[MissingHeading] = field(default_factory=list)


def split_blocks(text: str) -> list[Block]:
    """Split the article into paragraphs and headings, counting the blank lines before each."""
    blocks: list[Block] = []
    blank_lines = 0
    current: list[str] = []

    def flush():
        nonlocal blank_lines
        if current:
            blocks.append(_make_block(current, blank_lines))
            current.clear()
            blank_lines = 0

    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw_line.strip()
        if not line:
            flush()
            blank_lines += 1
            continue
        if _MARKDOWN_HEADING.match(line):
            flush()
            blocks.append(_make_block([line], blank_lines))
            blank_lines = 0
            continue
        current.append(line)
    flush()
    return blocks


def _make_block(lines: list[str], blank_lines_before: int) -> Block:
    if len(lines) == 1 and (match := _MARKDOWN_HEADING.match(lines[0])):
        return Block(match["text"], blank_lines_before, is_heading=True)
    text = " ".join(lines)
    return Block(text, blank_lines_before, is_heading=_looks_like_heading(lines))


def _looks_like_heading(lines: list[str]) -> bool:
    """A single short line that does not end like a sentence ('What is Flask?' counts; 'Listed below:' does not)."""
    if len(lines) != 1:
        return False
    line = lines[0]
    return len(line) <= MAX_HEADING_LENGTH and not line.endswith((".", ":", ";", ",")) and len(line.split()) <= 12


def _paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


class _Parser:
    def __init__(self, blocks: list[Block], supplied_headings: dict[str, str]):
        self.blocks = blocks
        self.supplied_headings = supplied_headings
        self.result = ArticleImport()
        self.position = 0

    def heading_for(self, paragraph: str, section: str) -> str:
        for opening_words, heading in self.supplied_headings.items():
            if paragraph.startswith(opening_words):
                return heading
        self.result.missing_headings.append(MissingHeading(section=section, paragraph_start=paragraph[:80]))
        return PLACEHOLDER_HEADING

    def peek(self) -> Block | None:
        return self.blocks[self.position] if self.position < len(self.blocks) else None

    def take(self) -> Block:
        block = self.blocks[self.position]
        self.position += 1
        return block

    def is_closing_call(self, block: Block) -> bool:
        """The last paragraph, set apart by a lost heading or a heading of its own, asking the reader to hire."""
        is_last = self.position == len(self.blocks) - 1
        return is_last and not block.is_heading and bool(_ASKS_TO_HIRE.search(block.text))

    def parse(self) -> ArticleImport:
        self.parse_intro()
        while (block := self.peek()) is not None:
            if self.is_closing_call(block):
                self.take()
                self.add_call_to_action(block, heading=None)
            elif block.is_heading and _FEATURE_LIST_HEADING.match(block.text):
                self.parse_feature_list()
            elif block.is_heading:
                self.parse_text_section(heading=self.take().text)
            else:
                paragraph = self.take()
                self.parse_text_section(heading=self.heading_for(paragraph.text, "text section"), first=paragraph.text)
        return self.result

    def parse_intro(self):
        paragraphs = []
        while (block := self.peek()) is not None and not block.is_heading and not paragraphs_end(paragraphs, block):
            paragraphs.append(self.take().text)
        if paragraphs:
            self.result.sections.append({"type": "intro", "value": {"lead": "\n\n".join(paragraphs)}})

    def parse_text_section(self, heading: str, first: str | None = None):
        paragraphs = [first] if first else []
        while (block := self.peek()) is not None and not block.is_heading:
            if block.blank_lines_before > 1 or self.is_closing_call(block):
                break
            paragraphs.append(self.take().text)
        self.result.sections.append(
            {"type": "text", "value": {"heading": heading, "body": _paragraphs_html(paragraphs)}}
        )

    def parse_feature_list(self):
        heading = self.take().text
        kind_word = _FEATURE_LIST_HEADING.match(heading)["kind"].lower()
        kind = FeatureKind.DISADVANTAGES if kind_word in _DISADVANTAGE_WORDS else FeatureKind.ADVANTAGES
        intro = ""
        block = self.peek()
        if block is not None and not block.is_heading and block.blank_lines_before <= 1:
            intro = self.take().text
        items = []
        while (block := self.peek()) is not None:
            if self.is_closing_call(block):
                break
            if block.is_heading:
                following = self.blocks[self.position + 1] if self.position + 1 < len(self.blocks) else None
                if _FEATURE_LIST_HEADING.match(block.text) or following is None or following.is_heading:
                    break
                title = self.take().text
                items.append({"title": title, "text": self.take().text})
            else:
                paragraph = self.take().text
                items.append({"title": self.heading_for(paragraph, heading), "text": paragraph})
        self.result.sections.append(
            {"type": "feature_list", "value": {"heading": heading, "intro": intro, "kind": kind, "items": items}}
        )

    def add_call_to_action(self, block: Block, heading: str | None):
        self.result.sections.append(
            {
                "type": "call_to_action",
                "value": {
                    "heading": heading or self.heading_for(block.text, "call to action"),
                    "text": block.text,
                    "button_label": "",
                    "button_page": None,
                    "button_url": "",
                },
            }
        )


def paragraphs_end(paragraphs: list[str], block: Block) -> bool:
    """The intro ends where a paragraph stands after a lost heading."""
    return bool(paragraphs) and block.blank_lines_before > 1


def parse_article(text: str, supplied_headings: dict[str, str] | None = None) -> ArticleImport:
    """Parse `text` into sections; `supplied_headings` maps a paragraph's opening words to the heading it lost."""
    return _Parser(split_blocks(text), supplied_headings or {}).parse()
