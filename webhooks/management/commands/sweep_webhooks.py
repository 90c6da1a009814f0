"""`manage.py sweep_webhooks`: queue webhook deliveries that are due, and delete old finished ones (cron)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from webhooks.delivery import enqueue_due_deliveries, prune_finished_deliveries


class Command(BaseCommand):
    help = (
        "Queue every webhook delivery that is due but has no task (a lost task, a worker that died mid-attempt), "
        "and delete succeeded and failed deliveries older than WEBHOOK_DELIVERY_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-days",
            type=int,
            default=settings.WEBHOOK_DELIVERY_RETENTION_DAYS,
            help="Keep finished deliveries this many days (default: %(default)s).",
        )

    def handle(self, *args, keep_days, **options):
        if keep_days < 1:
            raise CommandError("--keep-days must be at least 1.")
        queued = enqueue_due_deliveries()
        pruned = prune_finished_deliveries(timedelta(days=keep_days))
        self.stdout.write(f"Queued {queued} webhook queue(s); deleted {pruned} finished delivery(ies).")
