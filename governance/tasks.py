"""Celery tasks of governance: thin wrappers that load by id and call a service."""

from celery import shared_task

from qip.models import Programme

from .escalations import escalations_evaluate


@shared_task
def evaluate_escalations(programme_id: int) -> int:
    """Run one programme's escalation rules; returns how many root causes went on the agenda."""
    programme = Programme.objects.get(pk=programme_id)
    return len(escalations_evaluate(programme=programme).raised)


@shared_task
def evaluate_all_escalations() -> int:
    return sum(evaluate_escalations(pk) for pk in Programme.objects.values_list("pk", flat=True))
