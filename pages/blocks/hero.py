from wagtail import blocks

from .image import SectionImageBlock
from .links import LinkButtonBlock
from .text import HeadingAnchorMixin, HeadingValue


class HeroValue(HeadingValue):
    @property
    def has_secondary_button(self) -> bool:
        button = self.get("secondary_button")
        return bool(button and button.is_shown and button.href)


class HeroBlock(HeadingAnchorMixin, blocks.StructBlock):
    """The banner that opens a page: a bold claim, a short lead, up to two buttons and an optional image."""

    heading = blocks.CharBlock(max_length=120, help_text="The page's main claim, e.g. 'Flask apps that scale'.")
    lead = blocks.TextBlock(max_length=400, help_text="One or two sentences under the heading.")
    image = SectionImageBlock(
        required=False,
        help_text="Optional picture beside the text. Describe it in the alt text, or tick 'decorative'.",
    )
    primary_button = LinkButtonBlock(label="Main button", help_text="The action you most want readers to take.")
    secondary_button = LinkButtonBlock(
        required=False,
        label="Second button",
        help_text="Optional, e.g. 'See our work'. Leave the label blank for no second button.",
    )

    class Meta:
        icon = "pick"
        label = "Hero"
        template = "blocks/hero.html"
        value_class = HeroValue
        description = "The opening banner: heading, lead, buttons and an optional image."
        preview_value = {
            "heading": "Flask apps that scale",
            "lead": "Senior Flask developers who ship lean, well-tested web applications.",
            "image": None,
            "primary_button": {"label": "Talk to us", "page": None, "url": "/contact/"},
            "secondary_button": {"label": "See our work", "page": None, "url": "/work/"},
        }
