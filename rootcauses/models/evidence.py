from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from simple_history.models import HistoricalRecords


def private_storage():
    """Evidence never sits under a public URL: it is served only by a permission-checked view."""
    return storages["private"]


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    return f"evidence/rc{instance.root_cause_id}/{instance.sha256[:16]}/{filename}"


class EvidenceFile(models.Model):
    """A file that evidences a change, with the date it is effective from and when to review it."""

    root_cause = models.ForeignKey(
        "rootcauses.RootCause", on_delete=models.CASCADE, related_name="evidence_files"
    )
    update = models.ForeignKey(
        "rootcauses.Update",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    closure_request = models.ForeignKey(
        "rootcauses.ClosureRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    file = models.FileField(upload_to=evidence_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, help_text="What this file evidences.")
    effective_from = models.DateField(help_text="The date the evidence applies from.")
    review_by = models.DateField(
        null=True,
        blank=True,
        help_text="When it should be checked again to show the change has lasted.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["root_cause", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
