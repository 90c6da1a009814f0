from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .links import (
    BUTTON_LABEL_MAX_LENGTH,
    button_api_representation,
    button_schema,
    link_href,
    link_target_errors,
    validate_button_url,
)
from .text import HeadingValue


class CallToActionValue(HeadingValue):
    """Resolves the button's target (a page or a URL) so templates and the API never have to."""

    @cached_property
    def button_href(self) -> str:
        return link_href(self.get("button_page"), self.get("button_url"))


class CallToActionBlock(blocks.StructBlock):
    """
    A prominent closing pitch with a single button to a page or a URL.

    The button's fields sit flat in the block (not in a nested `LinkButtonBlock`) because that is
    how pages have stored them from the start; validation and API JSON are the shared ones in `links`.
    Migrations refer to `pages.blocks.call_to_action.validate_button_url`, so it stays importable here.
    """

    heading = blocks.CharBlock(max_length=120, help_text="E.g. 'Hire Flask developers from NextBigIt'.")
    text = blocks.TextBlock(max_length=1500, help_text="A short paragraph that makes the case.")
    button_label = blocks.CharBlock(
        max_length=BUTTON_LABEL_MAX_LENGTH, help_text="What the button says, e.g. 'Talk to us'."
    )
    button_page = blocks.PageChooserBlock(required=False, help_text="Link the button to a page on this site…")
    button_url = blocks.CharBlock(
        required=False,
        max_length=500,
        validators=[validate_button_url],
        help_text="…or to a URL (https://…, mailto:…, or a path such as /contact/). Fill in one of the two.",
    )

    class Meta:
        icon = "pick"
        label = "Call to action"
        template = "blocks/call_to_action.html"
        value_class = CallToActionValue
        description = "A heading, a paragraph and a button, set apart from the page."
        preview_value = {
            "heading": "Hire Flask developers",
            "text": "Our team supports your Flask app needs within your budget.",
            "button_label": "Talk to us",
            "button_url": "/contact/",
        }

    def clean(self, value):
        value = super().clean(value)
        errors = link_target_errors(
            value.get("button_page"), value.get("button_url"), page_field="button_page", url_field="button_url"
        )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def value_of_snippet(self, snippet) -> CallToActionValue:
        """
        A shared call to action (`pages.CallToAction`) as this block's value, so a snippet and a section
        share one JSON shape (`get_api_representation`) and one template. Its button goes to its page only
        if visitors can see that page.
        """
        return CallToActionValue(
            self,
            [
                ("heading", snippet.heading),
                ("text", snippet.text),
                ("button_label", snippet.button_label),
                ("button_page", snippet.visible_link_page),
                ("button_url", snippet.link_url),
            ],
        )

    def get_api_representation(self, value, context=None):
        return {
            "heading": value.get("heading"),
            "text": value.get("text"),
            "anchor": value.anchor,
            "button": button_api_representation(
                value.get("button_label"), value.get("button_page"), value.get("button_url"), context
            ),
        }

    def get_api_schema(self, default_schema):
        return {
            "type": "object",
            "properties": {
                "heading": {"type": "string", "maxLength": 120},
                "text": {"type": "string", "maxLength": 1500},
                "anchor": {"type": "string"},
                "button": button_schema(),
            },
            "required": ["heading", "text", "anchor", "button"],
        }
