"""The page-or-URL link that snippets and menu items share: exactly one of the two, resolved by `link_href`."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page

from pages.blocks.links import link_href, link_target_errors, validate_button_url
from pages.visibility import visible_pages


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
    def visible_link_page(self) -> Page | None:
        """
        The linked page, unless visitors cannot see it.

        Links loaded `with_link_visibility` know the whole rule (restrictions included) from their own
        query; any other link leaves the page to `link_href`, which drops unpublished and expired pages.
        """
        if getattr(self, "link_page_is_visible", True) is False:
            return None
        return self.link_page

    @property
    def link_href(self) -> str:
        return link_href(self.visible_link_page, self.link_url)


def with_link_visibility(links: models.QuerySet) -> models.QuerySet:
    """`links` (of a `PageOrUrlLinkMixin` model), each knowing whether its page is visible, in the same query."""
    return links.annotate(link_page_is_visible=Exists(visible_pages().filter(pk=OuterRef("link_page_id"))))


def only_visible_links(links: models.QuerySet) -> models.QuerySet:
    """`links` that go to a URL or to a page visitors can see: what a menu may offer."""
    return with_link_visibility(links).filter(Q(link_page__isnull=True) | Q(link_page_is_visible=True))
