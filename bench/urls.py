"""
The site's URLs plus, for the benchmark only, Wagtail's v2 and v3 page APIs and a floor view.

Wagtail's page serving in cms.urls catches every path, so the bench routes go first.
"""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.urls import api as api_v3

from cms import urls as site_urls

from .views import floor

handler404 = site_urls.handler404
handler500 = site_urls.handler500

api_v2 = WagtailAPIRouter("wagtailapi_v2")
api_v2.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/api/v2/", api_v2.urls),
    path("bench/api/v3/", api_v3.urls),
    *site_urls.urlpatterns,
]
