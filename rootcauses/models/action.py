from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Action(models.Model):
    """One step the owner's team takes to fix a root cause."""

    root_cause = models.ForeignKey(
        "rootcauses.RootCause", on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    due_date = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["root_cause", "order", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
