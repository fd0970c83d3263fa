"""Infrastructure tables shared by every app. Domain data never lives here.

core has no domain models and imports no domain app; it holds this one table because every
app that triggers a background task needs it and none of them owns it (a transactional
outbox belongs below the apps that write to it, as core.locking and core.emails do).
"""

import uuid

from django.db import models


class OutboxMessage(models.Model):
    """A background task a change asked for, kept until the task queue has taken it.

    Written in the same database transaction as the change (so a saved update always has
    its task, and a rolled-back one never does), handed to Celery after the commit, and
    left pending with the error when the broker is down; the drain (every minute, and
    `manage.py drain_outbox`) sends it later. Its id is the Celery task id, and the task
    records when it ran (`done_at`), so a message sent twice still runs once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the task queue"
        SENT = "sent", "Handed to the task queue"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(max_length=200, help_text="The Celery task's name.")
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(
        null=True, blank=True, help_text="When the task ran to the end (it runs once)."
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.task} ({self.get_status_display().lower()}, {self.created_at:%d %b %Y %H:%M})"
        )

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:core_outboxmessage_change", args=[self.pk])
