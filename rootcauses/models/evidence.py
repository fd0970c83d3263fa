from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from simple_history.models import HistoricalRecords


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used rather than when models are imported.

    FileField calls a storage callable once, at import; without this proxy a later change
    of STORAGES (the test suite's temporary folder) would be ignored and files would land
    in the configured folder. This is how Django's own default_storage works.
    """

    def _setup(self):
        self._wrapped = storages["private"]


_private = PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """Evidence never sits under a public URL: it is served only by a permission-checked view."""
    return _private


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
