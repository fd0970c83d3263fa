"""Writes to KPIs and their measurements."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.clock import today
from core.locking import StaleEdit

from .models import KPI, Measurement, Rebase

# A period may end a little after today (the current sprint or month), never further.
MAX_DAYS_AHEAD = 31


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: f"{value!r} is not a number."}) from exc
    if not number.is_finite():
        raise ValidationError({field: f"{value!r} is not a number."})
    if abs(number) >= Decimal("1e10"):
        raise ValidationError({field: f"{value} is too large for a KPI value."})
    return number


def measurement_is_locked(kpi: KPI, period_end: dt.date) -> bool:
    """A value in a period that its ISG has signed off, or in a month whose board paper has been
    issued, is read-only."""
    if (
        kpi.isg_id is not None
        and kpi.isg.signoffs.filter(
            period__starts_on__lte=period_end, period__ends_on__gte=period_end
        ).exists()
    ):
        return True
    return kpi.programme.periods.filter(
        starts_on__lte=period_end, ends_on__gte=period_end, locked_at__isnull=False
    ).exists()


def locked_message(kpi: KPI, period_end: dt.date) -> str:
    who = kpi.isg.name if kpi.isg_id else "The programme"
    return (
        f"{who} has signed off the period holding {period_end:%d/%m/%Y}: "
        "its KPI values are read-only."
    )


def check_period_end(period_end: Any) -> dt.date:
    if not isinstance(period_end, dt.date):
        raise ValidationError({"period_end": "Enter the date the period ended."})
    if period_end > today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            {"period_end": f"{period_end:%d/%m/%Y} is more than a month ahead: check the date."}
        )
    return period_end


def measurement_value(
    kpi: KPI, value: Any = None, numerator: Any = None, denominator: Any = None
) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """The value to store, from a value or a numerator and denominator; ValidationError if bad."""
    numerator_d = _decimal(numerator, "numerator")
    denominator_d = _decimal(denominator, "denominator")
    value_d = _decimal(value, "value")
    if numerator_d is not None or denominator_d is not None:
        if numerator_d is None or denominator_d is None:
            raise ValidationError("Give both the numerator and the denominator, or neither.")
        if denominator_d <= 0:
            raise ValidationError({"denominator": "The denominator must be more than zero."})
        if numerator_d < 0:
            raise ValidationError({"numerator": "The numerator cannot be negative."})
        computed = numerator_d / denominator_d
        if kpi.unit == KPI.Unit.PERCENTAGE:
            computed *= 100
        value_d = computed.quantize(Decimal("0.0001"))
    if value_d is None:
        raise ValidationError({"value": "Enter a value."})
    return value_d, numerator_d, denominator_d


@transaction.atomic
def measurement_record(
    *,
    by: Any,
    kpi: KPI,
    period_end: dt.date,
    value: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    note: str = "",
    expected_version: int | None = None,
) -> Measurement:
    """Record (or correct) the KPI's value for the period ending on `period_end`.

    A percentage may be given as numerator and denominator; the value is then computed.
    Corrections keep their history (simple-history) so the audit shows the old value.
    `expected_version` is the version the form showed (0 for "no value yet"); if someone
    saved in between, StaleEdit is raised and nothing is written. None skips the check.
    """
    value_d, numerator_d, denominator_d = measurement_value(kpi, value, numerator, denominator)
    check_period_end(period_end)
    if measurement_is_locked(kpi, period_end):
        raise ValidationError(locked_message(kpi, period_end))
    measurement = (
        Measurement.objects.select_for_update().filter(kpi=kpi, period_end=period_end).first()
    )
    if expected_version is not None:
        current = measurement.version if measurement else 0
        if current != expected_version:
            raise StaleEdit(measurement or kpi, {"period_end": period_end, "value": value_d})
    if measurement is None:
        measurement = Measurement(kpi=kpi, period_end=period_end)
    else:
        measurement.version += 1
    measurement.value = value_d
    measurement.numerator = numerator_d
    measurement.denominator = denominator_d
    measurement.note = (note or "").strip()
    measurement.entered_by = by
    measurement._history_user = by
    measurement.save()
    return measurement


@dataclass(frozen=True)
class Entry:
    """One value to record: from a grid cell or a CSV row. `key` names it in error messages."""

    key: str
    kpi: KPI
    period_end: dt.date
    value: Any = None
    numerator: Any = None
    denominator: Any = None
    note: str = ""
    expected_version: int | None = None


@transaction.atomic
def measurements_record_many(*, by: Any, entries: list[Entry]) -> list[Measurement]:
    """Record several values at once, all or nothing (the PMO's grid, a CSV upload).

    Every entry is checked; if any is wrong, nothing is written and ValidationError carries
    one message per entry key.
    """
    errors: dict[str, list[str]] = {}
    saved = []
    for entry in entries:
        try:
            with transaction.atomic():
                saved.append(
                    measurement_record(
                        by=by,
                        kpi=entry.kpi,
                        period_end=entry.period_end,
                        value=entry.value,
                        numerator=entry.numerator,
                        denominator=entry.denominator,
                        note=entry.note,
                        expected_version=entry.expected_version,
                    )
                )
        except ValidationError as exc:
            errors[entry.key] = exc.messages
        except StaleEdit:
            errors[entry.key] = [
                "Someone else changed this value after you opened the page: check it and try again."
            ]
    if errors:
        raise ValidationError(errors)
    return saved


@transaction.atomic
def rebase_add(*, by: Any, kpi: KPI, starts_on: dt.date, reason: str) -> Rebase:
    """Start a new SPC segment (own mean and limits) from `starts_on`: the process changed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what changed in the process."})
    if Rebase.objects.filter(kpi=kpi, starts_on=starts_on).exists():
        raise ValidationError({"starts_on": "The chart already starts a new process on that day."})
    rebase = Rebase(kpi=kpi, starts_on=starts_on, reason=reason)
    rebase._history_user = by
    rebase.save()
    return rebase


@transaction.atomic
def kpi_settings_update(
    *, by: Any, kpi: KPI, target: Any = None, baseline_points: int | None = None
) -> KPI:
    """Change a KPI's target or fixed baseline (the PMO, when the ISG agrees it)."""
    target_d = _decimal(target, "target")
    if baseline_points is not None and baseline_points < 12:
        raise ValidationError(
            {"baseline_points": "Fix the limits on 12 values or more, or leave it blank."}
        )
    kpi = KPI.objects.select_for_update().get(pk=kpi.pk)
    kpi.target = target_d
    kpi.baseline_points = baseline_points
    kpi._history_user = by
    kpi.save()
    return kpi
