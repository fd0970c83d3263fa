import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class RAG(models.TextChoices):
    """How the owner says delivery is going this period."""

    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class RootCauseQuerySet(models.QuerySet):
    def in_programme(self, programme_id: int) -> "RootCauseQuerySet":
        return self.filter(programme_id=programme_id)

    def must_do(self) -> "RootCauseQuerySet":
        return self.filter(finding__finding_type="MUST_DO")

    def should_do(self) -> "RootCauseQuerySet":
        return self.filter(finding__finding_type="SHOULD_DO")

    def open(self) -> "RootCauseQuerySet":
        return self.filter(completed_on__isnull=True, withdrawn_on__isnull=True)

    def due_by(self, day: dt.date) -> "RootCauseQuerySet":
        return self.filter(current_due_date__lte=day)

    def overdue(self, today: dt.date) -> "RootCauseQuerySet":
        return self.open().filter(current_due_date__lt=today)

    def visible_to(self, user) -> "RootCauseQuerySet":
        """Root causes this person may see: their own, their ISG's, or the programme's if they hold a role."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from django.apps import apps

        role = apps.get_model("qip", "ProgrammeRole").objects.filter(
            programme_id=OuterRef("programme_id"), user=user
        )
        led = apps.get_model("qip", "ImprovementSteeringGroup").leads.through.objects.filter(
            improvementsteeringgroup_id=OuterRef("isg_id"), user=user
        )
        action_owner = apps.get_model("rootcauses", "Action").objects.filter(
            root_cause_id=OuterRef("pk"), owner=user
        )
        return self.filter(
            Q(owner=user)
            | Q(isg__chair=user)
            | Q(isg__accountable_executive=user)
            | Q(theme__lead=user)
            | Exists(led)
            | Exists(role)
            | Exists(action_owner)
        )

    def with_related(self) -> "RootCauseQuerySet":
        return self.select_related("finding", "isg", "owner", "kpi", "assessment_item", "theme")


class RootCause(models.Model):
    """A Root Cause is one reason behind a finding that an owner can fix and evidence.

    Its baseline due date is set when the plan is agreed and never moves: re-planning changes
    only the current due date, through change control, so slippage stays visible.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSURE_REQUESTED = "closure_requested", "Closure requested"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="root_causes"
    )
    isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup", on_delete=models.PROTECT, related_name="root_causes"
    )
    finding = models.ForeignKey(
        "findings.Finding", on_delete=models.PROTECT, related_name="root_causes"
    )
    reference = models.CharField(max_length=40, help_text='e.g. "WC-MD-07 RC2".')
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_root_causes"
    )
    kpi = models.OneToOneField(
        "kpis.KPI",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="root_cause",
        help_text="The one KPI that shows whether fixing this root cause had the intended impact.",
    )
    assessment_item = models.ForeignKey(
        "cqc.AssessmentItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="root_causes",
        verbose_name="key line of enquiry or quality statement",
    )
    theme = models.ForeignKey(
        "qip.CrossCuttingTheme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="root_causes",
        verbose_name="cross-cutting theme",
    )
    delivered_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="The corporate or clinical support service that delivers it, if not the ISG's own.",
    )
    baseline_due_date = models.DateField(help_text="Agreed when the plan was set; never changes.")
    current_due_date = models.DateField(help_text="Changes only through approved change control.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    current_rag = models.CharField(
        max_length=10, choices=RAG.choices, blank=True, help_text="From the latest update."
    )
    completed_on = models.DateField(
        null=True, blank=True, help_text="The day the ISG chair confirmed closure."
    )
    closure_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_on = models.DateField(
        null=True, blank=True, help_text="The day an independent check verified the closure."
    )
    withdrawn_on = models.DateField(
        null=True, blank=True, help_text="The day change control approved its withdrawal."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["version"])

    objects = RootCauseQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="root_cause_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_on__isnull=False)
                | (~Q(status="completed") & Q(completed_on__isnull=True)),
                name="root_cause_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_on__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_on__isnull=True)),
                name="root_cause_withdrawn_has_date",
            ),
            models.CheckConstraint(
                condition=Q(verified_on__isnull=True) | Q(completed_on__isnull=False),
                name="root_cause_verified_after_completed",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "isg", "baseline_due_date"]),
            models.Index(fields=["programme", "isg", "completed_on"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("rootcause-detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.completed_on is not None or self.withdrawn_on is not None
