"""Writes to KPIs and their measurements."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import KPI, Measurement


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
    """A value in a period that its ISG has signed off is read-only."""
    if kpi.isg_id is None:
        return False
    return kpi.isg.signoffs.filter(
        period__starts_on__lte=period_end, period__ends_on__gte=period_end
    ).exists()


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
) -> Measurement:
    """Record (or correct) the KPI's value for the period ending on `period_end`.

    A percentage may be given as numerator and denominator; the value is then computed.
    Corrections keep their history (simple-history) so the audit shows the old value.
    """
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
    if measurement_is_locked(kpi, period_end):
        raise ValidationError(
            f"The ISG has signed off the period holding {period_end:%d/%m/%Y}; its KPI values are read-only."
        )
    measurement = (
        Measurement.objects.select_for_update().filter(kpi=kpi, period_end=period_end).first()
    )
    if measurement is None:
        measurement = Measurement(kpi=kpi, period_end=period_end)
    measurement.value = value_d
    measurement.numerator = numerator_d
    measurement.denominator = denominator_d
    measurement.note = note
    measurement.entered_by = by
    measurement._history_user = by
    measurement.save()
    return measurement
