"""
Webhooks move here from the api app, with their tables: in Django's state only.

The tables stay `api_webhook` and `api_webhookdelivery` (db_table), with their rows and index names,
so nothing is copied; api's 0002 then removes the models from the api app's state.
"""

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

import webhooks.models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('api', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Webhook',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text="What receives the events, e.g. 'Next.js front end'.", max_length=100)),
                        ('url', models.URLField(help_text='Where events are POSTed. Use https:// for anything outside your own network.', max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='URL')),
                        ('secret', models.CharField(blank=True, help_text='Signs every delivery (HMAC-SHA256, see the Webhook-Signature header). Leave empty to generate a random one; at least 24 characters otherwise.', max_length=200, validators=[django.core.validators.MinLengthValidator(24)])),
                        ('events', models.JSONField(default=list, help_text='The events to send.', validators=[webhooks.models.validate_events])),
                        ('is_active', models.BooleanField(default=True, help_text='Inactive webhooks receive nothing; their queued deliveries wait.', verbose_name='active')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'api_webhook',
                        'ordering': ['name', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Sent as the Webhook-Id header.', unique=True, verbose_name='delivery id')),
                        ('event', models.CharField(choices=[('page.published', 'Page published'), ('page.unpublished', 'Page unpublished'), ('page.deleted', 'Page deleted'), ('page.moved', 'Page moved'), ('snippet.changed', 'Snippet changed'), ('settings.changed', 'Settings changed')], max_length=40)),
                        ('ordering_key', models.CharField(max_length=200)),
                        ('payload', models.JSONField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('delivering', 'Delivering'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='pending', max_length=20)),
                        ('attempts', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('next_attempt_at', models.DateTimeField(help_text='When a pending delivery is (next) due.')),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('last_response_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('last_error', models.CharField(blank=True, max_length=500)),
                        ('delivered_at', models.DateTimeField(blank=True, null=True)),
                        ('webhook', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='webhooks.webhook')),
                    ],
                    options={
                        'db_table': 'api_webhookdelivery',
                        'verbose_name_plural': 'webhook deliveries',
                        'ordering': ['-id'],
                        'indexes': [models.Index(fields=['webhook', 'ordering_key', 'status', 'id'], name='api_delivery_queue_idx'), models.Index(fields=['status', 'next_attempt_at'], name='api_delivery_due_idx')],
                    },
                ),
            ],
        ),
    ]
