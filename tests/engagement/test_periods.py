"""Month arithmetic for the summary, the digest and the champion trend: pure functions."""

import datetime as dt

import pytest

from engagement.periods import (
    add_months,
    month_end,
    month_start,
    months_between,
    parse_month,
)

D = dt.date


def test_month_bounds_handle_february_in_a_leap_year():
    assert month_start(D(2024, 2, 20)) == D(2024, 2, 1)
    assert month_end(D(2024, 2, 20)) == D(2024, 2, 29)
    assert month_end(D(2019, 2, 3)) == D(2019, 2, 28)


def test_add_months_crosses_years_both_ways():
    assert add_months(D(2019, 12, 31), 1) == D(2020, 1, 1)
    assert add_months(D(2019, 1, 15), -1) == D(2018, 12, 1)
    assert add_months(D(2019, 4, 26), 0) == D(2019, 4, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-04", D(2019, 4, 1)),
        (" 2019-12 ", D(2019, 12, 1)),
        ("2019-13", None),
        ("2019-4", None),
        ("April", None),
        ("", None),
        (None, None),
        ("1899-01", None),
    ],
)
def test_parse_month_reads_only_year_and_month(text, expected):
    assert parse_month(text) == expected


def test_months_between_includes_both_ends():
    assert months_between(D(2019, 2, 20), D(2019, 4, 3)) == [
        D(2019, 2, 1),
        D(2019, 3, 1),
        D(2019, 4, 1),
    ]
    assert months_between(D(2019, 5, 1), D(2019, 4, 30)) == []
