from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Trigger(models.TextChoices):
    """Why a root cause is on the ECIB agenda: a rule that fired, or a person who raised it."""

    OFF_TRACK = "off_track", "Off track for several periods running"
    DUE_DATE_CHANGES = "due_date_changes", "Repeated requests to change the due date"
    KPI_CONCERN = "kpi_concern", "KPI showing special-cause concern"
    MISSING_UPDATES = "missing_updates", "Updates missing"
    MANUAL = "manual", "Raised by the ISG chair or the PMO"


RULE_KINDS = [
    (Trigger.OFF_TRACK.value, Trigger.OFF_TRACK.label),
    (Trigger.DUE_DATE_CHANGES.value, Trigger.DUE_DATE_CHANGES.label),
    (Trigger.KPI_CONCERN.value, Trigger.KPI_CONCERN.label),
    (Trigger.MISSING_UPDATES.value, Trigger.MISSING_UPDATES.label),
]


class EscalationRule(models.Model):
    """A rule, adjustable by the PMO, that puts a root cause on the ECIB agenda when it fires."""

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="escalation_rules"
    )
    kind = models.CharField(max_length=20, choices=RULE_KINDS)
    threshold = models.PositiveSmallIntegerField(
        default=2,
        help_text=(
            "How many times before it escalates: periods off track running, requests to change "
            "the due date, or updates missed. Not used by the KPI rule."
        ),
    )
    active = models.BooleanField(default=True, help_text="Untick to stop this rule escalating.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="escalation_rule_once"),
            models.CheckConstraint(
                condition=Q(threshold__gte=1), name="escalation_rule_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def get_absolute_url(self) -> str:
        return reverse("governance-settings", args=[self.programme_id])

    def describe(self) -> str:
        """The rule in words, as the agenda shows it."""
        n = self.threshold
        if self.kind == Trigger.OFF_TRACK:
            return f"Off track for {n} periods running"
        if self.kind == Trigger.DUE_DATE_CHANGES:
            return f"{_ordinal(n)} request to change the due date"
        if self.kind == Trigger.MISSING_UPDATES:
            return f"Update missing {n} time{'s' if n != 1 else ''}"
        return "KPI showing special-cause concern"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class EcibMeeting(models.Model):
    """A weekly meeting of the Executive Continuous Improvement Board, which decides escalations and changes to the plan."""

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="ecib_meetings"
    )
    meets_on = models.DateField()
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "meets_on"]
        verbose_name = "ECIB meeting"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "meets_on"], name="ecib_meeting_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"ECIB {self.meets_on:%A} {self.meets_on.day} {self.meets_on:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("ecib-meeting", args=[self.pk])


class Escalation(models.Model):
    """A root cause put on the ECIB agenda, by a rule or by its ISG chair, and what the ECIB decided."""

    class Status(models.TextChoices):
        OPEN = "open", "On the agenda"
        DECIDED = "decided", "Decided"

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Accept the recovery plan"
        MORE = "more_information", "Ask for more"
        REPLAN = "replan", "Re-plan through change control"

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="escalations"
    )
    root_cause = models.ForeignKey(
        "rootcauses.RootCause", on_delete=models.CASCADE, related_name="escalations"
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    # RESTRICT keeps the rule, period and meeting while escalations point at them, yet lets a
    # whole programme be deleted (PROTECT would block even that).
    rule = models.ForeignKey(
        EscalationRule,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="escalations",
        help_text="The rule that fired; blank when a person raised it.",
    )
    period = models.ForeignKey(
        "qip.ReportingPeriod",
        on_delete=models.RESTRICT,
        related_name="+",
        help_text="The sprint or month the escalation belongs to.",
    )
    reason = models.TextField(help_text="Why it is on the agenda.")
    meeting = models.ForeignKey(EcibMeeting, on_delete=models.RESTRICT, related_name="escalations")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank when a rule raised it.",
    )
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text="The earlier escalation at which the ECIB asked for more.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__meets_on", "raised_at"]
        constraints = [
            # The same root cause is not on the agenda twice for the same reason.
            models.UniqueConstraint(
                fields=["root_cause", "trigger"],
                condition=Q(status="open"),
                name="one_open_escalation_per_reason",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(decision="") & Q(decided_at__isnull=True))
                | (Q(status="decided") & ~Q(decision="") & Q(decided_at__isnull=False)),
                name="escalation_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(trigger="manual", rule__isnull=True)
                | (~Q(trigger="manual") & Q(rule__isnull=False)),
                name="escalation_rule_matches_trigger",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{self.root_cause.reference} to {self.meeting}: {self.get_trigger_display()}"

    def get_absolute_url(self) -> str:
        return reverse("ecib-meeting", args=[self.meeting_id]) + f"#escalation-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def rule_label(self) -> str:
        """The rule that fired, in words; "Raised by …" for a person."""
        if self.rule is not None:
            return self.rule.describe()
        return "Raised by the ISG chair or PMO"
