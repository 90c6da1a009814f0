"""
Buttons that link to a page on this site or to a URL: validation, resolution and API JSON.

A button has a label and exactly one target, a chosen page or a typed URL. The call to action
keeps its own flat fields (`button_label`, `button_page`, `button_url`, as stored since the
first release); other sections nest a `LinkButtonBlock`. Both go through the helpers here, so
they accept the same URLs, report the same errors and give the API the same button JSON.
"""

from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from pages.api_context import api_base_url
from pages.visibility import is_published

# Only these kinds of link may be typed into a button; anything else (javascript:, data:) is refused.
SAFE_LINK_SCHEMES = ("http", "https", "mailto", "tel")

BUTTON_LABEL_MAX_LENGTH = 40


def validate_button_url(value: str) -> None:
    """Accept absolute http(s)/mailto/tel URLs and site-relative paths ('/contact/')."""
    if value.startswith("/") and not value.startswith("//"):
        return
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:  # a malformed host, e.g. "https://[example": refused like any other bad URL
        scheme = ""
    if scheme not in SAFE_LINK_SCHEMES:
        raise ValidationError(
            "Enter a full URL starting with https://, a mailto: or tel: link, or a site path starting with /."
        )


def link_target_errors(
    page, url: str | None, *, page_field: str, url_field: str, noun: str = "button"
) -> dict[str, ValidationError]:
    """Errors, keyed by field name, unless exactly one of `page` and `url` is given."""
    if page is not None and url:
        message = f"Choose a page or enter a URL for the {noun}, not both."
        return {page_field: ValidationError(message), url_field: ValidationError(message)}
    if page is None and not url:
        return {url_field: ValidationError(f"The {noun} needs a target: choose a page or enter a URL.")}
    return {}


def published_or_none(page):
    """`page`, unless it is unpublished, expired or not yet live: a link must not give such a page's address away."""
    return page if page is not None and is_published(page) else None


def link_href(page, url: str | None) -> str:
    """Where a button goes: the page's URL if one was chosen and is published, else the typed URL ('' if neither)."""
    if page is not None:
        page = published_or_none(page)
        return (page.url or "") if page is not None else ""
    return url or ""


def button_api_representation(label: str, page, url: str | None, context: dict | None) -> dict:
    page = published_or_none(page)
    href = link_href(page, url)
    return {
        "label": label,
        "url": urljoin(api_base_url(context), href) if href else None,
        "page_id": page.pk if page is not None else None,
    }


def button_schema(*, nullable: bool = False) -> dict:
    """The JSON Schema of `button_api_representation`'s output (or null, for an optional button)."""
    return {
        "type": ["object", "null"] if nullable else "object",
        "properties": {
            "label": {"type": "string", "maxLength": BUTTON_LABEL_MAX_LENGTH},
            "url": {
                "type": ["string", "null"],
                "description": "Absolute URL of the button's target; null if the linked page is gone or unpublished.",
            },
            "page_id": {"type": ["integer", "null"], "description": "Id of the linked page, if any."},
        },
        "required": ["label", "url", "page_id"],
    }


class LinkButtonValue(blocks.StructValue):
    @cached_property
    def href(self) -> str:
        return link_href(self.get("page"), self.get("url"))

    @property
    def is_shown(self) -> bool:
        """An optional button left blank is no button at all."""
        return bool(self.get("label"))


class LinkButtonBlock(blocks.StructBlock):
    """
    A labelled button to a page or a URL.

    `LinkButtonBlock(required=False)` is a button the editor may leave out: a blank label means
    no button (its API value is null). Once the label is filled in, the button needs a target as
    usual; a target without a label is reported on the label.
    """

    label = blocks.CharBlock(max_length=BUTTON_LABEL_MAX_LENGTH, help_text="What the button says, e.g. 'Talk to us'.")
    page = blocks.PageChooserBlock(required=False, help_text="Link the button to a page on this site…")
    url = blocks.CharBlock(
        required=False,
        max_length=500,
        validators=[validate_button_url],
        help_text="…or to a URL (https://…, mailto:…, or a path such as /contact/). Fill in one of the two.",
    )

    class Meta:
        icon = "link"
        label = "Button"
        value_class = LinkButtonValue

    def __init__(self, local_blocks=None, required=True, **kwargs):
        if not required:
            optional_label = blocks.CharBlock(
                required=False,
                max_length=BUTTON_LABEL_MAX_LENGTH,
                help_text="What the button says. Leave blank for no button.",
            )
            local_blocks = [("label", optional_label), *(local_blocks or [])]
        self._required = required
        super().__init__(local_blocks, **kwargs)

    @property
    def required(self) -> bool:
        return self._required

    def clean(self, value):
        value = super().clean(value)
        page, url = value.get("page"), value.get("url")
        if not value.get("label"):
            # Only an optional button gets here with a blank label (a required one fails in super().clean()).
            if page is None and not url:
                return value
            raise StructBlockValidationError(
                block_errors={"label": ValidationError("Give the button a label, or clear its page and URL.")}
            )
        errors = link_target_errors(page, url, page_field="page", url_field="url")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_api_representation(self, value, context=None):
        if not self.required and not value.is_shown:
            return None
        return button_api_representation(value.get("label"), value.get("page"), value.get("url"), context)

    def get_api_schema(self, default_schema):
        return button_schema(nullable=not self.required)
