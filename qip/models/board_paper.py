from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.storage import private_storage


class StrategicObjective(models.Model):
    """One of the trust's strategic objectives, which a board paper's cover sheet ticks."""

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="strategic_objectives"
    )
    title = models.CharField(
        max_length=120, help_text='The objective\'s short name, e.g. "Safest and kindest".'
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text='What it means, e.g. "Our patients and staff will tell us they feel safe and received kind care".',
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(
        default=True, help_text="Untick when the trust retires it: old papers keep it."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"], name="strategic_objective_title_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategic-objectives", args=[self.programme_id])


class BoardPaper(models.Model):
    """The PMO's monthly QIP update to the board: a cover sheet, the SBAR body written around
    figures from the month's snapshot, and — once issued — the files the board received.

    The narrative the PMO edits is kept per section in `narrative` ({section key: text}); a
    section without an entry shows the generated text. Figures are never stored here: they
    come from the period's snapshot (frozen once the paper is issued). An issued paper is
    never changed again (qip/boardpapers/services.py refuses, and tests hold it to that).
    """

    class Purpose(models.TextChoices):
        APPROVE = "approve", "Approve"
        RECEIVE = "receive", "Receive"
        NOTE = "note", "Note"
        ASSURANCE = "assurance", "Take Assurance"

    class EqualityImpact(models.TextChoices):
        STAGE_1 = "stage_1", "Stage 1 only (no negative impact identified)"
        STAGE_2 = (
            "stage_2",
            "Stage 2 recommended (negative impact identified and equality impact assessment "
            "attached for Board approval)",
        )

    class FoiStatus(models.TextChoices):
        FULL = "full", "This document is for full publication"
        PART_EXEMPT = "part_exempt", "This document includes FOIA exempt information"
        EXEMPT = "exempt", "This whole document is exempt under the FOIA"

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="board_papers"
    )
    # RESTRICT: a month with a paper cannot be deleted on its own, only with its programme.
    period = models.ForeignKey(
        "qip.ReportingPeriod",
        on_delete=models.RESTRICT,
        related_name="board_papers",
        help_text="The month the paper reports.",
    )
    meeting = models.CharField(max_length=120, default="Trust Board")
    meeting_date = models.DateField()
    written_on = models.DateField(help_text="The date the paper was written.")
    title = models.CharField(max_length=200, default="Quality Improvement Plan (QIP) update")
    responsible_director = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    executive_summary = models.TextField(blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.NOTE)
    cqc_domains = models.ManyToManyField(
        "cqc.KeyQuestion", blank=True, related_name="+", verbose_name="CQC domains"
    )
    strategic_objectives = models.ManyToManyField(
        StrategicObjective, blank=True, related_name="board_papers"
    )
    baf_risks = models.TextField(
        "Board Assurance Framework risks", blank=True, help_text="One risk per line."
    )
    equality_impact = models.CharField(
        "Equality impact assessment",
        max_length=20,
        choices=EqualityImpact.choices,
        default=EqualityImpact.STAGE_1,
    )
    foi_status = models.CharField(
        "Freedom of Information Act (2000) status",
        max_length=20,
        choices=FoiStatus.choices,
        default=FoiStatus.FULL,
    )
    financial_impact = models.TextField("Financial assessment", blank=True)
    previously_considered_by = models.TextField(blank=True)
    narrative = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(
        excluded_fields=["version"], m2m_fields=[cqc_domains, strategic_objectives]
    )

    class Meta:
        ordering = ["programme", "-period__starts_on", "-meeting_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True, issued_by__isnull=True)
                | Q(issued_at__isnull=False, issued_by__isnull=False),
                name="board_paper_issued_has_who_and_when",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.meeting} {self.meeting_date:%d %B %Y} ({self.period})"

    def get_absolute_url(self) -> str:
        return reverse("board-paper-detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


def board_paper_file_path(instance: "BoardPaperFile", filename: str) -> str:
    kind = "issued" if instance.issued else "exports"
    return f"board-papers/p{instance.paper_id}/{kind}/{filename}"


class BoardPaperFile(models.Model):
    """A Word or PDF file made from a board paper: a draft export, or a file issued to the board
    (kept byte for byte, with its SHA-256)."""

    class Format(models.TextChoices):
        DOCX = "docx", "Word (.docx)"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"

    paper = models.ForeignKey(BoardPaper, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=10, choices=Format.choices)
    issued = models.BooleanField(default=False, help_text="The file the board received.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=120, blank=True, help_text="What the export is doing now.")
    file = models.FileField(
        upload_to=board_paper_file_path, storage=private_storage, max_length=300, blank=True
    )
    filename = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["paper", "-issued", "-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="board_paper_file_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(sha256="")),
                name="board_paper_file_ready_has_file",
            ),
            models.CheckConstraint(
                condition=Q(issued=False) | Q(status="ready"),
                name="board_paper_file_issued_is_ready",
            ),
            models.UniqueConstraint(
                fields=["paper", "format"],
                condition=Q(issued=True),
                name="board_paper_issued_once_per_format",
            ),
        ]

    def __str__(self) -> str:
        what = "Issued" if self.issued else "Draft"
        return f"{what} {self.get_format_display()} of {self.paper}"

    def get_absolute_url(self) -> str:
        return reverse("board-paper-file", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
