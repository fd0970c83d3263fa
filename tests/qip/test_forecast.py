"""The forecast is a pure function: no database."""

import datetime as dt
from decimal import Decimal

from qip.reporting.forecast import end_of_next_month, forecast
from qip.reporting.rag import trajectory_rag

D = dt.date


def _forecast(**overrides):
    values = {
        "name": "Unscheduled Care",
        "as_of": D(2019, 5, 22),
        "completions": [2, 3, 1, 2, 3, 1],
        "completed": 16,
        "planned": 24,
        "plan_total": 68,
        "planned_by_next_month_end": 40,
        "period_days": 14,
    }
    values.update(overrides)
    return forecast(**values)


def test_unlikely_to_recover_says_so_in_words():
    result = _forecast()
    assert result.status == "unlikely"
    assert result.mean_rate == 2.0
    assert (result.slowest, result.fastest) == (1, 3)
    assert result.sentence.startswith("Unscheduled Care: unlikely to recover before July")
    # 52 left at 2 a fortnight = 26 sprints; at 3 = 18; at 1 = 52.
    assert result.finish == D(2019, 5, 22) + dt.timedelta(days=26 * 14)
    assert result.finish_earliest == D(2019, 5, 22) + dt.timedelta(days=18 * 14)
    assert result.finish_latest == D(2019, 5, 22) + dt.timedelta(days=52 * 14)


def test_likely_to_recover_when_the_rate_closes_the_gap_by_next_month_end():
    result = _forecast(completions=[10, 12, 11, 10, 12, 11], planned_by_next_month_end=30)
    assert result.status == "likely"
    assert "likely to recover by the end of June" in result.sentence


def test_on_trajectory_needs_no_recovery():
    result = _forecast(completed=24, planned=24)
    assert result.status == "on_trajectory"
    assert result.sentence == "Unscheduled Care: on trajectory (100.0%)."


def test_uses_only_the_last_six_periods():
    result = _forecast(completions=[50, 50, 2, 3, 1, 2, 3, 1])
    assert (result.mean_rate, result.fastest) == (2.0, 3)


def test_no_completions_yet_and_nothing_planned():
    assert _forecast(completions=[], completed=0).status == "no_history"
    assert _forecast(completions=[0, 0], completed=0).status == "no_history"
    stalled = _forecast(completions=[0, 0, 0])
    assert stalled.status == "unlikely" and stalled.finish is None
    assert "not at the current rate" in stalled.finish_words
    assert _forecast(plan_total=0, planned=0, completed=0).status == "no_plan"


def test_end_of_next_month_crosses_the_year():
    assert end_of_next_month(D(2019, 12, 5)) == D(2020, 1, 31)
    assert end_of_next_month(D(2020, 1, 31)) == D(2020, 2, 29)


def test_trajectory_rag_thresholds():
    assert trajectory_rag(Decimal("90.0")) == "green"
    assert trajectory_rag(Decimal("89.9")) == "amber"
    assert trajectory_rag(Decimal("75.0")) == "amber"
    assert trajectory_rag(Decimal("74.9")) == "red"
    assert trajectory_rag(None) == ""
