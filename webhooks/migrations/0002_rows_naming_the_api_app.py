"""
Rows outside our tables that named the webhooks by their old place in the api app.

- Content types: `api.webhook` and `api.webhookdelivery` become `webhooks.*`, keeping their ids, so the
  webhook permissions given to groups and users and the webhooks' history (log entries) stay theirs.
- Queued delivery tasks: django-tasks-db stores each task by its dotted path; tasks queued before the
  upgrade name `api.webhooks.delivery.deliver_queue`, which no longer imports. Finished results are
  renamed too, so that they still open in django-tasks-db's admin.
"""

from django.db import migrations

MODELS = ["webhook", "webhookdelivery"]
OLD_TASK_PATH = "api.webhooks.delivery.deliver_queue"
NEW_TASK_PATH = "webhooks.delivery.deliver_queue"


def relabel_content_types(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        moved = content_types.filter(app_label=old_label, model=model).first()
        if moved is None:
            continue  # a new database: post_migrate creates them under the right label
        # A content type under the new label exists only when a migrate stopped between the previous migration
        # and this one (post_migrate created it then, with nothing pointing at it yet): the old one wins.
        content_types.filter(app_label=new_label, model=model).delete()
        moved.app_label = new_label
        moved.save(update_fields=["app_label"])


def rename_task_paths(apps, schema_editor, old_path, new_path):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.using(schema_editor.connection.alias).filter(task_path=old_path).update(task_path=new_path)


def forwards(apps, schema_editor):
    relabel_content_types(apps, schema_editor, "api", "webhooks")
    rename_task_paths(apps, schema_editor, OLD_TASK_PATH, NEW_TASK_PATH)


def backwards(apps, schema_editor):
    relabel_content_types(apps, schema_editor, "webhooks", "api")
    rename_task_paths(apps, schema_editor, NEW_TASK_PATH, OLD_TASK_PATH)


class Migration(migrations.Migration):

    dependencies = [
        ("webhooks", "0001_initial"),
        ("api", "0002_move_webhooks_to_their_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
