"""
Sending deliveries: a background task per webhook and ordering key, retries with exponential backoff.

`deliver_queue(webhook_id, ordering_key)` sends the deliveries of one webhook about one subject (a
page, a snippet, a settings object) oldest first, and stops at the first failure: that delivery is
retried after `WEBHOOK_RETRY_DELAYS[attempt - 1]` seconds (30 s, 2 min, 10 min, 1 h, 6 h by default),
and the later ones wait for it, so a receiver sees a page's events in the order they happened. After
the last retry the delivery is marked failed and the queue moves on.

Several workers may run the task at once. Each attempt first claims the oldest unfinished delivery
of its queue with a conditional UPDATE (pending → delivering), so exactly one worker sends it, and
nobody sends a later one while it is out. A worker that dies mid-attempt leaves its claim behind for
`LEASE`; after that the delivery may be claimed again.

The task runs on the "webhooks" task backend: django-tasks-db's database queue, worked by
`manage.py db_worker --backend webhooks` (ImmediateBackend in tests). Retries are enqueued with
`run_after`; `enqueue_due_deliveries` (`manage.py sweep_webhooks`, from cron) re-queues anything due
that a lost task or a crashed worker left behind.

No database transaction is open while a request is out: a slow receiver holds no lock.
"""

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .models import WebhookDelivery
from .signing import signed_headers

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status

CONNECT_TIMEOUT = 3
READ_TIMEOUT = 10
# A claim older than this belongs to a worker that died mid-attempt (an attempt takes at most ~13 s).
LEASE = timedelta(minutes=2)
MAX_ERROR_LENGTH = WebhookDelivery._meta.get_field("last_error").max_length


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    response_code: int | None = None
    error: str = ""


@task(backend="webhooks")
def deliver_queue(webhook_id: int, ordering_key: str) -> int:
    """Send the due deliveries of one webhook about one subject, oldest first; return how many were attempted."""
    attempted = 0
    while (delivery := claim_next(webhook_id, ordering_key)) is not None:
        outcome = send(delivery)
        attempted += 1
        if not record_outcome(delivery, outcome):
            break  # our claim expired and another worker took the queue over
        if delivery.status == Status.PENDING:
            schedule_retry(delivery)
            break
    return attempted


def claim_next(webhook_id: int, ordering_key: str) -> WebhookDelivery | None:
    """The oldest unfinished delivery of the queue, claimed for sending; None if it is not due or not ours."""
    head = (
        WebhookDelivery.objects.select_related("webhook")
        .filter(webhook_id=webhook_id, ordering_key=ordering_key, status__in=[Status.PENDING, Status.DELIVERING])
        .order_by("id")
        .first()
    )
    if head is None or not head.webhook.is_active:
        return None
    now = timezone.now()
    if head.status == Status.PENDING and head.next_attempt_at > now:
        return None  # waiting for its retry; the later ones wait behind it
    if head.status == Status.DELIVERING and head.last_attempt_at and head.last_attempt_at > now - LEASE:
        return None  # another worker is sending it
    claimed = WebhookDelivery.objects.filter(pk=head.pk, status=head.status, attempts=head.attempts).update(
        status=Status.DELIVERING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return None
    head.status, head.attempts, head.last_attempt_at = Status.DELIVERING, head.attempts + 1, now
    return head


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def send(delivery: WebhookDelivery) -> Outcome:
    """POST the delivery once. 2xx is success; redirects are not followed (they count as failures)."""
    body = encode(delivery.payload)
    headers = signed_headers(delivery.webhook.secret, str(delivery.uuid), body)
    try:
        with requests.post(
            delivery.webhook.url,
            data=body,
            headers=headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            allow_redirects=False,
            stream=True,  # the status line is all we need; the body is never read
        ) as response:
            code, reason = response.status_code, response.reason or ""
    except requests.ConnectTimeout:
        return Outcome(False, error=f"No connection within {CONNECT_TIMEOUT} s.")
    except requests.ReadTimeout:
        return Outcome(False, error=f"No response within {READ_TIMEOUT} s.")
    except requests.exceptions.SSLError as error:
        return Outcome(False, error=f"TLS failed: {root_cause(error)}"[:MAX_ERROR_LENGTH])
    except requests.ConnectionError as error:
        return Outcome(False, error=f"Could not connect: {root_cause(error)}"[:MAX_ERROR_LENGTH])
    except requests.RequestException as error:
        return Outcome(False, error=f"{type(error).__name__}: {root_cause(error)}"[:MAX_ERROR_LENGTH])
    if 200 <= code < 300:
        return Outcome(True, code)
    error = f"HTTP {code} {reason}".strip()
    if 300 <= code < 400:
        error += " (redirects are not followed)"
    return Outcome(False, code, error[:MAX_ERROR_LENGTH])


def root_cause(error: BaseException) -> str:
    """
    What went wrong at the bottom of requests' and urllib3's wrapped exceptions, for people:
    "Connection refused", "Name or service not known", a certificate problem.
    """
    seen, pending, deepest = set(), [error], error
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            return current.strerror
        deepest = current
        wrapped = [getattr(current, "reason", None), current.__cause__, current.__context__, *current.args]
        pending += [item for item in wrapped if isinstance(item, BaseException)]
    return str(deepest) or type(deepest).__name__


def record_outcome(delivery: WebhookDelivery, outcome: Outcome) -> bool:
    """Store what the attempt did and what happens next; False if the claim was lost meanwhile."""
    now = timezone.now()
    delivery.last_response_code = outcome.response_code
    delivery.last_error = outcome.error
    delays = settings.WEBHOOK_RETRY_DELAYS
    if outcome.delivered:
        delivery.status, delivery.delivered_at = Status.SUCCEEDED, now
    elif delivery.attempts <= len(delays):
        delivery.status = Status.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=delays[delivery.attempts - 1])
    else:
        delivery.status = Status.FAILED
        logger.warning(
            "Webhook delivery %s gave up after %d attempts: %s", delivery.uuid, delivery.attempts, outcome.error
        )
    return bool(
        WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.DELIVERING, attempts=delivery.attempts).update(
            status=delivery.status,
            delivered_at=delivery.delivered_at,
            next_attempt_at=delivery.next_attempt_at,
            last_response_code=delivery.last_response_code,
            last_error=delivery.last_error,
        )
    )


