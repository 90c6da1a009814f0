from django.http import Http404

from pages.visibility import has_expired


class ExpiryAwareRoutingMixin:
    """
    Serves a page only until its expiry date, to the second.

    Wagtail routes to any `live` page, and `live` turns false only when `publish_scheduled` (cron,
    every minute) unpublishes an expired page: without this, a page would stay online for up to a
    minute past its date, or for as long as cron is not running. Its children are routed as usual,
    as they are once the page is unpublished. Goes before `RoutablePageMixin` and `Page` in the bases,
    so a routable page's sub-URLs expire with it.
    """

    def route(self, request, path_components):
        result = super().route(request, path_components)
        if result.page.pk == self.pk and has_expired(self):
            raise Http404("This page has expired.")
        return result
