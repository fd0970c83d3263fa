from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class FeedbackQuerySet(models.QuerySet):
    def in_programme(self, programme_id: int) -> "FeedbackQuerySet":
        return self.filter(programme_id=programme_id)

    def consented(self) -> "FeedbackQuerySet":
        """The consent rule: only these quotes may leave the tracker (engagement.selectors)."""
        return self.filter(consent_to_publish=True)

    def awaiting_response(self) -> "FeedbackQuerySet":
        return self.filter(responded_on__isnull=True)

    def open(self) -> "FeedbackQuerySet":
        return self.filter(closed_on__isnull=True)


class FeedbackItem(models.Model):
    """Something a patient, a member of staff or a system partner told the trust, and the
    trust's response. The quote is personal data: only the PMO and engagement leads read it
    until it is published with consent."""

    class Source(models.TextChoices):
        PATIENT = "patient", "Patient, relative or carer"
        STAFF = "staff", "Member of staff"
        PARTNER = "partner", "System partner"

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", "Positive"
        MIXED = "mixed", "Mixed"
        NEGATIVE = "negative", "Negative"
        NEUTRAL = "neutral", "Neutral"

    class Status(models.TextChoices):
        """Derived from the response dates, never typed."""

        AWAITING = "awaiting", "Awaiting a response"
        RESPONDED = "responded", "Responded, not yet closed"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="feedback_items"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    received_on = models.DateField()
    channel = models.CharField(
        max_length=120,
        blank=True,
        help_text='How it reached us, e.g. "Friends and Family Test" or "SOAG".',
    )
    topic = models.CharField(
        max_length=200,
        help_text="What it was about, in a few words and without names. Everyone in the "
        "programme can read this.",
    )
    quote = models.TextField(help_text="What they said, in their words.")
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices)
    consent_to_publish = models.BooleanField(
        default=False,
        help_text="They agreed that their words may be published (board paper, newsletter, "
        "public page).",
    )
    attribution = models.CharField(
        max_length=120,
        blank=True,
        help_text='How the quote is credited when published, without names, e.g. "A parent, '
        'Emergency Department".',
    )
    isgs = models.ManyToManyField(
        "qip.ImprovementSteeringGroup",
        blank=True,
        related_name="feedback_items",
        verbose_name="improvement steering groups",
    )
    root_causes = models.ManyToManyField(
        "rootcauses.RootCause", blank=True, related_name="feedback_items"
    )
    activity = models.ForeignKey(
        "engagement.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_items",
        help_text="The activity or partner meeting where it was given, if any.",
    )
    response = models.TextField(
        "our response", blank=True, help_text="What the trust did about it (we did…)."
    )
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(
        null=True, blank=True, help_text="The day the response was complete."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[isgs, root_causes], excluded_fields=["version"])

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "feedback item"
        constraints = [
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True)
                | Q(responded_on__gte=models.F("received_on")),
                name="feedback_responded_after_received",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | (Q(responded_on__isnull=False) & Q(closed_on__gte=models.F("responded_on"))),
                name="feedback_closed_after_response",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "received_on"]),
            models.Index(fields=["programme", "responded_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} feedback, {self.received_on:%d/%m/%Y}: {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("engagement-feedback-detail", args=[self.pk])

    @property
    def status(self) -> str:
        if self.closed_on is not None:
            return self.Status.CLOSED
        if self.responded_on is not None:
            return self.Status.RESPONDED
        return self.Status.AWAITING

    def get_status_display(self) -> str:
        return self.Status(self.status).label
