from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ImprovementSteeringGroup(models.Model):
    """An Improvement Steering Group (or workstream): a chair and an executive own a share of the plan."""

    class Cadence(models.TextChoices):
        FORTNIGHTLY = "fortnightly", "Fortnightly sprints"
        MONTHLY = "monthly", "Monthly"

    programme = models.ForeignKey("qip.Programme", on_delete=models.CASCADE, related_name="isgs")
    name = models.CharField(max_length=120)
    code = models.CharField(
        max_length=10,
        help_text="A short code used in references, e.g. \"WC\" for Women's and Children's.",
    )
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_isgs",
    )
    accountable_executive = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accountable_isgs",
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_isgs",
        help_text="ISG leads who act for the chair (for Well-led: the KLOE leads).",
    )
    core_services = models.ManyToManyField("cqc.CoreService", blank=True)
    structured_by_kloe = models.BooleanField(
        default=False,
        help_text="The plan is reported per key line of enquiry (as the Well-led plan is), not per finding.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[leads])

    class Meta:
        ordering = ["programme", "order", "name"]
        verbose_name = "improvement steering group"
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="isg_name_unique"),
            models.UniqueConstraint(fields=["programme", "code"], name="isg_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("isg-detail", args=[self.pk])


class CrossCuttingTheme(models.Model):
    """An improvement found in one service that a corporate or support service must make."""

    programme = models.ForeignKey("qip.Programme", on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    reporting_isg = models.ForeignKey(
        ImprovementSteeringGroup,
        on_delete=models.PROTECT,
        related_name="reported_themes",
        help_text="The ISG the task-and-finish group reports through.",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_themes",
        help_text="Chair of the task-and-finish group.",
    )
    # Optimistic locking (core.locking): the theme edit form carries it.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="theme_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("theme-detail", args=[self.pk])
