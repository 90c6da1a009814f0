"""
Who may do what through the management API.

A token acts as its user, with exactly that user's Wagtail page permissions (the same
`PagePermissionTester` the admin consults): an editor whose pages need moderation can save
drafts and submit them, but not publish. Anonymous requests never reach a write.

A page whose drafts the user may not see (they could neither edit nor publish it in the admin) is
not there for them: 404, as for a page that does not exist (`page_with_drafts_for`). A page they may
see but may not do this to is a 403 naming what they lack (`ensure`, `ensure_can_edit`).
"""

from rest_framework import permissions
from rest_framework.exceptions import NotFound, PermissionDenied
from wagtail.models import Page


class TokenRequired(permissions.BasePermission):
    """Only requests authenticated with an API token (see `api.authentication`)."""

    message = "This operation needs an API token: send `Authorization: Bearer <token>`."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.auth is not None)


def page_permissions(request, page: Page):
    return page.permissions_for_user(request.user)


def page_with_drafts_for(request, page: Page | None) -> Page:
    """
    `page`, if the request's user may see its drafts: they could edit or publish it in the admin.
    To anyone else, as when `page` is None (no page was found), it is not there: 404.
    """
    if page is not None:
        tester = page_permissions(request, page)
        if tester.can_edit() or tester.can_publish():
            return page
    raise NotFound("No page you can edit has this id.")


def ensure_can_edit(request, page: Page) -> None:
    """403 unless the request's user may edit `page`."""
    ensure(page_permissions(request, page).can_edit(), "Your user may not edit this page.")


def ensure(allowed: bool, detail: str) -> None:
    """403 with `detail` unless `allowed`."""
    if not allowed:
        raise PermissionDenied(detail)
