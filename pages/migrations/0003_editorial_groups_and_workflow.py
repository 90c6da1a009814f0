"""Create the Editors and Moderators groups and the service-page moderation workflow (see pages.editorial)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups_and_workflow(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from pages.editorial import configure_editorial_workflow

    configure_editorial_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_reusable_content_settings_seo_sections"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups_and_workflow, migrations.RunPython.noop)]
