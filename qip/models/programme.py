from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Programme(models.Model):
    """A Quality Improvement Plan: the trust's answer to one CQC inspection."""

    class TrajectoryColour(models.TextChoices):
        GREEN = "green", "Green: closure confirmed by the ISG chair"
        BLUE = "blue", "Blue: closure confirmed and independently verified"

    name = models.CharField(max_length=200, unique=True)
    trust_name = models.CharField(max_length=200, blank=True)
    framework = models.ForeignKey(
        "cqc.Framework",
        on_delete=models.PROTECT,
        help_text="The CQC framework this plan reports against (2017 KLOEs or 2023 quality statements).",
    )
    group_label = models.CharField(
        max_length=60,
        default="Improvement Steering Group",
        help_text='What this trust calls its groups, e.g. "Improvement Steering Group" or "Workstream".',
    )
    group_label_short = models.CharField(max_length=20, default="ISG")
    sprint_anchor = models.DateField(
        help_text="The first day of the first fortnightly sprint; later sprints follow every 14 days."
    )
    sprint_length_days = models.PositiveSmallIntegerField(default=14)
    trajectory_colour = models.CharField(
        max_length=10,
        choices=TrajectoryColour.choices,
        default=TrajectoryColour.GREEN,
        help_text="Which colour counts a root cause as completed on the trajectory.",
    )
    publish_progress = models.BooleanField(
        default=False, help_text="Show a public progress page (no names, approved content only)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme-detail", args=[self.pk])


class ProgrammeRole(models.Model):
    """A person's programme-wide role. Owners and chairs are not listed here: the plan says who they are."""

    class Role(models.TextChoices):
        PMO = "pmo", "PMO"
        EXECUTIVE = "executive", "Executive or board member"
        PARTNER = "partner", "System partner (read-only)"
        ENGAGEMENT_LEAD = "engagement_lead", "Engagement lead"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="programme_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.programme})"


class Inspection(models.Model):
    """A CQC inspection and its published report, which the programme answers."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="inspections")
    title = models.CharField(max_length=200, default="CQC inspection")
    inspected_from = models.DateField(null=True, blank=True)
    inspected_to = models.DateField(null=True, blank=True)
    report_published = models.DateField()
    overall_rating = models.ForeignKey(
        "cqc.Rating", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-report_published"]

    def __str__(self) -> str:
        return f"{self.title} (report {self.report_published:%d %B %Y})"


class InspectionRating(models.Model):
    """One rating cell: key question × core service × location. Blank parts mean "overall"."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="ratings")
    key_question = models.ForeignKey(
        "cqc.KeyQuestion", on_delete=models.PROTECT, null=True, blank=True
    )
    core_service = models.ForeignKey(
        "cqc.CoreService", on_delete=models.PROTECT, null=True, blank=True
    )
    location = models.CharField(max_length=120, blank=True)
    rating = models.ForeignKey(
        "cqc.Rating", on_delete=models.PROTECT, null=True, blank=True, help_text="Blank: not rated."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "key_question", "core_service", "location"],
                name="inspection_rating_cell_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        where = " / ".join(
            str(part) for part in [self.location, self.core_service, self.key_question] if part
        )
        return f"{where or 'Overall'}: {self.rating or 'not rated'}"
