from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class KPIQuerySet(models.QuerySet):
    def in_programme(self, programme_id: int) -> "KPIQuerySet":
        return self.filter(programme_id=programme_id)

    def high_level(self) -> "KPIQuerySet":
        return self.filter(level=KPI.Level.HIGH_LEVEL)

    def with_series(self) -> "KPIQuerySet":
        """Everything an SPC chart or summary row needs, in three queries for any number of KPIs."""
        return self.select_related("key_question", "isg", "owner").prefetch_related(
            models.Prefetch("measurements", queryset=Measurement.objects.order_by("period_end")),
            models.Prefetch("rebases", queryset=Rebase.objects.order_by("starts_on")),
        )


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
    numerator_label = models.CharField(
        max_length=120,
        blank=True,
        help_text='For a percentage: what is counted, e.g. "shifts with the planned number of midwives".',
    )
    denominator_label = models.CharField(
        max_length=120, blank=True, help_text='For a percentage: out of what, e.g. "shifts".'
    )
    baseline_points = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Fix the mean and limits on the first this-many values (12 or more); blank: use every value.",
    )
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

    objects = KPIQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "level", "name"]
        verbose_name = "KPI"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(level="high_level") | models.Q(isg__isnull=False),
                name="kpi_high_level_has_isg",
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_points__isnull=True)
                | models.Q(baseline_points__gte=12),
                name="kpi_baseline_at_least_12_points",
            ),
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
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["kpi", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_end"], name="measurement_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.period_end:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return self.kpi.get_absolute_url()


class Rebase(models.Model):
    """A change to the process (a new pathway, a new way of counting): the SPC chart starts a
    new segment, with its own mean and limits, from the first value on or after this day."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="rebases")
    starts_on = models.DateField(help_text="The first day of the new process.")
    reason = models.CharField(
        max_length=300, help_text='What changed, e.g. "new triage pathway started".'
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "starts_on"], name="rebase_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: new process from {self.starts_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return self.kpi.get_absolute_url()
