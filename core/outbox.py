"""A transactional outbox: background tasks that survive a broker that is down.

    enqueue("rootcauses.tasks.notify_off_track", update_id=update.pk)   # inside the service

1. `enqueue` writes an OutboxMessage in the caller's transaction: the task exists exactly
   when the change does.
2. After the commit, `dispatch` hands it to Celery (`send_task`, task id = the message's
   uuid) with a bounded connect timeout and no retries, so a web request never waits long
   for a broker that is down. On success the message is marked sent; on failure it stays
   pending with the error, a warning is logged, and nothing is raised to the person.
3. `drain` sends every pending message: Celery beat runs it every minute
   (core.tasks.drain_outbox), and `manage.py drain_outbox` and the daily `manage.py tick`
   run it too.
4. The task wraps its work in `run_once(self.request.id)`: it runs once per message even if
   the message reaches the queue twice (a drain racing the commit hook, a redelivery).

Without a broker (tasks in-process, the laptop default) dispatch runs the task at once.
"""

import contextlib
import logging
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Publishing from a web request: give up quickly rather than hang the page.
CONNECT_TIMEOUT_SECONDS = 2
SOCKET_TIMEOUT_SECONDS = 3


def enqueue(task: str, **kwargs: Any) -> OutboxMessage:
    """Record a task to run after the current transaction commits, and send it then."""
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: dispatch(message.pk), robust=True)
    return message


def _publish(message: OutboxMessage) -> None:
    from celery import current_app as app  # the project's app (qip/celery.py), set at start

    if app.conf.task_always_eager:
        if message.task not in app.tasks:  # tasks modules are discovered lazily: load them
            app.loader.import_default_modules()
        app.tasks[message.task].apply(kwargs=message.kwargs, task_id=str(message.pk), throw=True)
        return
    with app.connection_for_write(
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        transport_options={
            "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            "max_retries": 0,
        },
    ) as connection:
        app.send_task(
            message.task,
            kwargs=message.kwargs,
            task_id=str(message.pk),
            connection=connection,
            retry=False,
            ignore_result=True,
        )


def dispatch(pk) -> bool:
    """Hand one pending message to the task queue; True if it was sent now.

    Never raises: a broker that is down leaves the message pending with the error.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False  # already sent, or another drain holds it
        message.attempts += 1
        try:
            _publish(message)
        except Exception as exc:  # the broker's errors are many kinds; none may reach the user
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.save(update_fields=["attempts", "last_error"])
            logger.warning(
                "Task %s (%s) not sent, left pending for the drain: %s",
                message.task,
                message.pk,
                message.last_error,
            )
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def drain(limit: int = 500) -> int:
    """Send pending messages, oldest first; the number sent."""
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).values_list(
        "pk", flat=True
    )[:limit]
    return sum(dispatch(pk) for pk in list(pending))


@contextlib.contextmanager
def run_once(message_id: Any) -> Iterator[bool]:
    """Inside a task: yields True the first time this message's work runs, False after.

    The work runs in a transaction with the message row locked, and the run is recorded
    in it: two deliveries of one message cannot both do the work, and work that fails is
    not recorded, so a redelivery tries again. A task called without an outbox message
    (from a shell, say) just runs.
    """
    try:
        key = uuid.UUID(str(message_id)) if message_id else None
    except ValueError:
        key = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=key).first() if key else None
        if message is not None and message.done_at is not None:
            yield False
            return
        yield True
        if message is not None:
            message.done_at = timezone.now()
            message.save(update_fields=["done_at"])
