from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .root_cause import RAG


class Update(models.Model):
    """The owner's report on a root cause for one sprint (or month): RAG, narrative, KPI value."""

    root_cause = models.ForeignKey(
        "rootcauses.RootCause", on_delete=models.CASCADE, related_name="updates"
    )
    period = models.ForeignKey(
        "qip.ReportingPeriod", on_delete=models.PROTECT, related_name="updates"
    )
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices)
    narrative = models.TextField(help_text="What happened this period, in plain words.")
    recovery_note = models.TextField(
        blank=True, help_text="Required when off track: what will bring it back on track."
    )
    forecast_date = models.DateField(
        null=True, blank=True, help_text="Required when off track: when you now expect to finish."
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["root_cause", "-period__starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["root_cause", "period"], name="update_once_per_root_cause_period"
            ),
            models.CheckConstraint(
                condition=~Q(rag="off_track")
                | (Q(forecast_date__isnull=False) & ~Q(recovery_note="")),
                name="update_off_track_has_recovery",
            ),
        ]
        indexes = [models.Index(fields=["period", "rag"])]

    def __str__(self) -> str:
        return f"{self.root_cause.reference} — {self.period}: {self.get_rag_display()}"
