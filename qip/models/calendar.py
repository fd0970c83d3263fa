import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ReportingPeriodQuerySet(models.QuerySet):
    def containing(self, day: dt.date) -> "ReportingPeriodQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def ended_by(self, day: dt.date) -> "ReportingPeriodQuerySet":
        return self.filter(ends_on__lte=day)

    def for_cadence(self, cadence: str) -> "ReportingPeriodQuerySet":
        return self.filter(cadence=cadence)


class ReportingPeriod(models.Model):
    """A sprint (a fortnight) or a month of the programme calendar, in which owners post updates.

    A period ends on its last day; each ISG signs its period off (PeriodSignoff); the month is
    locked when a board paper reporting it is issued, which freezes its snapshots.
    """

    class Cadence(models.TextChoices):
        FORTNIGHTLY = "fortnightly", "Sprint"
        MONTHLY = "monthly", "Month"

    programme = models.ForeignKey("qip.Programme", on_delete=models.CASCADE, related_name="periods")
    cadence = models.CharField(max_length=20, choices=Cadence.choices)
    number = models.PositiveIntegerField(help_text="1 for the first sprint or month, and so on.")
    label = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()
    locked_at = models.DateTimeField(null=True, blank=True)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "cadence", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cadence", "starts_on"], name="period_start_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["programme", "cadence", "ends_on"])]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("period-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def has_ended(self, today: dt.date) -> bool:
        return today > self.ends_on


class PeriodSignoff(models.Model):
    """An ISG chair's sign-off of one period's report: its updates are read-only from then on."""

    isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup", on_delete=models.CASCADE, related_name="signoffs"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="signoffs")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["isg", "period"], name="signoff_once_per_isg_period")
        ]

    def __str__(self) -> str:
        return f"{self.isg} {self.period} signed off by {self.signed_by}"
