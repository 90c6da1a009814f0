"""
Models of the site, split by concern:

- `home`, `services`, `contact`: page types (HomePage → ServiceIndexPage → ServicePage; HomePage → ContactPage)
- `leads`: enquiries sent through the contact form
- `seo`: SEO and sharing fields shared by the page types
- `snippets`: reusable content (calls to action)
- `site_settings`: per-site settings (company details, social links, navigation menu)
- `links`: the page-or-URL link shared by snippets and menu items
- `routing`: serving rules every page type shares (a page past its expiry date is not served)
"""

from .contact import ContactPage
from .home import HomePage
from .leads import Lead
from .services import ServiceIndexPage, ServicePage
from .site_settings import NavigationItem, NavigationMenu, SiteSettings, SocialLink
from .snippets import CallToAction

__all__ = [
    "CallToAction",
    "ContactPage",
    "HomePage",
    "Lead",
    "NavigationItem",
    "NavigationMenu",
    "ServiceIndexPage",
    "ServicePage",
    "SiteSettings",
    "SocialLink",
]
