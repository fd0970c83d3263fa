from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Snapshot(models.Model):
    """The frozen roll-up of one ISG (or, with no ISG, the whole programme) at the end of a period.

    Written by the roll-up (qip/reporting/rollup.py) when the period ends and rewritten by
    re-running it, until a board paper reporting the period is issued: from then on
    (ReportingPeriod.locked_at) it is what the board was told and is never rewritten
    (docs/decisions/0007-snapshots-frozen-when-locked.md).
    """

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="snapshots"
    )
    period = models.ForeignKey(
        "qip.ReportingPeriod", on_delete=models.CASCADE, related_name="snapshots"
    )
    isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
        help_text="Blank: the whole programme.",
    )
    as_of = models.DateField(help_text="The last day the figures count (the period's end).")

    # Must Do: cumulative to the end of the period, and within the period.
    md_planned = models.IntegerField(default=0)
    md_planned_current = models.IntegerField(default=0)
    md_completed = models.IntegerField(default=0)
    md_planned_in_period = models.IntegerField(default=0)
    md_planned_current_in_period = models.IntegerField(default=0)
    md_completed_in_period = models.IntegerField(default=0)
    md_percent = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    # Should Do, likewise.
    sd_planned = models.IntegerField(default=0)
    sd_planned_current = models.IntegerField(default=0)
    sd_completed = models.IntegerField(default=0)
    sd_planned_in_period = models.IntegerField(default=0)
    sd_planned_current_in_period = models.IntegerField(default=0)
    sd_completed_in_period = models.IntegerField(default=0)
    sd_percent = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)

    # Counts by status at the end of the period (Must Do and Should Do together).
    open_count = models.IntegerField(default=0, help_text="Neither complete nor withdrawn.")
    completed_count = models.IntegerField(default=0, help_text="Closure confirmed (green or blue).")
    verified_count = models.IntegerField(default=0, help_text="Also independently verified (blue).")
    withdrawn_count = models.IntegerField(default=0)
    overdue_count = models.IntegerField(default=0, help_text="Open, current due date passed.")
    missing_updates = models.IntegerField(
        default=0, help_text="Open root causes with no update for the ISG's period."
    )
    # Open root causes by the RAG of their latest update up to the end of the period.
    rag_on_track = models.IntegerField(default=0)
    rag_at_risk = models.IntegerField(default=0)
    rag_off_track = models.IntegerField(default=0)
    rag_none = models.IntegerField(default=0, help_text="Open, with no update yet.")

    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period__starts_on", "isg__order", "isg__name"]
        constraints = [
            # One row per ISG and one programme row (no ISG) per period. The roll-up upserts
            # with ON CONFLICT (period, isg): on PostgreSQL the NULLS NOT DISTINCT constraint
            # makes that cover the programme row too. SQLite creates neither that one nor
            # such an upsert for NULLs, so the partial constraint guards its programme rows.
            models.UniqueConstraint(fields=["period", "isg"], name="snapshot_once_per_period_isg"),
            models.UniqueConstraint(
                fields=["period", "isg"],
                name="snapshot_once_per_period_isg_or_programme",
                nulls_distinct=False,
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(isg__isnull=True),
                name="snapshot_once_per_period_programme",
            ),
        ]
        indexes = [models.Index(fields=["programme", "as_of"])]

    def __str__(self) -> str:
        return f"{self.isg or 'Programme'} at the end of {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("dashboard", args=[self.programme_id]) + f"?period={self.period_id}"

    @property
    def is_frozen(self) -> bool:
        return self.period.locked_at is not None
