"""Webhook deliveries end to end, against a real receiver on 127.0.0.1: events, payload, signature, retries, order."""

import signal
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from pages.models import CallToAction, NavigationMenu, ServicePage, SiteSettings, SocialLink
from tests.factories import ServicePageFactory, WebhookFactory
from tests.webhooks.receiver import publish, verify
from webhooks.delivery import LEASE, claim_next, enqueue_due_deliveries, resume
from webhooks.models import WebhookDelivery
from webhooks.signing import generate_secret

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


@pytest.fixture
def webhook(receiver, seeded_site):
    return WebhookFactory(url=receiver.url)


def retry_when_due(delivery: WebhookDelivery) -> None:
    """Move the clock past the delivery's next attempt, and queue what is due, as `sweep_webhooks` does."""
    delivery.refresh_from_db()
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        enqueue_due_deliveries()
    delivery.refresh_from_db()


def test_publishing_sends_one_signed_post_with_the_page(receiver, webhook, flask_page, committed):
    with committed():
        revision = publish(flask_page)

    [request] = receiver.requests
    assert verify(webhook.secret, request)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"] == "NextBigIt-Webhooks/1"
    payload = request.json
    delivery = WebhookDelivery.objects.get()
    assert payload["event"] == "page.published"
    assert payload["delivery_id"] == request.headers["webhook-id"] == str(delivery.uuid)
    assert payload["timestamp"].endswith("Z")
    assert payload["page"] == {
        "id": flask_page.pk,
        "type": "pages.ServicePage",
        "title": flask_page.title,
        "path": "/services/flask/",
        "url": "http://localhost/services/flask/",
        "api_url": f"http://testserver/api/v1/pages/{flask_page.pk}/",
        "revision_id": revision.pk,
    }
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (Status.SUCCEEDED, 1, 204)


def test_a_signature_made_with_another_secret_does_not_verify(receiver, webhook, flask_page, committed):
    with committed():
        publish(flask_page)

    assert not verify(generate_secret(), receiver.requests[0])


def test_saving_a_draft_or_scheduling_sends_nothing(receiver, webhook, flask_page, committed):
    with committed():
        flask_page.title = "Flask, drafted"
        flask_page.save_revision()
        unpublished = ServicePageFactory(parent=flask_page.get_parent(), slug="later", live=False)
        unpublished.go_live_at = timezone.now() + timedelta(days=1)
        unpublished.save_revision().publish()

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_scheduled_page_is_announced_when_it_goes_live(receiver, webhook, flask_page, committed):
    with committed():
        page = ServicePageFactory(parent=flask_page.get_parent(), slug="later", live=False)
        page.go_live_at = timezone.now() + timedelta(hours=1)
        page.save_revision().publish()

    with time_machine.travel(timezone.now() + timedelta(hours=2)), committed():
        call_command("publish_scheduled", verbosity=0)

    assert receiver.events == ["page.published"]
    assert receiver.requests[0].json["page"]["id"] == page.pk


