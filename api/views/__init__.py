"""API views, one module per resource: `images`, `pages`, `preview`, `site` (settings, navigation), `snippets`,
`webhooks`."""

from .images import ImageViewSet
from .pages import PageViewSet
from .preview import PreviewView
from .site import NavigationView, SiteSettingsView
from .snippets import CallToActionViewSet
from .webhooks import WebhookViewSet

__all__ = [
    "CallToActionViewSet",
    "ImageViewSet",
    "NavigationView",
    "PageViewSet",
    "PreviewView",
    "SiteSettingsView",
    "WebhookViewSet",
]
