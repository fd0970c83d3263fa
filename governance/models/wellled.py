from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class KloeReport(models.Model):
    """The Well-led ISG's monthly report on one key line of enquiry: what was done, how it will be evidenced, what comes next."""

    isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup", on_delete=models.CASCADE, related_name="kloe_reports"
    )
    # RESTRICT, not PROTECT: a month with reports cannot be deleted on its own, but it goes
    # with its programme.
    period = models.ForeignKey(
        "qip.ReportingPeriod", on_delete=models.RESTRICT, related_name="kloe_reports"
    )
    assessment_item = models.ForeignKey(
        "cqc.AssessmentItem",
        on_delete=models.PROTECT,
        related_name="kloe_reports",
        verbose_name="key line of enquiry",
    )
    future_plans = models.TextField(
        blank=True, help_text="What the ISG plans next for this key line of enquiry, one per line."
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["isg", "period__starts_on", "assessment_item__order"]
        verbose_name = "Well-led KLOE report"
        constraints = [
            models.UniqueConstraint(
                fields=["isg", "period", "assessment_item"], name="kloe_report_once_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_item.code} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("wellled-month", args=[self.isg_id, self.period_id])

    @property
    def future_plan_lines(self) -> list[str]:
        return [line.strip() for line in self.future_plans.splitlines() if line.strip()]


class KloeReportLine(models.Model):
    """One action over the past month and how the change it makes will be evidenced."""

    report = models.ForeignKey(KloeReport, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    action = models.TextField(help_text="What was done over the past month.")
    evidence = models.TextField(blank=True, help_text="How we will evidence the change.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order", "id"]

    def __str__(self) -> str:
        return self.action[:80]
