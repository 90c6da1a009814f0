"""
The audit trail of management API writes, in Wagtail's own audit log.

Every write made with a token is attributable: `api_write(request)` wraps the write, so that
every log entry written meanwhile — ours and the ones Wagtail writes itself (`wagtail.create`,
workflow steps, locks) — shares one LogContext (user and uuid, as in the admin) and carries
`data["api"] = {"token": name, "token_prefix": prefix}`. Operations we perform ourselves use the
`api.*` actions registered in `api.wagtail_hooks`, so the page history reads "Edited through the
API (token “Next.js”)" rather than a bare "Edited".
"""

import contextvars
from contextlib import contextmanager

from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.log_actions import LogContext, LogFormatter, log
from wagtail.models import ModelLogEntry, PageLogEntry

_active_token = contextvars.ContextVar("api_write_token", default=None)

# code → (label, past-tense message); the message gets " through the API (token “name”)".
API_ACTIONS = {
    "api.create": ("Create (API)", "Created"),
    "api.edit": ("Edit (API)", "Edited"),
    "api.section.add": ("Add section (API)", "Added a section"),
    "api.section.update": ("Edit section (API)", "Edited a section"),
    "api.section.move": ("Move section (API)", "Moved a section"),
    "api.section.delete": ("Delete section (API)", "Deleted a section"),
    "api.publish": ("Publish (API)", "Published"),
    "api.unpublish": ("Unpublish (API)", "Unpublished"),
    "api.schedule": ("Schedule (API)", "Scheduled"),
    "api.submit": ("Submit for moderation (API)", "Submitted for moderation"),
    "api.revert": ("Revert (API)", "Reverted"),
    "api.webhook.create": ("Create webhook (API)", "Created a webhook"),
    "api.webhook.edit": ("Edit webhook (API)", "Edited a webhook"),
    "api.webhook.delete": ("Delete webhook (API)", "Deleted a webhook"),
    "api.webhook.redeliver": ("Redeliver webhook delivery (API)", "Redelivered a webhook delivery"),
}


def token_description(token) -> dict:
    return {"token": token.name, "token_prefix": token.prefix}


class ApiActionFormatter(LogFormatter):
    """Base of the API actions' formatters: "<message>[ (<section>)] through the API (token “name”)"."""

    def format_message(self, log_entry):
        token = (log_entry.data or {}).get("api", {}).get("token")
        via = f" through the API (token “{token}”)" if token else " through the API"
        section = (log_entry.data or {}).get("section")
        return f"{self.message}{f' ({section})' if section else ''}{via}"


def register_api_actions(actions) -> None:
    for code, (label, message) in API_ACTIONS.items():
        formatter = type("ApiActionFormatter", (ApiActionFormatter,), {"label": label, "message": message})
        actions.register_action(code)(formatter)


@contextmanager
def api_write(request):
    """Attribute every audit log entry written inside to the request's user and API token."""
    marker = _active_token.set(token_description(request.auth))
    try:
        with LogContext(user=request.user):
            yield
    finally:
        _active_token.reset(marker)


def log_api_action(instance, action: str, *, data: dict | None = None, **kwargs):
    """Log one of the API_ACTIONS for `instance` (user, uuid and token come from `api_write`)."""
    if action not in API_ACTIONS:
        raise ValueError(f"unregistered API log action {action!r}")
    return log(instance, action, data=data or {}, **kwargs)


# Only Wagtail's log entry models: every other save costs nothing.
@receiver(pre_save, sender=PageLogEntry, dispatch_uid="api-audit-mark-log-entries")
@receiver(pre_save, sender=ModelLogEntry, dispatch_uid="api-audit-mark-log-entries")
def mark_entries_written_through_the_api(sender, instance, **kwargs):
    token = _active_token.get()
    if token is not None and instance._state.adding:
        instance.data = {**(instance.data or {}), "api": token}
