from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderSent(models.Model):
    """A reminder the daily job emailed, kept so that nobody gets the same reminder twice.

    `key` names the reminder ("update_due:<period>:<owner>"); its unique index is what stops
    a second tick on the same day (or two workers at once) sending it again.
    """

    class Kind(models.TextChoices):
        UPDATE_DUE = "update_due", "Update due (to a root cause owner)"
        MISSING_UPDATES = "missing_updates", "Missing updates (digest to an ISG chair)"
        EVIDENCE_REVIEW = "evidence_review", "Evidence past its review date (to its owner)"

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        "qip.ReportingPeriod",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders_sent",
    )
    isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders_sent",
    )
    sent_on = models.DateField(help_text="The programme day the daily job ran for.")
    sent_at = models.DateTimeField(default=timezone.now)
    items = models.PositiveIntegerField(
        default=0, help_text="How many root causes or files the email listed."
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        indexes = [models.Index(fields=["kind", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_on:%d/%m/%Y}"