def test_a_rolled_back_publish_sends_nothing(receiver, webhook, flask_page, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        publish(flask_page)
        raise RuntimeError("the rest of the request failed")

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_unpublishing_moving_and_deleting_are_announced(receiver, webhook, flask_page, seeded_site, committed):
    with committed():
        flask_page.unpublish()
    assert receiver.events == ["page.unpublished"]
    assert receiver.requests[-1].json["page"]["revision_id"] is None

    with committed():
        flask_page.refresh_from_db()
        publish(flask_page)
        flask_page.move(seeded_site.root_page, pos="last-child")
    moved = receiver.requests[-1].json
    assert moved["event"] == "page.moved"
    assert (moved["page"]["path"], moved["page"]["previous_path"]) == ("/flask/", "/services/flask/")

    with committed():
        Page.objects.get(pk=flask_page.pk).delete()
    assert receiver.events[-2:] == ["page.unpublished", "page.deleted"]
    deleted = receiver.requests[-1].json["page"]
    assert (deleted["id"], deleted["path"], deleted["type"]) == (flask_page.pk, "/flask/", "pages.ServicePage")


def test_a_draft_page_that_was_never_published_is_deleted_silently(receiver, webhook, flask_page, committed):
    draft = ServicePageFactory(parent=flask_page.get_parent(), slug="draft", live=False)

    with committed():
        draft.delete()

    assert receiver.requests == []


def test_a_snippet_saved_as_the_admin_saves_it_is_one_event(receiver, webhook, committed):
    call_to_action = CallToAction.objects.first()

    with committed(), transaction.atomic():
        call_to_action.heading = "Hire us today"
        call_to_action.save()
        call_to_action.save_revision()

    [request] = receiver.requests
    assert request.json["event"] == "snippet.changed"
    assert request.json["snippet"] == {
        "type": "pages.CallToAction",
        "id": call_to_action.pk,
        "api_url": f"http://testserver/api/v1/snippets/calls-to-action/{call_to_action.pk}/",
        "deleted": False,
    }


def test_settings_saved_with_their_inline_items_are_one_event(receiver, webhook, seeded_site, committed):
    settings = SiteSettings.for_site(seeded_site)

    with committed(), transaction.atomic():
        settings.company_name = "NextBigIt Ltd"
        settings.save()
        SocialLink.objects.create(settings=settings, service="github", url="https://github.com/nextbigit")
        SocialLink.objects.create(settings=settings, service="x", url="https://x.com/nextbigit")

    [request] = receiver.requests
    assert request.json["event"] == "settings.changed"
    assert request.json["settings"] == {
        "type": "pages.SiteSettings",
        "id": settings.pk,
        "site_id": seeded_site.pk,
        "api_url": "http://testserver/api/v1/settings/",
    }


def test_changing_the_menu_is_a_settings_event(receiver, webhook, seeded_site, committed):
    menu = NavigationMenu.for_site(seeded_site)

    with committed():
        item = menu.items.first()
        item.label = "What we do"
        item.save()

    assert receiver.requests[0].json["settings"]["type"] == "pages.NavigationMenu"


def test_webhooks_get_only_the_events_they_subscribe_to_and_only_while_active(receiver, seeded_site, committed):
    unpublish_only = WebhookFactory(url=receiver.url, events=["page.unpublished"])
    WebhookFactory(url=receiver.url, is_active=False)
    flask_page = ServicePage.objects.get(slug="flask")

    with committed():
        publish(flask_page)
        flask_page.unpublish()

    assert receiver.events == ["page.unpublished"]
    assert list(WebhookDelivery.objects.values_list("webhook", flat=True)) == [unpublish_only.pk]


def test_a_failed_delivery_is_retried_later_and_the_same_delivery_id_is_sent(receiver, webhook, flask_page, committed):
    receiver.fail_next(2)
    with committed():
        publish(flask_page)
    delivery = WebhookDelivery.objects.get()
    delivery_id = str(delivery.uuid)
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (Status.PENDING, 1, 500)
    assert delivery.last_error == "HTTP 500 Internal Server Error"

    enqueue_due_deliveries()  # not due yet: 30 s
    assert len(receiver.requests) == 1

    retry_when_due(delivery)
    retry_when_due(delivery)
    assert [request.headers["webhook-id"] for request in receiver.requests] == [delivery_id] * 3
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.SUCCEEDED, 3, "")


def test_the_backoff_grows_with_each_attempt(receiver, webhook, flask_page, committed, settings):
    receiver.fail_next(10)
    with committed():
        publish(flask_page)
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _attempt in range(3):
        waits.append(round((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()))
        retry_when_due(delivery)

    assert waits == settings.WEBHOOK_RETRY_DELAYS[:3] == [30, 120, 600]


def test_after_the_last_retry_the_delivery_is_failed_and_the_next_one_goes(
    receiver, webhook, flask_page, settings, committed
):
    settings.WEBHOOK_RETRY_DELAYS = [1, 2]
    receiver.fail_next(3)
    with committed():
        publish(flask_page)
    with committed():
        publish(flask_page)
    first, second = WebhookDelivery.objects.order_by("id")

    retry_when_due(first)
    retry_when_due(first)

    second.refresh_from_db()
    assert (first.status, first.attempts) == (Status.FAILED, 3)
    assert (second.status, second.attempts) == (Status.SUCCEEDED, 1)
    assert [request.headers["webhook-id"] for request in receiver.requests] == [str(first.uuid)] * 3 + [
        str(second.uuid)
    ]


def test_a_pages_events_arrive_in_order_after_the_receiver_recovers(receiver, webhook, flask_page, committed):
    receiver.fail_next(1)
    with committed():
        first = publish(flask_page)
    flask_page.refresh_from_db()
    with committed():
        second = publish(flask_page)
    assert len(receiver.requests) == 1, "the second publish must wait for the first one's retry"

    retry_when_due(WebhookDelivery.objects.order_by("id").first())

    revisions = [request.json["page"]["revision_id"] for request in receiver.requests]
    assert revisions == [first.pk, first.pk, second.pk]


def test_other_pages_are_not_held_up_by_a_failing_one(receiver, webhook, flask_page, committed):
    receiver.fail_next(1)
    with committed():
        publish(flask_page)
    other = ServicePageFactory(parent=flask_page.get_parent(), slug="django", live=False)

    with committed():
        publish(other)

    assert [request.json["page"]["id"] for request in receiver.requests] == [flask_page.pk, other.pk]


def test_a_redirect_is_not_followed(receiver, webhook, flask_page, committed):
    receiver.fail_next(1, status=301)

    with committed():
        publish(flask_page)

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert delivery.status == Status.PENDING
    assert delivery.last_error == "HTTP 301 Moved Permanently (redirects are not followed)"


def test_an_unreachable_receiver_is_an_error_not_a_crash(seeded_site, flask_page, committed):
    WebhookFactory(url="http://127.0.0.1:9/nothing-listens-here/")

    with committed():
        publish(flask_page)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_response_code) == (Status.PENDING, None)
    assert delivery.last_error == "Could not connect: Connection refused"


