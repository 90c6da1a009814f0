"""
Webhooks now belong to the webhooks app (its 0001 takes them over): the api app forgets them.

State only: the tables and their rows stay where they are, now owned by `webhooks.Webhook` and
`webhooks.WebhookDelivery`.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
        ('webhooks', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='WebhookDelivery'),
                migrations.DeleteModel(name='Webhook'),
            ],
        ),
    ]
