from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import health, login_limits
from pages import views as pages_views

handler400 = "core.errors.bad_request"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("api.urls")),
    path("sitemap.xml", pages_views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", pages_views.sitemap_section, name="sitemap_section"),
    path("robots.txt", pages_views.robots_txt, name="robots_txt"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page-password form under its own path and name, with a per-IP limit on wrong passwords.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        login_limits.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail's page serving catches every remaining path, so it comes last.
    path("", include(wagtail_urls)),
]
