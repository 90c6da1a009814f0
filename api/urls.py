"""URLs of the content API, mounted at /api/v1/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from cms.views import page_not_found

from .views import PageViewSet

app_name = "api"

router = SimpleRouter()
router.register("pages", PageViewSet, basename="page")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Anything else under /api/v1/ is a problem-JSON 404, never the site's HTML page.
    re_path(r"^.*$", page_not_found),
]
