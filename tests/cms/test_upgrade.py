"""
Upgrading a database from before the apps were split: webhooks from `api`, the contact page and leads from `pages`.

Rows, permissions and queued tasks follow their models.
"""

import base64

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leads.models import ContactPage, Lead
from webhooks.models import Webhook, WebhookDelivery

# Where the api app still had the webhooks: before the webhooks app existed.
# The api app still had the webhooks, the pages app the contact page and the leads.
BEFORE_THE_MOVES = [
    ("api", "0001_initial"),
    ("webhooks", None),
    ("pages", "0004_contact_page_and_leads"),
    ("leads", None),
]


def migrate(targets=None):
    """Migrate the test database to `targets` (default: the latest migrations); the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def in_database(model) -> ContentType:
    """
    The content type of `model` as the database has it now, not from ContentType's per-process cache.

    The cache is not cleared instead: restoring the database after the test saves rows whose signal
    handlers look content types up, and an emptied cache would make them create duplicates first.
    """
    return ContentType.objects.get(app_label=model._meta.app_label, model=model._meta.model_name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_webhooks_and_leads_stored_before_the_moves_are_found_after_them():
    old = migrate(BEFORE_THE_MOVES)
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
    queued = DBTaskResult.objects.create(  # django-tasks-db's table is the same before and after
        task_path="api.webhooks.delivery.deliver_queue",
        args_kwargs={"args": [webhook.pk, "page:3"], "kwargs": {}},
        backend_name="webhooks",
        run_after=timezone.now(),
    )
    lead = old.get_model("pages", "Lead").objects.create(
        name="Ada", email="ada@example.com", message="A Flask app, please.", consent=True
    )
    lead_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(app_label="pages", model="lead")
    contact_page_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="pages", model="contactpage"
    )
    view_leads, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=lead_type, codename="view_lead", defaults={"name": "Can view lead"}
    )
    old.get_model("auth", "Group").objects.create(name="Sales").permissions.add(view_leads)

    migrate()

    moved = Webhook.objects.get(name="Front end")
    assert moved.pk == webhook.pk and moved.url == "https://www.example.com/hook"
    assert moved.secret == "whsec_" + base64.b64encode(b"x" * 43).decode()  # the same HMAC key, Standard Webhooks' way
    assert WebhookDelivery.objects.get().webhook == moved
    assert in_database(Webhook).pk == content_type.pk
    managers = Group.objects.get(name="Webhook managers")
    assert list(managers.permissions.values_list("content_type__app_label", "codename")) == [
        ("webhooks", "change_webhook")
    ]
    assert DBTaskResult.objects.get(pk=queued.pk).task_path == "webhooks.delivery.deliver_queue"
    # The contact page and the leads: content types keep their ids, so pages of the type keep it too.
    moved_lead = Lead.objects.get(email="ada@example.com")
    assert moved_lead.pk == lead.pk and moved_lead.message == "A Flask app, please."
    assert in_database(Lead).pk == lead_type.pk
    assert in_database(ContactPage).pk == contact_page_type.pk
    sales = Group.objects.get(name="Sales")
    assert list(sales.permissions.values_list("content_type__app_label", "codename")) == [("leads", "view_lead")]
