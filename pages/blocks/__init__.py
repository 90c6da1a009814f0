"""Section blocks for service pages. Import blocks from here, not from the submodules."""

from .call_to_action import CallToActionBlock, CallToActionValue
from .features import FeatureItemBlock, FeatureKind, FeatureListBlock
from .intro import IntroBlock
from .sections import ServiceSectionsBlock
from .text import RICH_TEXT_FEATURES, SectionRichTextBlock, TextSectionBlock

__all__ = [
    "RICH_TEXT_FEATURES",
    "CallToActionBlock",
    "CallToActionValue",
    "FeatureItemBlock",
    "FeatureKind",
    "FeatureListBlock",
    "IntroBlock",
    "SectionRichTextBlock",
    "ServiceSectionsBlock",
    "TextSectionBlock",
]
