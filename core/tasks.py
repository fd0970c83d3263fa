"""Background work of the shared plumbing."""

from celery import shared_task

from . import outbox


@shared_task(ignore_result=True)
def drain_outbox() -> int:
    """Send the tasks a broker outage left waiting (core.outbox); Celery beat, every minute."""
    return outbox.drain()
