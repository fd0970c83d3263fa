"""Celery tasks of the programme: thin wrappers that load by id and call a service."""

import datetime as dt

from celery import shared_task

from core.clock import today

from . import services
from .models import Programme


@shared_task
def extend_calendar(programme_id: int, until: str | None = None) -> int:
    """Keep each programme's calendar of sprints and months at least a year ahead."""
    programme = Programme.objects.get(pk=programme_id)
    end = dt.date.fromisoformat(until) if until else today() + dt.timedelta(days=366)
    return services.calendar_build(programme=programme, until=end)


@shared_task
def extend_all_calendars() -> int:
    return sum(extend_calendar(pk) for pk in Programme.objects.values_list("pk", flat=True))


@shared_task
def send_daily_reminders(day: str | None = None) -> dict:
    """The daily reminder emails (qip/reminders.py); `day` as YYYY-MM-DD, default today."""
    from . import reminders

    return reminders.run_daily(day=dt.date.fromisoformat(day) if day else None)


@shared_task
def rollup_periods(programme_id: int, period_ids: list[int]) -> int:
    """Write the snapshots of these ended periods (qip.reporting.rollup)."""
    from .reporting import rollup

    programme = Programme.objects.get(pk=programme_id)
    periods = list(programme.periods.filter(pk__in=period_ids))
    return rollup.rollup_periods(programme=programme, periods=periods).snapshots


@shared_task
def rollup_ended_periods() -> int:
    """Roll up every period that has ended and has no snapshot yet."""
    from .reporting import rollup

    return sum(result.snapshots for result in rollup.rollup_due(today=today()))


@shared_task
def discard_stale_plan_uploads() -> int:
    """Plan files kept between a dry run and an import that never came (older than a day)."""
    from .plan_import.uploads import discard_stale

    return discard_stale(max_age=dt.timedelta(days=1))


@shared_task
def board_paper_export(export_id: int) -> str:
    """Make a queued Word or PDF export of a board paper (qip/boardpapers/services.py)."""
    from .boardpapers.services import board_paper_export_run

    return board_paper_export_run(export_id=export_id).status
