from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .base import api_base_url
from .text import HeadingValue

# Only these kinds of link may be typed into a button; anything else (javascript:, data:) is refused.
SAFE_LINK_SCHEMES = ("http", "https", "mailto", "tel")


def validate_button_url(value: str) -> None:
    """Accept absolute http(s)/mailto/tel URLs and site-relative paths ('/contact/')."""
    if value.startswith("/") and not value.startswith("//"):
        return
    scheme = urlsplit(value).scheme.lower()
    if scheme not in SAFE_LINK_SCHEMES:
        raise ValidationError(
            "Enter a full URL starting with https://, a mailto: or tel: link, or a site path starting with /."
        )


class CallToActionValue(HeadingValue):
    """Resolves the button's target (a page or a URL) so templates and the API never have to."""

    @cached_property
    def button_href(self) -> str:
        page = self.get("button_page")
        if page is not None:
            return page.url or ""
        return self.get("button_url") or ""


class CallToActionBlock(blocks.StructBlock):
    """A prominent closing pitch with a single button to a page or a URL."""

    heading = blocks.CharBlock(max_length=120, help_text="E.g. 'Hire Flask developers from NextBigIt'.")
    text = blocks.TextBlock(max_length=1500, help_text="A short paragraph that makes the case.")
    button_label = blocks.CharBlock(max_length=40, help_text="What the button says, e.g. 'Talk to us'.")
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
        has_page = value.get("button_page") is not None
        has_url = bool(value.get("button_url"))
        if has_page and has_url:
            message = "Choose a page or enter a URL for the button, not both."
            raise StructBlockValidationError(
                block_errors={"button_page": ValidationError(message), "button_url": ValidationError(message)}
            )
        if not has_page and not has_url:
            raise StructBlockValidationError(
                block_errors={"button_url": ValidationError("The button needs a target: choose a page or enter a URL.")}
            )
        return value

    def get_api_representation(self, value, context=None):
        page = value.get("button_page")
        href = value.button_href
        return {
            "heading": value.get("heading"),
            "text": value.get("text"),
            "anchor": value.anchor,
            "button": {
                "label": value.get("button_label"),
                "url": urljoin(api_base_url(context), href) if href else None,
                "page_id": page.pk if page is not None else None,
            },
        }

    def get_api_schema(self, default_schema):
        return {
            "type": "object",
            "properties": {
                "heading": {"type": "string", "maxLength": 120},
                "text": {"type": "string", "maxLength": 1500},
                "anchor": {"type": "string"},
                "button": {
                    "type": "object",
                    "properties": {
                        "label": {"type": "string", "maxLength": 40},
                        "url": {
                            "type": ["string", "null"],
                            "description": "Absolute URL of the button's target; null if the linked page is gone.",
                        },
                        "page_id": {"type": ["integer", "null"], "description": "Id of the linked page, if any."},
                    },
                    "required": ["label", "url", "page_id"],
                },
            },
            "required": ["heading", "text", "anchor", "button"],
        }
