"""Writes to the programme, its ISGs and its calendar."""

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.clock import today

from .models import ImprovementSteeringGroup, PeriodSignoff, Programme, ReportingPeriod


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@transaction.atomic
def calendar_build(*, programme: Programme, until: dt.date) -> int:
    """Create the fortnightly sprints and the months from the programme's start to `until`.

    Idempotent: existing periods are kept; returns how many were created.
    """
    if until < programme.sprint_anchor:
        raise ValidationError("The calendar must run past the first sprint.")
    existing = set(
        ReportingPeriod.objects.filter(programme=programme).values_list("cadence", "starts_on")
    )
    new = []
    length = dt.timedelta(days=programme.sprint_length_days)
    start, number = programme.sprint_anchor, 1
    while start <= until:
        if (ReportingPeriod.Cadence.FORTNIGHTLY, start) not in existing:
            new.append(
                ReportingPeriod(
                    programme=programme,
                    cadence=ReportingPeriod.Cadence.FORTNIGHTLY,
                    number=number,
                    label=f"Sprint {number}",
                    starts_on=start,
                    ends_on=start + length - dt.timedelta(days=1),
                )
            )
        start, number = start + length, number + 1
    month, number = programme.sprint_anchor.replace(day=1), 1
    while month <= until:
        if (ReportingPeriod.Cadence.MONTHLY, month) not in existing:
            new.append(
                ReportingPeriod(
                    programme=programme,
                    cadence=ReportingPeriod.Cadence.MONTHLY,
                    number=number,
                    label=f"{month:%B %Y}",
                    starts_on=month,
                    ends_on=_month_end(month),
                )
            )
        month, number = _month_end(month) + dt.timedelta(days=1), number + 1
    ReportingPeriod.objects.bulk_create(new)
    return len(new)


def current_period(
    isg: ImprovementSteeringGroup, day: dt.date | None = None
) -> ReportingPeriod | None:
    """The period of the ISG's cadence that holds `day` (today by default)."""
    return (
        ReportingPeriod.objects.filter(programme_id=isg.programme_id, cadence=isg.cadence)
        .containing(day or today())
        .first()
    )


@transaction.atomic
def period_sign_off(
    *,
    by: Any,
    isg: ImprovementSteeringGroup,
    period: ReportingPeriod,
    note: str = "",
    at: dt.datetime | None = None,
) -> PeriodSignoff:
    """The chair signs the period's report off: its updates become read-only."""
    if period.programme_id != isg.programme_id or period.cadence != isg.cadence:
        raise ValidationError(f"{period} is not one of {isg}'s reporting periods.")
    if period.starts_on > today():
        raise ValidationError(f"{period} has not started yet.")
    if PeriodSignoff.objects.filter(isg=isg, period=period).exists():
        raise ValidationError(f"{isg} has already signed off {period}.")
    signoff = PeriodSignoff(isg=isg, period=period, signed_by=by, note=note.strip())
    if at is not None:
        signoff.signed_at = at
    signoff.save()
    return signoff
