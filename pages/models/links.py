from django.core.exceptions import ValidationError
from django.db import models

from pages.blocks.links import link_href, link_target_errors, validate_button_url


class PageOrUrlLinkMixin(models.Model):
    """A link to a page on this site or to a URL, exactly one of the two; `link_href` resolves it."""

    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Link to a page on this site…",
    )
    link_url = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_button_url],
        help_text="…or to a URL (https://…, mailto:…, or a path such as /contact/). Fill in one of the two.",
    )

    # How error messages name the thing that links ("button", "menu item").
    link_noun = "link"

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = link_target_errors(
            self.link_page, self.link_url, page_field="link_page", url_field="link_url", noun=self.link_noun
        )
        if errors:
            raise ValidationError(errors)

    @property
    def link_href(self) -> str:
        return link_href(self.link_page, self.link_url)
