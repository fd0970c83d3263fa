import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ChangeRequest(models.Model):
    """A proposed change to the agreed plan; only the ECIB's approval changes it, and the baseline never moves."""

    class Kind(models.TextChoices):
        NEW_DUE_DATE = "new_due_date", "New due date"
        WITHDRAW = "withdraw", "Withdraw the root cause"
        SPLIT = "split", "Split into more root causes"
        MERGE = "merge", "Merge into another root cause"
        CHANGE_OWNER = "change_owner", "Change the owner"
        CHANGE_ISG = "change_isg", "Move to another ISG"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the ECIB"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="change_requests"
    )
    root_cause = models.ForeignKey(
        "rootcauses.RootCause", on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    proposed_due_date = models.DateField(null=True, blank=True)
    proposed_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
    )
    merge_into = models.ForeignKey(
        "rootcauses.RootCause",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="merged_from_requests",
    )
    split_parts = models.JSONField(
        default=list,
        blank=True,
        help_text='The new root causes a split creates: [{"title": …, "due_date": "YYYY-MM-DD"}].',
    )
    rationale = models.TextField(help_text="Why the plan should change.")
    escalation = models.ForeignKey(
        "governance.Escalation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_requests",
        help_text="The ECIB escalation that asked for this re-plan, if any.",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(
        null=True, blank=True, help_text="The programme-calendar day of the decision."
    )
    decision_note = models.TextField(blank=True)
    meeting = models.ForeignKey(
        "governance.EcibMeeting",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="change_requests",
    )
    previous_values = models.JSONField(
        default=dict, blank=True, help_text="What the plan said before the approved change."
    )
    outcome = models.JSONField(
        default=dict, blank=True, help_text="What the approved change created (a split's parts)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["root_cause", "kind"],
                condition=Q(status="proposed"),
                name="one_pending_change_per_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="new_due_date") | Q(proposed_due_date__isnull=False),
                name="change_new_due_date_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind="change_owner") | Q(proposed_owner__isnull=False),
                name="change_owner_has_owner",
            ),
            models.CheckConstraint(
                condition=~Q(kind="change_isg") | Q(proposed_isg__isnull=False),
                name="change_isg_has_isg",
            ),
            models.CheckConstraint(
                condition=~Q(kind="merge") | Q(merge_into__isnull=False),
                name="change_merge_has_target",
            ),
            models.CheckConstraint(
                condition=(Q(status="proposed") & Q(decided_at__isnull=True))
                | (~Q(status="proposed") & Q(decided_at__isnull=False)),
                name="change_decided_has_time",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.root_cause.reference} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("change-detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def from_text(self) -> str:
        """What the plan said before: the recorded value once approved, else the current one."""
        rc = self.root_cause
        before = self.previous_values or {}
        if self.kind == self.Kind.NEW_DUE_DATE:
            if "current_due_date" in before:
                return _day(dt.date.fromisoformat(before["current_due_date"]))
            return _day(rc.current_due_date)
        if self.kind == self.Kind.CHANGE_OWNER:
            return before.get("owner") or _person(rc.owner)
        if self.kind == self.Kind.CHANGE_ISG:
            return before.get("isg") or str(rc.isg)
        if self.kind in (self.Kind.WITHDRAW, self.Kind.MERGE):
            return before.get("status") or rc.get_status_display()
        return rc.reference

    @property
    def to_text(self) -> str:
        """The change, in words."""
        if self.kind == self.Kind.NEW_DUE_DATE:
            return _day(self.proposed_due_date)
        if self.kind == self.Kind.CHANGE_OWNER:
            return _person(self.proposed_owner)
        if self.kind == self.Kind.CHANGE_ISG:
            return str(self.proposed_isg)
        if self.kind == self.Kind.WITHDRAW:
            return "Withdrawn"
        if self.kind == self.Kind.MERGE:
            return f"Withdrawn, merged into {self.merge_into.reference}"
        created = (self.outcome or {}).get("created")
        titles = created or [part["title"] for part in self.split_parts]
        return "Also " + "; ".join(titles)


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""
