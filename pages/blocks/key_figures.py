from wagtail import blocks

from .text import HeadingAnchorMixin, HeadingValue


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(max_length=20, help_text="The number as it should read, e.g. '120+' or '98%'.")
    label = blocks.CharBlock(max_length=80, help_text="What it counts, e.g. 'Flask projects delivered'.")

    class Meta:
        icon = "order"
        label = "Figure"


class KeyFiguresBlock(HeadingAnchorMixin, blocks.StructBlock):
    """A row of headline numbers, e.g. projects delivered or years in business."""

    heading = blocks.CharBlock(required=False, max_length=120, help_text="Optional, e.g. 'NextBigIt in numbers'.")
    items = blocks.ListBlock(KeyFigureBlock(), min_num=1, max_num=6, help_text="One to six figures.")

    class Meta:
        icon = "order"
        label = "Key figures"
        template = "blocks/key_figures.html"
        value_class = HeadingValue
        description = "Up to six headline numbers, each with a short label."
        preview_value = {
            "heading": "NextBigIt in numbers",
            "items": [
                {"value": "120+", "label": "Flask projects delivered"},
                {"value": "12", "label": "Years in business"},
                {"value": "98%", "label": "Clients who come back"},
            ],
        }
