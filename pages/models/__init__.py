"""
Models of the site, split by concern:

- `home`, `services`: page types (HomePage → ServiceIndexPage → ServicePage; the contact page is `leads.ContactPage`)
- `seo`: SEO and sharing fields shared by the page types
- `snippets`: reusable content (calls to action)
- `site_settings`: per-site settings (company details, social links, navigation menu)
- `routing`: serving rules every page type shares (a page past its expiry date is not served)
"""

from .home import HomePage
from .services import ServiceIndexPage, ServicePage
from .site_settings import NavigationItem, NavigationMenu, SiteSettings, SocialLink
from .snippets import CallToAction

__all__ = [
    "CallToAction",
    "HomePage",
    "NavigationItem",
    "NavigationMenu",
    "ServiceIndexPage",
    "ServicePage",
    "SiteSettings",
    "SocialLink",
]
