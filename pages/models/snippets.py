from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from pages.links import PageOrUrlLinkMixin


@register_snippet
class CallToAction(RevisionMixin, PageOrUrlLinkMixin, index.Indexed, models.Model):
    """A call to action several pages share: edit it once and every page that uses it changes."""

    name = models.CharField(max_length=100, unique=True, help_text="For editors only, e.g. 'Hire Python developers'.")
    heading = models.CharField(max_length=120)
    text = models.TextField(max_length=1500)
    button_label = models.CharField(max_length=40, help_text="What the button says, e.g. 'Talk to us'.")

    panels = [
        FieldPanel("name"),
        FieldPanel("heading"),
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldPanel("button_label"), FieldPanel("link_page"), FieldPanel("link_url")], heading="Button"
        ),
    ]
    link_noun = "button"
    search_fields = [index.SearchField("name"), index.SearchField("heading"), index.SearchField("text")]

    class Meta:
        verbose_name = "call to action"
        verbose_name_plural = "calls to action"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def anchor(self) -> str:
        return slugify(self.heading)

    @property
    def button_href(self) -> str:
        """So the call-to-action section template can render a snippet as it renders a block value."""
        return self.link_href
