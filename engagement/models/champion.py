import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ChampionQuerySet(models.QuerySet):
    def in_programme(self, programme_id: int) -> "ChampionQuerySet":
        return self.filter(programme_id=programme_id)

    def active_on(self, day: dt.date) -> "ChampionQuerySet":
        """Volunteered by `day` and not stood down by then."""
        return self.filter(volunteered_on__lte=day).filter(
            Q(stood_down_on__isnull=True) | Q(stood_down_on__gt=day)
        )


class Champion(models.Model):
    """A member of staff who volunteered to carry the improvement work to colleagues: an
    engagement champion, a Freedom to Speak Up advocate or a peer-to-peer listener."""

    class Kind(models.TextChoices):
        ENGAGEMENT_CHAMPION = "engagement_champion", "Engagement champion"
        FTSU_ADVOCATE = "ftsu_advocate", "Freedom to Speak Up advocate"
        PEER_LISTENER = "peer_listener", "Peer-to-peer listener"

    class Induction(models.TextChoices):
        NOT_BOOKED = "not_booked", "Not yet booked"
        BOOKED = "booked", "Induction booked"
        INDUCTED = "inducted", "Inducted"

    programme = models.ForeignKey(
        "qip.Programme", on_delete=models.CASCADE, related_name="champions"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.ENGAGEMENT_CHAMPION)
    name = models.CharField(max_length=120)
    job_title = models.CharField("role", max_length=120, help_text='e.g. "Staff nurse".')
    department = models.CharField(max_length=120, blank=True)
    site = models.CharField(max_length=120, blank=True, help_text="Hospital site or trust-wide.")
    isgs = models.ManyToManyField(
        "qip.ImprovementSteeringGroup",
        blank=True,
        related_name="champions",
        verbose_name="improvement steering groups",
    )
    volunteered_on = models.DateField()
    induction = models.CharField(
        max_length=20, choices=Induction.choices, default=Induction.NOT_BOOKED
    )
    inducted_on = models.DateField(null=True, blank=True)
    stood_down_on = models.DateField(
        null=True, blank=True, help_text="The day they gave up the role, if they have."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[isgs], excluded_fields=["version"])

    objects = ChampionQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(induction="inducted", inducted_on__isnull=False)
                | (~Q(induction="inducted") & Q(inducted_on__isnull=True)),
                name="champion_inducted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(inducted_on__isnull=True)
                | Q(inducted_on__gte=models.F("volunteered_on")),
                name="champion_inducted_after_volunteering",
            ),
            models.CheckConstraint(
                condition=Q(stood_down_on__isnull=True)
                | Q(stood_down_on__gte=models.F("volunteered_on")),
                name="champion_stood_down_after_volunteering",
            ),
        ]
        indexes = [models.Index(fields=["programme", "kind", "volunteered_on"])]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_kind_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("engagement-champion-edit", args=[self.pk])