def schedule_retry(delivery: WebhookDelivery) -> None:
    """Queue the task again for when the delivery is due (backends that cannot defer leave it to the sweeper)."""
    if deliver_queue.get_backend().supports_defer:
        deliver_queue.using(run_after=delivery.next_attempt_at).enqueue(delivery.webhook_id, delivery.ordering_key)


def enqueue_queues(queues) -> None:
    """Start the task for each (webhook id, ordering key)."""
    for webhook_id, ordering_key in sorted(queues):
        deliver_queue.enqueue(webhook_id, ordering_key)


def enqueue_due_deliveries() -> int:
    """Queue the task for every queue with a delivery due now or a claim left by a dead worker; how many."""
    now = timezone.now()
    queues = set(
        WebhookDelivery.objects.filter(webhook__is_active=True)
        .filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.DELIVERING, last_attempt_at__lt=now - LEASE)
        )
        .order_by()
        .values_list("webhook_id", "ordering_key")
        .distinct()
    )
    enqueue_queues(queues)
    return len(queues)


def prune_finished_deliveries(older_than: timedelta) -> int:
    """Delete succeeded and failed deliveries created more than `older_than` ago; how many."""
    cutoff = timezone.now() - older_than
    deleted, _ = WebhookDelivery.objects.filter(
        status__in=[Status.SUCCEEDED, Status.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted


def redeliver(delivery: WebhookDelivery) -> bool:
    """
    Send `delivery` again, now, with a fresh set of retries. False while it is being sent.

    It keeps its delivery id, so a receiver that already processed it can tell.
    """
    reset = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(status=Status.DELIVERING)
        .update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), delivered_at=None)
    )
    if reset:
        queue = (delivery.webhook_id, delivery.ordering_key)
        transaction.on_commit(lambda: enqueue_queues({queue}), robust=True)
    return bool(reset)


def resume(webhook) -> None:
    """After a webhook is saved: if it is active, send what queued up while it was not (nothing otherwise)."""
    if not webhook.is_active:
        return
    queues = set(
        webhook.deliveries.filter(status=Status.PENDING).order_by().values_list("webhook_id", "ordering_key").distinct()
    )
    if queues:
        transaction.on_commit(lambda: enqueue_queues(queues), robust=True)
