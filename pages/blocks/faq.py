from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from wagtail import blocks
from wagtail.rich_text import get_text_for_indexing

from pages.rich_text import render_rich_text

from .text import HeadingAnchorMixin, HeadingValue, SectionRichTextBlock


class FAQItemValue(blocks.StructValue):
    @cached_property
    def answer_html(self) -> SafeString:
        """The answer as sanitised HTML, rendered by the same code the API uses."""
        return mark_safe(render_rich_text(self["answer"]))  # noqa: S308 - nh3 has sanitised it

    @cached_property
    def answer_text(self) -> str:
        """The answer as one line of plain text, paragraphs and list items separated by spaces."""
        return " ".join(get_text_for_indexing(self["answer"].source).split())


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200, help_text="As a reader would ask it, e.g. 'How much does it cost?'.")
    answer = SectionRichTextBlock(help_text="A direct answer first, then any detail.")

    class Meta:
        icon = "help"
        label = "Question"
        value_class = FAQItemValue


class FAQValue(HeadingValue):
    def faq_page_entries(self) -> list[dict[str, str]]:
        """
        The questions and plain-text answers, ready for a schema.org FAQPage.

        Each entry is `{"question": ..., "answer_text": ...}`; they become the page's
        `mainEntity` Question / acceptedAnswer pairs in JSON-LD.
        """
        return [{"question": item["question"], "answer_text": item.answer_text} for item in self["items"]]


class FAQBlock(HeadingAnchorMixin, blocks.StructBlock):
    """Frequently asked questions, each answer folded under its question (works without JavaScript)."""

    heading = blocks.CharBlock(max_length=120, help_text="E.g. 'Flask development FAQ'.")
    items = blocks.ListBlock(FAQItemBlock(), min_num=1, help_text="At least one question and its answer.")

    class Meta:
        icon = "help"
        label = "FAQ"
        template = "blocks/faq.html"
        value_class = FAQValue
        description = "Questions readers ask, with answers they can open one by one."
        preview_value = {
            "heading": "Flask development FAQ",
            "items": [
                {
                    "question": "How long does a Flask project take?",
                    "answer": "<p>A first release usually ships in six to ten weeks.</p>",
                },
                {
                    "question": "Can you take over an existing app?",
                    "answer": "<p>Yes. We start with a short code review and a plan.</p>",
                },
            ],
        }
