"""Which day a KPI value belongs to: parsing what people type, and the recent period ends.

A measurement is keyed by the last day of its period. Fortnightly KPIs follow the programme's
sprints, weekly ones the weeks of those sprints, monthly ones calendar months.
"""

import calendar
import datetime as dt
import re

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_period(text: str) -> dt.date:
    """An ISO date (2019-03-31), a UK date (31/03/2019) or a month (2019-03: its last day).

    Raises ValueError with a message fit to show a nurse.
    """
    text = (text or "").strip()
    if not text:
        raise ValueError("enter the date the period ended")
    try:
        if match := MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            return month_end(dt.date(year, month, 1))
        if match := UK_DATE.match(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(
        f"{text!r} is not a date: use 2019-03-31, 31/03/2019, or 2019-03 for a whole month"
    )


def period_ends(
    frequency: str, *, anchor: dt.date, sprint_days: int, today: dt.date, count: int
) -> list[dt.date]:
    """The last days of the `count` most recent periods that have started by `today`, oldest first."""
    if frequency == "monthly":
        ends = []
        day = month_end(today)
        for _ in range(count):
            ends.append(day)
            day = month_end(day.replace(day=1) - dt.timedelta(days=1))
        return ends[::-1]
    length = 7 if frequency == "weekly" else sprint_days
    # The period holding today (periods run from the anchor, and before it by the same steps).
    steps = (today - anchor).days // length
    current_end = anchor + dt.timedelta(days=(steps + 1) * length - 1)
    return [current_end - dt.timedelta(days=length * k) for k in range(count)][::-1]
