from django.db import migrations, models

CLOCK = "*clock*"


def start_the_clock(apps, schema_editor):
    apps.get_model("core", "TagVersion").objects.get_or_create(tag=CLOCK, defaults={"version": 0})


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="TagVersion",
            fields=[
                ("tag", models.CharField(max_length=255, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(start_the_clock, migrations.RunPython.noop),
    ]
