"""
Who may do what through the management API.

A token acts as its user, with exactly that user's Wagtail page permissions (the same
`PagePermissionTester` the admin consults): an editor whose pages need moderation can save
drafts and submit them, but not publish. Anonymous requests never reach a write.
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


def ensure_can_see_drafts(request, page: Page) -> None:
    """Drafts are for users who could edit or publish the page in the admin; to anyone else the page is not there."""
    tester = page_permissions(request, page)
    if not (tester.can_edit() or tester.can_publish()):
        raise NotFound("No page you can edit has this id.")


def ensure(allowed: bool, detail: str) -> None:
    """403 with `detail` unless `allowed`."""
    if not allowed:
        raise PermissionDenied(detail)
