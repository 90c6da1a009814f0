from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from pages.links import PageOrUrlLinkMixin, only_visible_links


@register_setting(icon="site")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    """Company details shown across the site and offered to API consumers."""

    company_name = models.CharField(max_length=100, default="NextBigIt")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True, help_text="As visitors should dial it, e.g. +44 20 …")
    footer_text = models.CharField(max_length=300, blank=True, help_text="One line under the footer links.")
    default_call_to_action = models.ForeignKey(
        "pages.CallToAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Closes pages that have no call to action of their own.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("company_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")], heading="Company"
        ),
        InlinePanel("social_links", label="Social link", heading="Social links"),
        FieldPanel("footer_text"),
        FieldPanel("default_call_to_action"),
    ]

    class Meta:
        verbose_name = "site settings"


class SocialLink(Orderable):
    SERVICES = [
        ("linkedin", "LinkedIn"),
        ("github", "GitHub"),
        ("x", "X"),
        ("facebook", "Facebook"),
        ("instagram", "Instagram"),
        ("youtube", "YouTube"),
        ("mastodon", "Mastodon"),
    ]
    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="social_links")
    service = models.CharField(max_length=20, choices=SERVICES)
    url = models.URLField()

    panels = [FieldPanel("service"), FieldPanel("url")]

    def __str__(self):
        return self.get_service_display()


@register_setting(icon="list-ul")
class NavigationMenu(ClusterableModel, BaseSiteSetting):
    """The site's main menu, in the order editors arrange it."""

    panels = [InlinePanel("items", label="Menu item", heading="Menu items", min_num=1)]

    class Meta:
        verbose_name = "navigation menu"

    def shown_items(self):
        """The items in menu order, without those linking to a page visitors cannot see: what the site and API show."""
        return only_visible_links(self.items.all()).select_related("link_page").order_by("sort_order")


class NavigationItem(Orderable, PageOrUrlLinkMixin):
    menu = ParentalKey(NavigationMenu, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(max_length=40, help_text="The words in the menu, e.g. 'Services'.")
    link_noun = "menu item"

    panels = [FieldPanel("label"), FieldPanel("link_page"), FieldPanel("link_url")]

    def __str__(self):
        return self.label
