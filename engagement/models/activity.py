from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Audience(models.TextChoices):
    """Who an activity reached; the board paper reports engagement under these three headings."""

    PATIENTS = "patients", "Patients and the public"
    STAFF = "staff", "Staff"
    PARTNERS = "partners", "System partners"


class ActivityQuerySet(models.QuerySet):
    def in_programme(self, programme_id: int) -> "ActivityQuerySet":
        return self.filter(programme_id=programme_id)

    def partner_meetings(self) -> "ActivityQuerySet":
        return self.filter(kind=Activity.Kind.PARTNER_MEETING)

    def with_related(self) -> "ActivityQuerySet":
        return self.prefetch_related("isgs", "root_causes", "attendance")


class Activity(models.Model):
    """Something the programme did to involve patients and the public, staff or system
    partners (a newsletter issue, a focus group, a partner meeting), and what came of it."""

    class Kind(models.TextChoices):
        NEWSLETTER = "newsletter", "Newsletter issue"
        FOCUS_GROUP = "focus_group", "Focus group"
        PULSE_SURVEY = "pulse_survey", "Pulse survey"
        STAFF_SURVEY = "staff_survey", "Staff survey"
        LISTENING_EVENT = "listening_event", "Listening event"
        CEO_BREAKFAST = "ceo_breakfast", "CEO breakfast"
        BRIEFING = "briefing", "Staff briefing or cascade"
        PATIENT_FORUM = "patient_forum", "Patient panel or forum"
        BOARD_MEETING = "board_meeting", "Board meeting"
        PARTNER_MEETING = "partner_meeting", "Partner meeting"
        OTHER = "other", "Other"

    class Forum(models.TextChoices):
        SOAG = "soag", "Safety Oversight and Assurance Group (SOAG)"
        CQRM = "cqrm", "Commissioner Quality Review Meeting (CQRM)"
        OTHER = "other", "Another partner meeting"

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="engagement_activities"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    held_on = models.DateField(help_text="The day it happened (or starts, for a survey).")
    ends_on = models.DateField(
        null=True, blank=True, help_text="The last day, for a survey that is open for a while."
    )
    reach = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many people it reached, roughly."
    )
    isgs = models.ManyToManyField(
        "qip.ImprovementSteeringGroup",
        blank=True,
        related_name="engagement_activities",
        verbose_name="improvement steering groups",
    )
    root_causes = models.ManyToManyField(
        "rootcauses.RootCause", blank=True, related_name="engagement_activities"
    )
    outcome = models.TextField("what came of it", blank=True)
    forum = models.CharField(
        max_length=10,
        choices=Forum.choices,
        blank=True,
        help_text="For a partner meeting: which meeting it was.",
    )
    progress_shared = models.TextField(
        blank=True, help_text="For a partner meeting: the progress the trust shared."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[isgs, root_causes], excluded_fields=["version"])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("held_on")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(kind="partner_meeting") & ~Q(forum=""))
                | (~Q(kind="partner_meeting") & Q(forum="")),
                name="activity_forum_only_for_partner_meetings",
            ),
        ]
        indexes = [models.Index(fields=["programme", "held_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        if self.is_partner_meeting:
            return reverse("engagement-meeting-detail", args=[self.pk])
        return reverse("engagement-activity-detail", args=[self.pk])

    @property
    def is_partner_meeting(self) -> bool:
        return self.kind == self.Kind.PARTNER_MEETING


class ActivityAttendance(models.Model):
    """How many people an organisation sent to a partner meeting."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.CharField(max_length=120)
    attendees = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["activity", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation"], name="attendance_once_per_organisation"
            ),
            models.CheckConstraint(condition=Q(attendees__gte=1), name="attendance_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.attendees}"
