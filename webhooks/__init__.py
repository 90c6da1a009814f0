"""
Webhooks: tell other systems when published content changes.

- `models`: the webhooks, the events they subscribe to, and the log of every delivery.
- `events`: the content change feed (`pages.changes`) → one `WebhookDelivery` per subscribed webhook,
  written in the transaction of the change (a rolled-back publish sends nothing) and queued once it commits.
- `payloads`: the JSON each event sends (ids, paths and URLs of live content, never a draft).
- `signing`: the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and
  the `whsec_` secrets that sign them.
- `delivery`: the background task that sends a webhook's deliveries in order, with retries and backoff.
- `admin_views`: Settings → Webhooks in the Wagtail admin, with the delivery log and "Redeliver";
  `permissions`: who may manage webhooks (the API's `/api/v1/webhooks/` asks the same).
- `management/commands/sweep_webhooks.py`: the cron job that re-queues lost deliveries and prunes old ones.

The management API's endpoints for webhooks (`api.views.webhooks`) build on this app; this app knows
nothing of the API's code (payloads name its endpoints by URL name only).

docs/webhooks.md describes them for the people who receive them.
"""
