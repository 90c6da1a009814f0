"""
The admin end of headless preview: "Preview in front end" hands a draft to the external front end.

The admin link points here rather than straight at the front end, so that the token is made
when the editor clicks and names the revision that is latest at that moment, not the one that
was latest when the page header was rendered. The view sends the editor on to
`settings.FRONTEND_PREVIEW_URL?token=…&path=…`; the front end reads the draft from
`GET /api/v1/preview/?token=…` (see `api.views.preview`).
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.models import Page

from .preview import make_preview_token

URL_NAME = "pages_preview_in_front_end"


def preview_url(page: Page) -> str:
    """The admin URL that sends an editor to the front end's preview of `page`."""
    return reverse(URL_NAME, args=[page.pk])


def frontend_preview_url(token: str, path: str | None) -> str:
    """`FRONTEND_PREVIEW_URL` with `token` and `path` added to whatever query it already has."""
    base = urlsplit(settings.FRONTEND_PREVIEW_URL)
    query = [*parse_qsl(base.query, keep_blank_values=True), ("token", token)]
    if path:
        query.append(("path", path))
    return urlunsplit(base._replace(query=urlencode(query)))


def preview_in_front_end(request, page_id: int):
    """Redirect an editor of the page to the front end, with a token for the page's latest revision."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        # Wagtail's admin URL wrapper turns this into its usual "no permission" redirect.
        raise PermissionDenied
    revision = page.get_latest_revision()
    if revision is None:
        messages.error(request, "This page has no saved version to preview yet. Save a draft first.")
        return redirect("wagtailadmin_pages:edit", page.pk)
    # The draft's own path: a draft that changes the slug previews at its future address.
    url_parts = revision.as_object().get_url_parts(request)
    path = url_parts[2] if url_parts else None
    return redirect(frontend_preview_url(make_preview_token(page, revision), path))
