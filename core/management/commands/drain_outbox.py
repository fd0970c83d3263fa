from django.core.management.base import BaseCommand

from core import outbox
from core.models import OutboxMessage


class Command(BaseCommand):
    help = (
        "Send the background tasks still waiting in the outbox (left there while the task "
        "queue was down). Celery beat does this every minute; safe to run at any time: a "
        "task that was already sent is not sent again, and each task's work runs once."
    )

    def handle(self, *args, **options):
        sent = outbox.drain()
        waiting = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
        self.stdout.write(f"{sent} waiting tasks sent; {waiting} still waiting.")
