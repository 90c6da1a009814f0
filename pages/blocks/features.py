from wagtail import blocks

from .icons import ICON_CHOICES, icon_template
from .text import HeadingAnchorMixin, HeadingValue


class FeatureKind:
    ADVANTAGES = "advantages"
    DISADVANTAGES = "disadvantages"
    CHOICES = [(ADVANTAGES, "Advantages"), (DISADVANTAGES, "Disadvantages")]


class FeatureItemValue(blocks.StructValue):
    @property
    def icon_template(self) -> str:
        return icon_template(self.get("icon"))


class FeatureItemBlock(blocks.StructBlock):
    """One advantage or disadvantage: a short title, a paragraph and an optional icon."""

    title = blocks.CharBlock(max_length=120, help_text="A few words, e.g. 'Easy to negotiate'.")
    text = blocks.TextBlock(max_length=1500, help_text="One paragraph explaining the point.")
    # Added after launch: items stored without an icon read as "" (no icon) through the default.
    # Not indexed: Wagtail would index a blank choice as its "- Select an option -" label.
    icon = blocks.ChoiceBlock(
        choices=ICON_CHOICES,
        required=False,
        default="",
        search_index=False,
        help_text="Optional symbol shown instead of the plus or minus sign.",
    )

    class Meta:
        icon = "list-ul"
        label = "Item"
        value_class = FeatureItemValue


class FeatureListValue(HeadingValue):
    @property
    def is_advantages(self) -> bool:
        return self.get("kind") == FeatureKind.ADVANTAGES


class FeatureListBlock(HeadingAnchorMixin, blocks.StructBlock):
    """A list of advantages or disadvantages, styled so readers tell the two apart at a glance."""

    heading = blocks.CharBlock(max_length=120, help_text="E.g. 'Advantages of Flask'.")
    intro = blocks.TextBlock(required=False, max_length=600, help_text="Optional sentence before the list.")
    kind = blocks.ChoiceBlock(
        choices=FeatureKind.CHOICES,
        default=FeatureKind.ADVANTAGES,
        help_text="Advantages and disadvantages are styled differently on the page.",
    )
    items = blocks.ListBlock(FeatureItemBlock(), min_num=1, help_text="At least one item.")

    class Meta:
        icon = "list-ul"
        label = "Feature list"
        template = "blocks/feature_list.html"
        value_class = FeatureListValue
        description = "Advantages or disadvantages, each with a title and a paragraph."
        preview_value = {
            "heading": "Advantages of Flask",
            "intro": "Listed below are some of the benefits:",
            "kind": FeatureKind.ADVANTAGES,
            "items": [
                {"title": "Scalable", "text": "Starts small and grows with your product.", "icon": "bolt"},
                {"title": "Flexible", "text": "Parts can change without the structure collapsing.", "icon": "puzzle"},
            ],
        }
