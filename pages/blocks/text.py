from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from wagtail import blocks

from pages.rich_text import render_rich_text

from .base import api_base_url, api_rich_text_format

# A deliberately small editor toolbar: structure and emphasis, no colours, no raw HTML, no embeds.
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "code"]


class SectionRichTextBlock(blocks.RichTextBlock):
    """Rich text whose API form is resolved HTML (absolute URLs) or Markdown, never Wagtail's database HTML."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(*args, **kwargs)

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