def test_only_one_worker_can_claim_a_delivery(webhook, flask_page):
    publish(flask_page)  # stored; its task waits for a commit that never comes in this test
    delivery = WebhookDelivery.objects.get()

    claimed = claim_next(webhook.pk, delivery.ordering_key)

    assert claimed is not None and claimed.pk == delivery.pk
    assert claim_next(webhook.pk, delivery.ordering_key) is None


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_lease(receiver, webhook, flask_page):
    publish(flask_page)
    delivery = WebhookDelivery.objects.get()
    claim_next(webhook.pk, delivery.ordering_key)  # ...and the worker dies

    enqueue_due_deliveries()
    assert receiver.requests == []
    with time_machine.travel(timezone.now() + LEASE + timedelta(seconds=1)):
        enqueue_due_deliveries()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SUCCEEDED, 2)
    assert len(receiver.requests) == 1


def test_deliveries_of_an_inactive_webhook_wait_until_it_is_active_again(receiver, webhook, flask_page, committed):
    receiver.fail_next(1)
    with committed():
        publish(flask_page)
    webhook.is_active = False
    webhook.save()

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        enqueue_due_deliveries()
        assert len(receiver.requests) == 1

        with committed():
            webhook.is_active = True
            webhook.save()
            resume(webhook)
    assert WebhookDelivery.objects.get().status == Status.SUCCEEDED


def test_sweep_webhooks_retries_what_is_due_and_deletes_old_finished_deliveries(
    receiver, webhook, flask_page, committed
):
    with committed():
        publish(flask_page)
    receiver.fail_next(10)
    with committed():
        publish(flask_page)

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        call_command("sweep_webhooks", verbosity=0)

    # The succeeded delivery is gone; the failing one, still pending, was attempted again and kept.
    assert list(WebhookDelivery.objects.values_list("status", "attempts")) == [(Status.PENDING, 2)]
    assert len(receiver.requests) == 3


# With the database queue and its worker, as in production ------------------------------------------------


@pytest.fixture
def database_queue(settings):
    """Deliveries go to django-tasks-db's queue, as in production, instead of being sent in the test."""
    settings.TASKS = {**settings.TASKS, "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@contextmanager
def _own_signal_handlers():
    """db_worker installs SIGINT/SIGTERM handlers for itself; give pytest its own back afterwards."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def run_worker() -> None:
    """`manage.py db_worker --backend webhooks --batch`: work the queue until nothing is due, then stop."""
    with _own_signal_handlers():
        call_command("db_worker", "--backend", "webhooks", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


worker_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@worker_test
def test_a_slow_receiver_does_not_slow_publishing(receiver, webhook, flask_page, database_queue):
    receiver.delay = 5

    started = time.monotonic()
    publish(flask_page)
    publishing_took = time.monotonic() - started

    assert publishing_took < 2.5, f"publishing took {publishing_took:.1f} s"
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == Status.PENDING

    run_worker()

    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == Status.SUCCEEDED


@worker_test
def test_the_worker_retries_with_backoff_until_the_receiver_recovers(receiver, webhook, flask_page, database_queue):
    receiver.fail_next(2)
    publish(flask_page)
    delivery = WebhookDelivery.objects.get()

    run_worker()
    run_worker()  # the retry is scheduled 30 s later: nothing is due yet
    assert len(receiver.requests) == 1

    for _retry in range(2):
        delivery.refresh_from_db()
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
            run_worker()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SUCCEEDED, 3)
    assert [request.headers["webhook-id"] for request in receiver.requests] == [str(delivery.uuid)] * 3


@worker_test
def test_the_worker_keeps_a_pages_order(receiver, webhook, flask_page, database_queue):
    receiver.fail_next(1)
    first = publish(flask_page)
    flask_page.refresh_from_db()
    second = publish(flask_page)

    run_worker()
    assert len(receiver.requests) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        run_worker()

    assert [request.json["page"]["revision_id"] for request in receiver.requests] == [first.pk, first.pk, second.pk]
