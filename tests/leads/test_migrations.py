"""Upgrading a database from when the contact page and leads lived in the pages app: rows and permissions follow."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from leads.models import ContactPage, Lead

# Where the pages app still had the contact page and the leads: before the leads app existed.
BEFORE_THE_MOVE = [("pages", "0004_contact_page_and_leads"), ("leads", None)]


def migrate(targets=None):
    """Migrate the test database to `targets` (default: the latest migrations); the state's apps there."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes()).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_leads_stored_before_the_move_are_found_after_it():
    old = migrate(BEFORE_THE_MOVE)
    lead = old.get_model("pages", "Lead").objects.create(
        name="Ada", email="ada@example.com", message="A Flask app, please.", consent=True
    )
    old_content_types = old.get_model("contenttypes", "ContentType").objects
    lead_type, _ = old_content_types.get_or_create(app_label="pages", model="lead")
    contact_page_type, _ = old_content_types.get_or_create(app_label="pages", model="contactpage")
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=lead_type, codename="view_lead", defaults={"name": "Can view lead"}
    )
    old.get_model("auth", "Group").objects.create(name="Sales").permissions.add(permission)

    migrate()

    ContentType.objects.clear_cache()
    moved = Lead.objects.get(email="ada@example.com")
    assert moved.pk == lead.pk and moved.message == "A Flask app, please."
    # Content types keep their ids: pages of the type, permissions and log entries still point at them.
    assert ContentType.objects.get_for_model(Lead).pk == lead_type.pk
    assert ContentType.objects.get_for_model(ContactPage).pk == contact_page_type.pk
    sales = Group.objects.get(name="Sales")
    assert list(sales.permissions.values_list("content_type__app_label", "codename")) == [("leads", "view_lead")]
