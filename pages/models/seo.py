from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

SEO_TITLE_HINT = 60
META_DESCRIPTION_HINT = 155


class SeoMixin(models.Model):
    """SEO and sharing fields for a page, on top of Wagtail's own `seo_title` and `search_description`."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared (Open Graph). 1200×630 works best; the focal point is kept.",
    )
    canonical_url = models.URLField(
        blank=True,
        help_text="Only if this content's main address is elsewhere; leave empty to use this page's own URL.",
    )

    seo_panels = [
        MultiFieldPanel(
            [
                FieldPanel(
                    "seo_title",
                    help_text=f"Shown in search results and the browser tab. Search engines cut titles after about "
                    f"{SEO_TITLE_HINT} characters. Leave empty to use the page title.",
                    attrs={"data-length-hint": SEO_TITLE_HINT},
                ),
                FieldPanel(
                    "search_description",
                    help_text=f"The snippet under the title in search results. Aim for 70–{META_DESCRIPTION_HINT} "
                    "characters that make a reader click.",
                    attrs={"data-length-hint": META_DESCRIPTION_HINT},
                ),
                FieldPanel("social_image"),
                FieldPanel("canonical_url"),
            ],
            heading="Search engines and sharing",
        )
    ]
    promote_panels = [
        MultiFieldPanel([FieldPanel("slug"), FieldPanel("show_in_menus")], heading="For site menus"),
        *seo_panels,
    ]

    class Meta:
        abstract = True

    @property
    def seo_page_title(self: Page) -> str:
        return self.seo_title or self.title
