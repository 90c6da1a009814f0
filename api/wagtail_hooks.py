"""Admin integration of the API: its audit log actions and headless preview's "Preview in front end" button."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.widgets import Button

from .audit import register_api_actions
from .frontend_preview import URL_NAME, preview_in_front_end, preview_url

hooks.register("register_log_actions", register_api_actions)


@hooks.register("register_admin_urls")
def preview_in_front_end_urls():
    # Wagtail wraps admin URLs in its admin-access check: anonymous users are sent to the login page.
    return [path("preview-in-front-end/<int:page_id>/", preview_in_front_end, name=URL_NAME)]


@hooks.register("register_page_header_buttons")
def preview_in_front_end_button(page, user, view_name, next_url=None):
    """'Preview in front end' in the page header's actions menu (edit view and page explorer), for its editors."""
    if page.latest_revision_id and page.permissions_for_user(user).can_edit():
        yield Button(
            "Preview in front end",
            preview_url(page),
            icon_name="link-external",
            attrs={"target": "_blank", "rel": "noopener"},
            priority=12,
        )
