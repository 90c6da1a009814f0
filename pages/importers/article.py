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

Where two blank lines (or more) stand before a paragraph, a heading was lost; the paragraph
right after a heading belongs to it however many blank lines stand between them, and so does
a feature list's introduction when it ends with a colon. The caller may supply headings for
lost ones, keyed by the paragraph's opening words; any still missing are reported in
`ArticleImport.missing_headings` and filled with a placeholder the editor must replace.
The closing call to action may also have a heading of its own.

Markdown articles use `#` headings: a `# Title` opening an article whose sections are `##`
headings is the article's title (not a section), `##` headings start sections, and deeper
ones are item titles in a feature list or subheadings inside a text section. Emphasis, inline
code, links and lists become rich text in text sections and plain words in plain-text fields
(`pages.importers.markdown`).

Every sentence of the article is kept verbatim; lines are stripped of surrounding spaces and
tabs, and the lines of a paragraph are joined with single spaces.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape

from pages.blocks import FeatureKind

from . import markdown

PLACEHOLDER_HEADING = "Heading needed"
MAX_HEADING_LENGTH = 100

_FEATURE_LIST_HEADING = re.compile(r"^(?P<kind>advantages|pros|benefits|disadvantages|cons|drawbacks)\b", re.IGNORECASE)
_DISADVANTAGE_WORDS = {"disadvantages", "cons", "drawbacks"}
_ASKS_TO_HIRE = re.compile(r"\b(hire|contact us|get in touch|talk to us)\b", re.IGNORECASE)
# "## Heading", "## Heading ##"; the closing hashes need a space before them ("# C#" is about C#).
_MARKDOWN_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.+?)(?:\s+#+)?\s*$")
# A line of = or - under a one-line paragraph makes it a heading (Markdown's "setext" headings).
_UNDERLINE = re.compile(r"^(?P<mark>=|-)(?P=mark){2,}$")
_THEMATIC_BREAK = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
# "**Fast:** it starts in milliseconds" — a list item whose bold opening is its title.
_TITLED_ITEM = re.compile(r"^\*\*(?P<title>[^*]+?)[:.]?\*\*\s*[:.–—-]?\s*(?P<text>.*)$")
# Sections are the headings down to this level; deeper ones are item titles and subheadings.
SECTION_LEVEL = 2


@dataclass
class Block:
    """One chunk of the article: its text, whether it reads as a heading, and the blank lines before it."""

    text: str
    blank_lines_before: int
    is_heading: bool
    level: int | None = None  # a Markdown heading's level (1 to 6); None for plain-text headings and paragraphs
    lines: list[str] = field(default_factory=list)  # as written, each stripped: Markdown lists need them


@dataclass
class MissingHeading:
    """
    A paragraph whose heading the article lost, and where it stands.

    `section_number` (1-based, counting the page's sections) and `item_number` (1-based, within
    a feature list) say where the editor finds the placeholder; two reports of the same
    paragraph in the same kind of section are the same gap, wherever they were counted from.
    """

    section: str
    paragraph_start: str
    section_number: int = field(default=0, compare=False)
    item_number: int | None = field(default=None, compare=False)

    @property
    def where(self) -> str:
        """E.g. 'Section 3 (Advantages of Flask), item 2' or 'Section 5 (call to action)'."""
        item = f", item {self.item_number}" if self.item_number else ""
        return f"Section {self.section_number} ({self.section}){item}"

    def describe(self) -> str:
        """One line for the editor: where the paragraph is, how it starts, and what to do."""
        opening = " ".join(self.paragraph_start.split()[:6])
        return f"{self.where}, paragraph starting '{opening}…': heading lost — fill it in the editor"


@dataclass
class ArticleImport:
    sections: list[dict] = field(default_factory=list)
    missing_headings: list[MissingHeading] = field(default_factory=list)
    title: str = ""  # a Markdown article's `# Title`, if it opens with one
    warnings: list[str] = field(default_factory=list)


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

    for raw_line in text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw_line.strip()
        if not line:
            flush()
            blank_lines += 1
        elif (underline := _UNDERLINE.match(line)) and len(current) == 1:
            level = 1 if underline["mark"] == "=" else 2
            blocks.append(Block(current[0], blank_lines, is_heading=True, level=level, lines=[current[0]]))
            current.clear()
            blank_lines = 0
        elif _THEMATIC_BREAK.match(line) and not current:
            continue  # a horizontal rule separates, like the blank lines around it
        elif _MARKDOWN_HEADING.match(line):
            flush()
            blocks.append(_make_block([line], blank_lines))
            blank_lines = 0
        else:
            current.append(line)
    flush()
    return blocks


def _make_block(lines: list[str], blank_lines_before: int) -> Block:
    if len(lines) == 1 and (match := _MARKDOWN_HEADING.match(lines[0])):
        return Block(match["text"], blank_lines_before, is_heading=True, level=len(match["marks"]), lines=list(lines))
    text = " ".join(lines)
    return Block(text, blank_lines_before, is_heading=_looks_like_heading(lines), lines=list(lines))


def _looks_like_heading(lines: list[str]) -> bool:
    """A single short line that does not end like a sentence ('What is Flask?' counts; 'Listed below:' does not)."""
    if len(lines) != 1:
        return False
    line = lines[0]
    return len(line) <= MAX_HEADING_LENGTH and not line.endswith((".", ":", ";", ",")) and len(line.split()) <= 12


def is_feature_list_heading(block: Block) -> bool:
    return block.is_heading and bool(_FEATURE_LIST_HEADING.match(markdown.inline_text(block.text)))


class _Parser:
    def __init__(self, blocks: list[Block], supplied_headings: dict[str, str], is_markdown: bool):
        self.blocks = blocks
        self.supplied_headings = supplied_headings
        self.is_markdown = is_markdown
        self.result = ArticleImport()
        self.position = 0

    # Reading the blocks

    def peek(self, ahead: int = 0) -> Block | None:
        position = self.position + ahead
        return self.blocks[position] if position < len(self.blocks) else None

    def take(self) -> Block:
        block = self.blocks[self.position]
        self.position += 1
        return block

    def is_closing_call(self, block: Block) -> bool:
        """The last paragraph, asking the reader to hire us."""
        return block is self.blocks[-1] and not block.is_heading and bool(_ASKS_TO_HIRE.search(block.text))

    def heads_closing_call(self, block: Block) -> bool:
        """A heading right before that last paragraph: the call to action's own heading."""
        return (
            block.is_heading
            and len(self.blocks) > 1
            and block is self.blocks[-2]
            and self.is_closing_call(self.blocks[-1])
        )

    def ends_here(self, block: Block) -> bool:
        return self.is_closing_call(block) or self.heads_closing_call(block)

    # Turning blocks into field values

    def plain(self, block: Block, where: str) -> str:
        """The block as plain text; in Markdown, without its markup (a link keeps its label and is reported)."""
        if not self.is_markdown:
            return block.text
        for url in markdown.link_urls(block.text):
            self.result.warnings.append(f"{where}: the link to {url} was dropped, as this field takes plain text.")
        return markdown.plain_text(block.lines) if not block.is_heading else markdown.inline_text(block.text)

    def body_html(self, blocks: list[Block]) -> str:
        if not self.is_markdown:
            return "".join(f"<p>{escape(block.text)}</p>" for block in blocks)
        html = []
        for block in blocks:
            if block.is_heading and block.level is not None:
                tag = "h3" if block.level <= 3 else "h4"
                html.append(f"<{tag}>{markdown.inline_html(block.text)}</{tag}>")
            else:
                html.append(markdown.paragraphs_html(block.lines))
        return "".join(html)

    def heading_for(self, paragraph: str, section: str, item_number: int | None = None) -> str:
        for opening_words, heading in self.supplied_headings.items():
            if paragraph.startswith(opening_words):
                return heading
        self.result.missing_headings.append(
            MissingHeading(
                section=section,
                paragraph_start=paragraph[:80],
                section_number=len(self.result.sections) + 1,
                item_number=item_number,
            )
        )
        return PLACEHOLDER_HEADING

    # The article's parts

    def parse(self) -> ArticleImport:
        self.parse_title()
        self.parse_intro()
        while (block := self.peek()) is not None:
            if self.is_closing_call(block):
                self.add_call_to_action(self.take(), heading=None)
            elif self.heads_closing_call(block):
                heading = self.take()
                self.add_call_to_action(self.take(), heading=heading)
            elif is_feature_list_heading(block):
                self.parse_feature_list()
            elif block.is_heading:
                self.parse_text_section(heading=self.take())
            else:
                self.parse_text_section(heading=None, first=self.take())
        return self.result

    def parse_title(self):
        """A `# Title` opening the article above `##` sections is its title; a lone `#` heading heads a section."""
        levels = [block.level for block in self.blocks if block.level is not None]
        first = self.peek()
        if first is not None and first.level == 1 and levels.count(1) == 1 and len(levels) > 1:
            self.result.title = self.plain(self.take(), "Title")

    def parse_intro(self):
        paragraphs = []
        while (block := self.peek()) is not None and not block.is_heading and not paragraphs_end(paragraphs, block):
            paragraphs.append(self.plain(self.take(), "Intro"))
        if paragraphs:
            self.result.sections.append({"type": "intro", "value": {"lead": "\n\n".join(paragraphs)}})

    @staticmethod
    def is_subheading(block: Block, section_heading: Block | None) -> bool:
        """A Markdown heading below the section's own level, which the text section keeps in its body."""
        section_level = max(SECTION_LEVEL, (section_heading and section_heading.level) or 0)
        return block.level is not None and block.level > section_level and not is_feature_list_heading(block)

    def parse_text_section(self, heading: Block | None, first: Block | None = None):
        if heading is not None:
            heading_text = self.plain(heading, f"Section {len(self.result.sections) + 1}")
        else:
            heading_text = self.heading_for(first.text, "text section")
        body = [first] if first else []
        while (block := self.peek()) is not None and not self.ends_here(block):
            if block.is_heading and not self.is_subheading(block, heading):
                break
            if body and not block.is_heading and block.blank_lines_before > 1:
                break  # the next paragraph lost its heading: it starts a section of its own
            body.append(self.take())
        self.result.sections.append({"type": "text", "value": {"heading": heading_text, "body": self.body_html(body)}})

    def parse_feature_list(self):
        heading_block = self.take()
        where = f"Section {len(self.result.sections) + 1}"
        heading = self.plain(heading_block, where)
        kind_word = _FEATURE_LIST_HEADING.match(heading)["kind"].lower()
        kind = FeatureKind.DISADVANTAGES if kind_word in _DISADVANTAGE_WORDS else FeatureKind.ADVANTAGES
        intro = ""
        block = self.peek()
        if block is not None and self.introduces_list(block):
            intro = self.plain(self.take(), where)
        items: list[dict] = []
        while (block := self.peek()) is not None and not self.ends_here(block):
            if block.is_heading:
                if self.ends_list(block, heading_block):
                    break
                title = self.plain(self.take(), where)
                items.append({"title": title, "text": self.plain(self.take(), where)})
            elif self.is_markdown and (bullets := markdown.list_items(block.lines)) is not None:
                self.take()
                for bullet in bullets:
                    items.append(self.bullet_item(bullet, heading, item_number=len(items) + 1))
            elif items and block.blank_lines_before <= 1:
                # A second paragraph of the item above: only two blank lines mark a lost heading.
                items[-1]["text"] += "\n\n" + self.plain(self.take(), where)
            else:
                paragraph = self.take()
                title = self.heading_for(paragraph.text, heading, item_number=len(items) + 1)
                items.append({"title": title, "text": self.plain(paragraph, where)})
        self.result.sections.append(
            {"type": "feature_list", "value": {"heading": heading, "intro": intro, "kind": kind, "items": items}}
        )

    def introduces_list(self, block: Block) -> bool:
        """The paragraph right after a list's heading introduces it, if close to it or ending with a colon."""
        if block.is_heading or self.ends_here(block) or (self.is_markdown and markdown.list_items(block.lines)):
            return False
        return block.blank_lines_before <= 1 or block.text.endswith(":")

    def ends_list(self, block: Block, list_heading: Block) -> bool:
        """A heading that is not an item's: another list, a heading at the list's own level, or one with no text."""
        following = self.peek(1)
        at_list_level = block.level is not None and list_heading.level is not None and block.level <= list_heading.level
        return is_feature_list_heading(block) or at_list_level or following is None or following.is_heading

    def bullet_item(self, bullet: str, list_heading: str, item_number: int) -> dict:
        if titled := _TITLED_ITEM.match(bullet):
            return {"title": markdown.inline_text(titled["title"]), "text": markdown.inline_text(titled["text"])}
        text = markdown.inline_text(bullet)
        return {"title": self.heading_for(text, list_heading, item_number=item_number), "text": text}

    def add_call_to_action(self, block: Block, heading: Block | None):
        where = f"Section {len(self.result.sections) + 1}"
        self.result.sections.append(
            {
                "type": "call_to_action",
                "value": {
                    "heading": self.plain(heading, where)
                    if heading
                    else self.heading_for(block.text, "call to action"),
                    "text": self.plain(block, where),
                    "button_label": "",
                    "button_page": None,
                    "button_url": "",
                },
            }
        )


def paragraphs_end(paragraphs: list[str], block: Block) -> bool:
    """The intro ends where a paragraph stands after a lost heading."""
    return bool(paragraphs) and block.blank_lines_before > 1


def parse_article(
    text: str, supplied_headings: dict[str, str] | None = None, *, is_markdown: bool | None = None
) -> ArticleImport:
    """
    Parse `text` into sections; `supplied_headings` maps a paragraph's opening words to the heading it lost.

    `is_markdown` says whether inline Markdown (emphasis, links, lists) is read as markup; by
    default an article is Markdown when it has `#` headings. Plain text keeps every character.
    """
    blocks = split_blocks(text)
    if is_markdown is None:
        is_markdown = any(block.level is not None for block in blocks)
    return _Parser(blocks, supplied_headings or {}, is_markdown).parse()
