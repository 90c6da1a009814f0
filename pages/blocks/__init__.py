"""Section blocks for service pages. Import blocks from here, not from the submodules."""

from .call_to_action import CallToActionBlock, CallToActionValue
from .code import CodeBlock, CodeValue
from .faq import FAQBlock, FAQItemBlock, FAQValue
from .features import FeatureItemBlock, FeatureKind, FeatureListBlock
from .hero import HeroBlock, HeroValue
from .icons import ICON_CHOICES
from .image import ImageWithCaptionBlock, SectionImageBlock
from .intro import IntroBlock
from .key_figures import KeyFigureBlock, KeyFiguresBlock
from .links import LinkButtonBlock, LinkButtonValue, validate_button_url
from .reusable import ReusableCallToActionBlock
from .sections import ServiceSectionsBlock
from .testimonial import TestimonialBlock, TestimonialValue
from .text import RICH_TEXT_FEATURES, SectionRichTextBlock, TextSectionBlock

__all__ = [
    "ICON_CHOICES",
    "RICH_TEXT_FEATURES",
    "CallToActionBlock",
    "CallToActionValue",
    "CodeBlock",
    "CodeValue",
    "FAQBlock",
    "FAQItemBlock",
    "FAQValue",
    "FeatureItemBlock",
    "FeatureKind",
    "FeatureListBlock",
    "HeroBlock",
    "HeroValue",
    "ImageWithCaptionBlock",
    "IntroBlock",
    "KeyFigureBlock",
    "KeyFiguresBlock",
    "LinkButtonBlock",
    "LinkButtonValue",
    "ReusableCallToActionBlock",
    "SectionImageBlock",
    "SectionRichTextBlock",
    "ServiceSectionsBlock",
    "TestimonialBlock",
    "TestimonialValue",
    "TextSectionBlock",
    "validate_button_url",
]
