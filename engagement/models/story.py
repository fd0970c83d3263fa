from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class StoryQuerySet(models.QuerySet):
    def in_programme(self, programme_id: int) -> "StoryQuerySet":
        return self.filter(programme_id=programme_id)

    def published(self) -> "StoryQuerySet":
        return self.filter(status=Story.Status.PUBLISHED)


class Story(models.Model):
    """An "Improvement in action" story: a change the trust made, paired with the feedback
    that shows its effect. The PMO approves it before it is published anywhere."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting PMO approval"
        PUBLISHED = "published", "Approved for publication"

    programme = models.ForeignKey("qip.Programme", on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(
        max_length=120, help_text='A short heading, e.g. "ED: children\'s streaming".'
    )
    concern = models.TextField(
        "what people were concerned about",
        help_text='e.g. "Concerns were raised about how quickly sick children are seen in our ED".',
    )
    change = models.TextField(
        "what we changed",
        help_text='Finish the sentence "As a result of this we…", e.g. "recruited additional '
        'nurses and now stream children within 15 minutes of arrival".',
    )
    isg = models.ForeignKey(
        "qip.ImprovementSteeringGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name="improvement steering group",
    )
    root_causes = models.ManyToManyField("rootcauses.RootCause", blank=True, related_name="stories")
    feedback = models.ManyToManyField(
        "engagement.FeedbackItem",
        blank=True,
        related_name="stories",
        help_text="The feedback that shows the effect of the change.",
    )
    for_board_paper = models.BooleanField(
        "use in the board paper", default=False, help_text="Show it in the board paper."
    )
    for_newsletter = models.BooleanField(
        "use in the newsletter", default=False, help_text="Show it in the newsletter digest."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_note = models.TextField(blank=True, help_text="Why the PMO sent it back, if it did.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[root_causes, feedback], excluded_fields=["version"])

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="published", published_on__isnull=False)
                | (~Q(status="published") & Q(published_on__isnull=True)),
                name="story_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Improvement in action: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("engagement-story-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
