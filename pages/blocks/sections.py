from wagtail import blocks

from .call_to_action import CallToActionBlock
from .features import FeatureListBlock
from .intro import IntroBlock
from .text import TextSectionBlock


class ServiceSectionsBlock(blocks.StreamBlock):
    """The sections an editor can stack on a service page, in any order."""

    intro = IntroBlock()
    text = TextSectionBlock()
    feature_list = FeatureListBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {"intro": {"max_num": 1}}
