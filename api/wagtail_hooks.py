"""Admin integration of the API: its audit log actions, webhooks under Settings, "Preview in front end"."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from .audit import register_api_actions
from .frontend_preview import URL_NAME, preview_in_front_end, preview_url
from .webhooks.admin_views import NAME, REDELIVER_ACTION, WebhookViewSet

hooks.register("register_log_actions", register_api_actions)


@hooks.register("register_log_actions")
def register_webhook_actions(actions):
    @actions.register_action(REDELIVER_ACTION)
    class RedeliverFormatter(LogFormatter):
        label = "Redeliver webhook delivery"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"Redelivered delivery {data.get('delivery_id')} ({data.get('event')})"


@hooks.register("register_admin_viewset")
def register_webhook_viewset():
    return WebhookViewSet(NAME)


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
