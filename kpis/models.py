from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class KPI(models.Model):
    """A measure that shows whether care improved: one per root cause, or 10–20 high-level per ISG.

    kpis/ sits below rootcauses/: a root cause points to its KPI (RootCause.kpi), so this app
    never needs to know what a root cause is (docs/decisions/0002-kpis-below-rootcauses.md).
    """

    class Level(models.TextChoices):
        HIGH_LEVEL = "high_level", "High-level KPI of an ISG"
        ROOT_CAUSE = "root_cause", "Root cause KPI"

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENTAGE = "percentage", "Percentage"
        RATE = "rate", "Rate"
        MINUTES = "minutes", "Minutes"
        HOURS = "hours", "Hours"
        DAYS = "days", "Days"
        OTHER = "other", "Other"

    class Improvement(models.TextChoices):
        INCREASE = "increase", "Higher is better"
        DECREASE = "decrease", "Lower is better"
        NEUTRAL = "neutral", "Neither (monitor only)"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"

    programme = models.ForeignKey("qip.Programme", on_delete=models.CASCADE, related_name="kpis")
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.ROOT_CAUSE)
    isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpis",
        help_text="The ISG whose high-level KPI this is (root cause KPIs follow their root cause).",
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    unit_label = models.CharField(max_length=40, blank=True, help_text='e.g. "per 1,000 bed days"')
    improvement = models.CharField(
        max_length=10, choices=Improvement.choices, default=Improvement.INCREASE
    )
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.FORTNIGHTLY
    )
    data_source = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
    )
    key_question = models.ForeignKey(
        "cqc.KeyQuestion", on_delete=models.PROTECT, null=True, blank=True, related_name="kpis"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "level", "name"]
        verbose_name = "KPI"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(level="high_level") | models.Q(isg__isnull=False),
                name="kpi_high_level_has_isg",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kpi-detail", args=[self.pk])


class Measurement(models.Model):
    """One value of a KPI for the period ending on `period_end`."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="measurements")
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_end"], name="measurement_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.period_end:%d/%m/%Y})"
