from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class PublicPage(models.Model):
    """What the PMO has approved for the programme's public progress page. The page is shown
    only while the programme publishes its progress (Programme.publish_progress)."""

    programme = models.OneToOneField(
        "qip.Programme", on_delete=models.CASCADE, related_name="public_page"
    )
    introduction = models.TextField(
        help_text="A few sentences for the public: what the programme is and why it matters."
    )
    show_trajectory = models.BooleanField(
        "show progress against plan",
        default=True,
        help_text="Counts and % of trajectory for each group, at the end of the last full month.",
    )
    show_closed_findings = models.BooleanField(
        "show completed findings",
        default=True,
        help_text="The CQC findings whose every root cause is complete, in the CQC's words.",
    )
    show_stories = models.BooleanField(
        '"Improvement in action" stories',
        default=True,
        help_text="Approved stories, with only the feedback people agreed to publish.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "public progress page"

    def __str__(self) -> str:
        return f"Public progress page of {self.programme}"
