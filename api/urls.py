"""URLs of the content API, mounted at /api/v1/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from core.errors import page_not_found

from .views import (
    CallToActionViewSet,
    ImageViewSet,
    NavigationView,
    PageViewSet,
    PreviewView,
    SiteSettingsView,
    WebhookViewSet,
)

app_name = "api"

router = SimpleRouter()
router.register("pages", PageViewSet, basename="page")
router.register("snippets/calls-to-action", CallToActionViewSet, basename="call-to-action")
router.register("images", ImageViewSet, basename="image")
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("", include(router.urls)),
    path("settings/", SiteSettingsView.as_view(), name="settings"),
    path("navigation/", NavigationView.as_view(), name="navigation"),
    path("preview/", PreviewView.as_view(), name="preview"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline: see docs/security.md.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Anything else under /api/v1/ is a problem-JSON 404, never the site's HTML page.
    re_path(r"^.*$", page_not_found),
]
