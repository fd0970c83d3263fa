from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class FindingType(models.TextChoices):
    """Must Do first: reports always list them first. Codes match cqc/data/cqc.json."""

    MUST_DO = "MUST_DO", "Must Do"
    SHOULD_DO = "SHOULD_DO", "Should Do"


class FindingQuerySet(models.QuerySet):
    def in_programme(self, programme_id: int) -> "FindingQuerySet":
        return self.filter(programme_id=programme_id)


class Finding(models.Model):
    """A Must Do or Should Do from the CQC report (or a notice) that the trust has to answer."""

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="findings"
    )
    isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup", on_delete=models.PROTECT, related_name="findings"
    )
    inspection = models.ForeignKey(
        "qip.Inspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    reference = models.CharField(
        max_length=40, help_text='The trust\'s reference, e.g. "WC-MD-07".'
    )
    finding_type = models.CharField(max_length=10, choices=FindingType.choices)
    text = models.TextField(help_text="The finding as CQC wrote it.")
    core_service = models.ForeignKey(
        "cqc.CoreService", on_delete=models.PROTECT, null=True, blank=True
    )
    site = models.CharField(
        max_length=120, blank=True, help_text="Hospital site; blank for trust-wide."
    )
    key_questions = models.ManyToManyField(
        "cqc.KeyQuestion", blank=True, help_text="The CQC domains the finding touches."
    )
    regulation = models.ForeignKey(
        "cqc.Regulation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Required for a Must Do; optional for a Should Do.",
    )
    source = models.ForeignKey("cqc.FindingSource", on_delete=models.PROTECT)
    history = HistoricalRecords(m2m_fields=[key_questions])

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "finding_type", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="finding_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("finding-detail", args=[self.pk])

    @property
    def is_must_do(self) -> bool:
        return self.finding_type == FindingType.MUST_DO
