"""Upgrading a database from when webhooks lived in the api app: the rows, permissions and queued tasks follow."""

import base64

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from webhooks.models import Webhook, WebhookDelivery

# Where the api app still had the webhooks: before the webhooks app existed.
BEFORE_THE_MOVE = [("api", "0001_initial"), ("webhooks", None)]


def migrate(targets=None):
    """Migrate the test database to `targets` (default: the latest migrations); the state's apps there."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes()).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_webhooks_made_before_the_move_are_found_after_it():
    old = migrate(BEFORE_THE_MOVE)
    webhook = old.get_model("api", "Webhook").objects.create(
        name="Front end", url="https://www.example.com/hook", secret="x" * 43, events=["page.published"]
    )
    old.get_model("api", "WebhookDelivery").objects.create(
        webhook=webhook, event="page.published", ordering_key="page:3", payload={}, next_attempt_at=timezone.now()
    )
    content_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="api", model="webhook"
    )
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="change_webhook", defaults={"name": "Can change webhook"}
    )
    old.get_model("auth", "Group").objects.create(name="Webhook managers").permissions.add(permission)
    queued = old.get_model("django_tasks_database", "DBTaskResult").objects.create(
        task_path="api.webhooks.delivery.deliver_queue",
        args_kwargs={"args": [webhook.pk, "page:3"], "kwargs": {}},
        backend_name="webhooks",
        run_after=timezone.now(),
    )

    migrate()

    ContentType.objects.clear_cache()
    moved = Webhook.objects.get(name="Front end")
    assert moved.pk == webhook.pk and moved.url == "https://www.example.com/hook"
    assert moved.secret == "whsec_" + base64.b64encode(b"x" * 43).decode()  # the same HMAC key, Standard Webhooks' way
    assert WebhookDelivery.objects.get().webhook == moved
    assert ContentType.objects.get_for_model(Webhook).pk == content_type.pk
    managers = Group.objects.get(name="Webhook managers")
    assert list(managers.permissions.values_list("content_type__app_label", "codename")) == [
        ("webhooks", "change_webhook")
    ]
    assert DBTaskResult.objects.get(pk=queued.pk).task_path == "webhooks.delivery.deliver_queue"
