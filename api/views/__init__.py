"""API views, one module per resource: `pages`, `site` (settings, navigation), `snippets`."""

from .pages import PageViewSet
from .site import NavigationView, SiteSettingsView
from .snippets import CallToActionViewSet

__all__ = ["CallToActionViewSet", "NavigationView", "PageViewSet", "SiteSettingsView"]
