"""The escalation rules as pure functions: no database."""

import datetime as dt
from types import SimpleNamespace

import pytest

from governance import triggers
from governance.triggers import PeriodRag


def _periods(*rags):
    """Fortnightly periods from 1 January 2024, the last one current (not ended)."""
    items = []
    start = dt.date(2024, 1, 1)
    for n, rag in enumerate(rags):
        ended = n < len(rags) - 1
        items.append(PeriodRag(n + 1, start, start + dt.timedelta(days=13), rag, ended))
        start += dt.timedelta(days=14)
    return items


def test_off_track_two_periods_running_fires_with_the_run():
    run = triggers.off_track_run(_periods("on_track", "off_track", "off_track"), 2)
    assert [p.period_id for p in run] == [2, 3]


def test_off_track_once_does_not_fire():
    assert triggers.off_track_run(_periods("on_track", "on_track", "off_track"), 2) == []


def test_a_current_period_without_an_update_does_not_break_the_run():
    run = triggers.off_track_run(_periods("off_track", "off_track", None), 2)
    assert [p.period_id for p in run] == [1, 2]


def test_an_ended_period_without_an_update_breaks_the_run():
    assert triggers.off_track_run(_periods("off_track", None, "off_track"), 2) == []


def test_back_on_track_stops_the_run():
    assert triggers.off_track_run(_periods("off_track", "off_track", "on_track"), 2) == []


def test_threshold_three():
    assert triggers.off_track_run(_periods("off_track", "off_track", "on_track"), 3) == []
    assert len(triggers.off_track_run(_periods("off_track", "off_track", "off_track"), 3)) == 3


def test_missed_updates_count_ended_periods_only():
    assert triggers.missed_updates(_periods("on_track", None, None), 2) == []
    missed = triggers.missed_updates(_periods(None, "on_track", None, None), 2)
    assert [p.period_id for p in missed] == [1, 3]


def test_due_date_requests_fire_at_the_threshold():
    first = dt.datetime(2024, 1, 3, 9, tzinfo=dt.UTC)
    second = dt.datetime(2024, 2, 3, 9, tzinfo=dt.UTC)
    assert triggers.due_date_requests([first], 2, None) is None
    assert triggers.due_date_requests([second, first], 2, None) == second


def test_due_date_requests_need_a_new_request_after_the_last_escalation():
    first = dt.datetime(2024, 1, 3, 9, tzinfo=dt.UTC)
    second = dt.datetime(2024, 2, 3, 9, tzinfo=dt.UTC)
    escalated = dt.datetime(2024, 2, 4, 9, tzinfo=dt.UTC)
    assert triggers.due_date_requests([first, second], 2, escalated) is None
    third = dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)
    assert triggers.due_date_requests([first, second, third], 2, escalated) == third


def _fake_analyse(point_type):
    calls = []

    def analyse(values, *, improvement, target):
        calls.append((values, improvement, target))
        return SimpleNamespace(points=[SimpleNamespace(point_type=point_type)] * len(values))

    analyse.calls = calls
    return analyse


@pytest.mark.parametrize(
    ("point_type", "expected"),
    [
        ("special_cause_concern", True),
        ("special_cause_improvement", False),
        ("common_cause", False),
    ],
)
def test_kpi_concern_reads_the_latest_point(point_type, expected):
    analyse = _fake_analyse(point_type)
    assert (
        triggers.kpi_concern([1.0, 2.0], improvement="increase", target=95.0, analyse=analyse)
        is expected
    )
    assert analyse.calls == [([1.0, 2.0], "increase", 95.0)]


def test_kpi_concern_without_spc_is_unknown():
    assert triggers.kpi_concern([1.0], improvement="increase", target=None, analyse=None) is None


def test_kpi_concern_without_values_is_false():
    analyse = _fake_analyse("special_cause_concern")
    assert triggers.kpi_concern([], improvement="increase", target=None, analyse=analyse) is False
