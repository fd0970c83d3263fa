from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ClosureRequest(models.Model):
    """The owner asks the ISG chair to confirm a root cause is fixed; only a confirmation counts."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for the chair"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    root_cause = models.ForeignKey(
        "rootcauses.RootCause", on_delete=models.CASCADE, related_name="closure_requests"
    )
    note = models.TextField(
        help_text="How the root cause has been fixed, and what the evidence shows."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(
        blank=True, help_text="Why it was rejected; the owner sees it."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["root_cause", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["root_cause"],
                condition=Q(decision="pending"),
                name="one_pending_closure_request",
            )
        ]

    def __str__(self) -> str:
        return f"Closure of {self.root_cause.reference}: {self.get_decision_display()}"


class Verification(models.Model):
    """An independent check (peer review visit, service-user test) that a closed root cause stays fixed."""

    class Method(models.TextChoices):
        PEER_REVIEW = "peer_review", "Peer review visit"
        SERVICE_USER_TEST = "service_user_test", "Service-user test on site"
        AUDIT = "audit", "Audit"
        OTHER = "other", "Other independent check"

    class Outcome(models.TextChoices):
        VERIFIED = "verified", "Verified: the change is in place"
        NOT_VERIFIED = "not_verified", "Not verified: the change is not in place"

    root_cause = models.ForeignKey(
        "rootcauses.RootCause", on_delete=models.CASCADE, related_name="verifications"
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    checked_by = models.CharField(max_length=200, help_text="Who carried out the check.")
    checked_on = models.DateField()
    findings = models.TextField(help_text="What they found.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["root_cause", "-checked_on"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} of {self.root_cause.reference} on {self.checked_on}"
