"""Who may manage webhooks: superusers, and users with the webhook model permissions (add, change, delete, view)."""

from wagtail.permissions import policy_registry

from .models import Webhook


def webhook_permission_policy():
    """The webhooks' permission policy, as the admin's Settings → Webhooks uses it; delivery logs answer to it too."""
    return policy_registry.get_by_type(Webhook)
