"""Recording KPI values: validation, read-only signed-off periods, stale edits, CSV plans."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.locking import StaleEdit
from kpis import csv_import, services
from kpis.models import Measurement
from kpis.periods import parse_period, period_ends
from qip.services import period_sign_off
from tests.factories import KPIFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi(isg, programme):
    return KPIFactory(programme=programme, isg=isg, level="high_level", name="% of shifts filled")


@pytest.fixture
def signed_off_sprint(programme, isg, chair):
    sprint = programme.periods.get(cadence="fortnightly", number=1)  # 1–14 Jan 2024
    period_sign_off(by=chair, isg=isg, period=sprint)
    return sprint


def test_a_correction_keeps_the_old_value_in_the_history(kpi, pmo, owner):
    services.measurement_record(by=owner, kpi=kpi, period_end=dt.date(2024, 2, 11), value="80")
    services.measurement_record(by=pmo, kpi=kpi, period_end=dt.date(2024, 2, 11), value="82.5")
    measurement = Measurement.objects.get(kpi=kpi)
    assert (measurement.value, measurement.version, measurement.entered_by) == (
        Decimal("82.5"),
        2,
        pmo,
    )
    history = list(measurement.history.order_by("history_date"))
    assert [(h.value, h.history_user) for h in history] == [(80, owner), (Decimal("82.5"), pmo)]


def test_a_value_in_a_signed_off_period_is_read_only(kpi, pmo, signed_off_sprint):
    with pytest.raises(ValidationError, match="signed off"):
        services.measurement_record(by=pmo, kpi=kpi, period_end=dt.date(2024, 1, 14), value=80)
    assert not Measurement.objects.exists()
    # The next sprint is still open.
    services.measurement_record(by=pmo, kpi=kpi, period_end=dt.date(2024, 1, 28), value=80)


def test_a_value_in_a_month_whose_board_paper_was_issued_is_read_only(kpi, pmo, programme):
    programme.periods.filter(cadence="monthly", number=1).update(locked_at=timezone.now())
    with pytest.raises(ValidationError, match="read-only"):
        services.measurement_record(by=pmo, kpi=kpi, period_end=dt.date(2024, 1, 28), value=80)


def test_a_stale_edit_writes_nothing(kpi, pmo, owner):
    services.measurement_record(by=owner, kpi=kpi, period_end=dt.date(2024, 2, 11), value=80)
    with pytest.raises(StaleEdit):
        services.measurement_record(
            by=pmo, kpi=kpi, period_end=dt.date(2024, 2, 11), value=90, expected_version=0
        )
    assert Measurement.objects.get().value == 80


def test_a_period_far_in_the_future_is_refused(kpi, pmo, today):
    with pytest.raises(ValidationError, match="more than a month ahead"):
        services.measurement_record(by=pmo, kpi=kpi, period_end=dt.date(2024, 6, 30), value=80)


def test_a_percentage_from_counts(kpi, pmo):
    m = services.measurement_record(
        by=pmo, kpi=kpi, period_end=dt.date(2024, 2, 11), numerator=45, denominator=60
    )
    assert m.value == Decimal("75.0000")


def test_many_values_are_all_or_nothing(kpi, pmo, signed_off_sprint):
    entries = [
        services.Entry(key="a", kpi=kpi, period_end=dt.date(2024, 1, 28), value=80),
        services.Entry(key="b", kpi=kpi, period_end=dt.date(2024, 1, 14), value=81),
        services.Entry(key="c", kpi=kpi, period_end=dt.date(2024, 2, 11), value="abc"),
    ]
    with pytest.raises(ValidationError) as caught:
        services.measurements_record_many(by=pmo, entries=entries)
    assert set(caught.value.message_dict) == {"b", "c"}
    assert not Measurement.objects.exists()


def test_periods_are_parsed_from_iso_uk_and_month():
    assert parse_period("2019-03-31") == dt.date(2019, 3, 31)
    assert parse_period("31/03/2019") == dt.date(2019, 3, 31)
    assert parse_period("2019-02") == dt.date(2019, 2, 28)
    with pytest.raises(ValueError, match="not a date"):
        parse_period("31/02/2019")


def test_recent_period_ends_follow_sprints_weeks_and_months():
    anchor = dt.date(2019, 3, 4)
    assert period_ends(
        "fortnightly", anchor=anchor, sprint_days=14, today=dt.date(2019, 4, 26), count=3
    ) == [dt.date(2019, 3, 31), dt.date(2019, 4, 14), dt.date(2019, 4, 28)]
    assert period_ends(
        "weekly", anchor=anchor, sprint_days=14, today=dt.date(2019, 4, 26), count=2
    ) == [dt.date(2019, 4, 21), dt.date(2019, 4, 28)]
    assert period_ends(
        "monthly", anchor=anchor, sprint_days=14, today=dt.date(2019, 4, 26), count=2
    ) == [dt.date(2019, 3, 31), dt.date(2019, 4, 30)]


# ---------------------------------------------------------------------------------------------
# CSV upload: the dry run and its row-level errors


def test_csv_dry_run_says_what_will_be_created_changed_and_left_alone(kpi):
    MeasurementFactory(kpi=kpi, period_end=dt.date(2024, 1, 14), value=70)
    MeasurementFactory(kpi=kpi, period_end=dt.date(2024, 1, 28), value=71)
    plan = csv_import.plan_csv(kpi, "period,value\n2024-01-14,70\n28/01/2024,75\n2024-02,80%\n")
    assert plan.errors == []
    assert [(r.period_end, r.action) for r in plan.rows] == [
        (dt.date(2024, 1, 14), "unchanged"),
        (dt.date(2024, 1, 28), "change"),
        (dt.date(2024, 2, 29), "create"),
    ]
    assert (plan.creates, plan.changes, plan.unchanged) == (1, 1, 1)


def test_csv_numerator_and_denominator(kpi):
    plan = csv_import.plan_csv(kpi, "period,numerator,denominator\n2024-02-11,45,60\n")
    assert plan.errors == []
    assert plan.rows[0].value == Decimal("75.0000")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "period,value\n2024-01-14,70\n"
            + "2024-01-28,80\n" * 0
            + ",\n" * 4
            + "2024-02-11,abc\n",
            "row 7, value: 'abc' is not a number",
        ),
        ("period,value\n2024-13-01,70\n", "row 2, period: '2024-13-01' is not a date"),
        (
            "period,value\n2024-01-14,70\n14/01/2024,71\n",
            "row 3, period: 14/01/2024 is also on row 2",
        ),
        ("period,value\n2024-01-14,\n", "row 2, value: enter a number"),
        ("when,value\n2024-01-14,70\n", "row 1: the first row must name the columns"),
        ("period\n2024-01-14\n", "row 1: add a value column"),
        ("period,value\n2024-01-14,70,extra\n", "row 2: 3 cells, but the header names 2 columns"),
        (
            "period,numerator,denominator\n2024-01-14,5,0\n",
            "row 2: The denominator must be more than zero.",
        ),
        ("period,value\n2025-01-14,70\n", "row 2, period: 14/01/2025 is more than a month ahead"),
        ("", "The file is empty"),
        ("period,value\n", "no values"),
    ],
)
def test_csv_errors_name_the_row_and_column(kpi, text, error):
    plan = csv_import.plan_csv(kpi, text)
    assert any(error in message for message in plan.errors), plan.errors


def test_csv_refuses_a_signed_off_period(kpi, signed_off_sprint):
    plan = csv_import.plan_csv(kpi, "period,value\n2024-01-14,70\n2024-01-28,71\n")
    assert plan.errors == [
        "row 2, period: 14/01/2024 is in a period that has been signed off; its value is read-only"
    ]


def test_csv_entries_carry_the_version_seen_in_the_dry_run(kpi, pmo):
    plan = csv_import.plan_csv(kpi, "period,value\n2024-01-14,70\n")
    services.measurement_record(by=pmo, kpi=kpi, period_end=dt.date(2024, 1, 14), value=60)
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.measurements_record_many(by=pmo, entries=plan.entries(kpi))
