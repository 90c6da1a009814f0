from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from wagtail import blocks
from wagtail.rich_text import RichText

from pages.api_context import api_base_url, api_rich_text_format
from pages.rich_text import clean_stored_rich_text, render_rich_text

# A deliberately small editor toolbar: structure and emphasis, no colours, no raw HTML, no embeds.
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "code"]


UNREADABLE_RICH_TEXT_MESSAGE = "This text could not be read. Reload the page and enter it again."


class UnreadableRichText(RichText):
    """What a rich text field holds when the form posted something other than the editor's JSON."""

    def __init__(self):
        super().__init__("")


class SectionRichTextBlock(blocks.RichTextBlock):
    """
    Rich text, stored sanitised, whose API form is resolved HTML (absolute URLs) or Markdown.

    Whatever wrote the value (the editor's form, even with its widget bypassed, a script that
    assigns `page.sections`, the seed data), it is cleaned against the editor's allow-list
    (`pages.rich_text.clean_stored_rich_text`) before it is validated and again as it is stored.
    Streams built from raw JSON skip their children's `get_prep_value`; `SanitisedRichTextStreamMixin`
    closes that gap.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(*args, **kwargs)

    def value_from_datadict(self, data, files, prefix):
        try:
            return super().value_from_datadict(data, files, prefix)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            # Wagtail's converter trusts the editor's JSON and fails on anything else; that can only
            # come from a hand-made request, which gets a form error instead of a server error.
            return UnreadableRichText()

    def clean(self, value):
        if isinstance(value, UnreadableRichText):
            raise ValidationError(UNREADABLE_RICH_TEXT_MESSAGE)
        # Sanitise first, so that the required and length checks judge what will be stored.
        return super().clean(RichText(clean_stored_rich_text(self.normalize(value).source)))

    def get_prep_value(self, value):
        return clean_stored_rich_text(self.normalize(value).source)

    def get_api_representation(self, value, context=None):
        return render_rich_text(
            value,
            rich_text_format=api_rich_text_format(context),
            base_url=api_base_url(context),
        )

    def get_api_schema(self, default_schema):
        return {
            "type": "string",
            "description": "Rich text: HTML with absolute URLs, or Markdown with `?rich_text_format=markdown`.",
        }


def holds_rich_text(block: blocks.Block) -> bool:
    """Whether `block` is a rich text block or has one among its children, at any depth."""
    if isinstance(block, blocks.RichTextBlock):
        return True
    if isinstance(block, blocks.ListBlock):
        return holds_rich_text(block.child_block)
    return any(holds_rich_text(child) for child in getattr(block, "child_blocks", {}).values())


class SanitisedRichTextStreamMixin:
    """
    For a StreamBlock: the rich text in its children is stored sanitised even when the stream came as raw JSON.

    Wagtail stores a child it never turned into a Python value straight from its raw JSON,
    without asking the child's block: that is how `load_initial_data` (`stream_block.to_python`
    of the parsed article) and `page.sections = [{"type": …, "value": …}]` write pages. Such
    children holding rich text are turned into Python values here (one `bulk_to_python` per
    type), so Wagtail stores them through their block and `SectionRichTextBlock` cleans them;
    children the stream already holds as Python values are stored, and cleaned, once as usual.
    """

    def get_prep_value(self, value):
        if isinstance(value, blocks.StreamValue):
            for name in self.rich_text_child_names:
                value.blocks_by_name(name)
        return super().get_prep_value(value)

    @cached_property
    def rich_text_child_names(self) -> frozenset[str]:
        return frozenset(name for name, block in self.child_blocks.items() if holds_rich_text(block))


class HeadingValue(blocks.StructValue):
    """Gives a section with a heading a stable anchor, so pages can link to their own sections."""

    @cached_property
    def anchor(self) -> str:
        return slugify(self.get("heading") or "")


class HeadingAnchorMixin:
    """Adds the heading's `anchor` to a StructBlock's API JSON and schema (the value class must be a HeadingValue)."""

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        representation["anchor"] = value.anchor
        return representation

    def get_api_schema(self, default_schema):
        schema = default_schema(self)
        schema["properties"]["anchor"] = {"type": "string", "description": "Slug of the heading, for in-page links."}
        schema["required"].append("anchor")
        return schema


class TextSectionValue(HeadingValue):
    @cached_property
    def body_html(self) -> SafeString:
        """The body as sanitised HTML, rendered by the same code the API uses."""
        return mark_safe(render_rich_text(self["body"]))  # noqa: S308 - nh3 has sanitised it


class TextSectionBlock(HeadingAnchorMixin, blocks.StructBlock):
    """A heading followed by rich text: the workhorse section of an article."""

    heading = blocks.CharBlock(max_length=120, help_text="The section's heading, shown as an h2.")
    body = SectionRichTextBlock(help_text="Paragraphs, lists and links. Keep headings inside to h3 and h4.")

    class Meta:
        icon = "doc-full"
        label = "Text section"
        template = "blocks/text_section.html"
        value_class = TextSectionValue
        description = "A heading and a few paragraphs of rich text."
        preview_value = {
            "heading": "What is Flask?",
            "body": "<p>Flask is a web framework that gives you the tools to build web applications.</p>",
        }
