"""Webhooks in the admin: Settings → Webhooks (with the delivery log), and the "Redeliver" history entry."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .admin_views import NAME, REDELIVER_ACTION, WebhookViewSet


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
