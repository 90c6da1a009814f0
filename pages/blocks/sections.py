from wagtail import blocks

from .call_to_action import CallToActionBlock
from .code import CodeBlock
from .faq import FAQBlock
from .features import FeatureListBlock
from .hero import HeroBlock
from .image import ImageWithCaptionBlock
from .intro import IntroBlock
from .key_figures import KeyFiguresBlock
from .reusable import ReusableCallToActionBlock
from .testimonial import TestimonialBlock
from .text import SanitisedRichTextStreamMixin, TextSectionBlock


class ServiceSectionsBlock(SanitisedRichTextStreamMixin, blocks.StreamBlock):
    """The sections an editor can stack on a service page, in any order (listed here as a page usually runs)."""

    hero = HeroBlock()
    intro = IntroBlock()
    text = TextSectionBlock()
    image = ImageWithCaptionBlock()
    code = CodeBlock()
    feature_list = FeatureListBlock()
    key_figures = KeyFiguresBlock()
    testimonial = TestimonialBlock()
    faq = FAQBlock()
    call_to_action = CallToActionBlock()
    shared_call_to_action = ReusableCallToActionBlock()

    class Meta:
        block_counts = {"hero": {"max_num": 1}, "intro": {"max_num": 1}}
