"""Will an ISG recover its trajectory? A pure function of its recent completions.

From the completions in each of its last six periods (fewer if it has not run that long):
the mean rate, with the slowest and the fastest of those periods as the range; the date it
will complete its whole plan at each rate; and whether, at the mean rate, it will be back
on trajectory (completed at least as many as planned: 100%) by the end of next month.
"""

import calendar
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .trajectory import percent_of_trajectory

WINDOW = 6
RECOVERED_FROM = Decimal("100")  # back on trajectory: completed ≥ planned


@dataclass(frozen=True)
class Forecast:
    name: str
    mean_rate: float | None  # completions per period
    slowest: int | None
    fastest: int | None
    finish: dt.date | None  # at the mean rate
    finish_earliest: dt.date | None  # at the fastest rate
    finish_latest: dt.date | None  # at the slowest rate (None: never, at that rate)
    percent_now: Decimal | None
    percent_forecast: Decimal | None  # at the end of next month, at the mean rate
    next_month_end: dt.date
    status: str  # "on_trajectory", "likely", "unlikely", "no_plan", "no_history"
    periods_used: int = 0

    @property
    def sentence(self) -> str:
        month_after = self.next_month_end + dt.timedelta(days=1)
        if self.status == "no_plan":
            return f"{self.name}: nothing planned yet."
        if self.status == "on_trajectory":
            return f"{self.name}: on trajectory ({self.percent_now}%)."
        if self.status == "no_history":
            return f"{self.name}: no completions yet to forecast from."
        if self.status == "likely":
            return (
                f"{self.name}: likely to recover by the end of {self.next_month_end:%B} "
                f"(forecast {self.percent_forecast}% of trajectory)."
            )
        return (
            f"{self.name}: unlikely to recover before {month_after:%B} "
            f"(forecast {self.percent_forecast}% of trajectory at the end of "
            f"{self.next_month_end:%B})."
        )

    @property
    def finish_words(self) -> str:
        if self.finish is None:
            return "not at the current rate"
        text = f"{self.finish:%B %Y}"
        if (
            self.finish_earliest
            and self.finish_latest
            and self.finish_earliest != self.finish_latest
        ):
            text += f" (between {self.finish_earliest:%B %Y} and {self.finish_latest:%B %Y})"
        elif self.finish_latest is None:
            text += f" (from {self.finish_earliest:%B %Y}; never at the slowest rate)"
        return text


def end_of_next_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _finish(as_of: dt.date, remaining: int, rate: float, period_days: int) -> dt.date | None:
    if remaining <= 0:
        return as_of
    if rate <= 0:
        return None
    return as_of + dt.timedelta(days=math.ceil(remaining / rate) * period_days)


def forecast(
    *,
    name: str,
    as_of: dt.date,
    completions: Sequence[int],
    completed: int,
    planned: int,
    plan_total: int,
    planned_by_next_month_end: int,
    period_days: int,
) -> Forecast:
    """`completions`: completions in each of the ISG's periods, oldest first (the last six
    are used); `completed`, `planned`: cumulative now; `plan_total`: root causes in the
    plan; `planned_by_next_month_end`: planned (baseline) by the end of next month."""
    recent = list(completions)[-WINDOW:]
    next_end = end_of_next_month(as_of)
    percent_now = percent_of_trajectory(completed, planned)
    if plan_total <= 0:
        return Forecast(
            name, None, None, None, None, None, None, percent_now, None, next_end, "no_plan"
        )
    mean = sum(recent) / len(recent) if recent else 0.0
    slowest, fastest = (min(recent), max(recent)) if recent else (None, None)
    remaining = plan_total - completed
    periods_left = (next_end - as_of).days / period_days
    expected = min(plan_total, completed + math.floor(mean * periods_left))
    percent_forecast = percent_of_trajectory(expected, planned_by_next_month_end)
    if percent_now is not None and percent_now >= RECOVERED_FROM:
        status = "on_trajectory"
    elif not recent or mean == 0:
        status = "no_history" if completed == 0 else "unlikely"
    elif percent_forecast is None or percent_forecast >= RECOVERED_FROM:
        status = "likely"
    else:
        status = "unlikely"
    return Forecast(
        name=name,
        mean_rate=round(mean, 1) if recent else None,
        slowest=slowest,
        fastest=fastest,
        finish=_finish(as_of, remaining, mean, period_days),
        finish_earliest=_finish(as_of, remaining, fastest or 0, period_days),
        finish_latest=_finish(as_of, remaining, slowest or 0, period_days),
        percent_now=percent_now,
        percent_forecast=percent_forecast,
        next_month_end=next_end,
        status=status,
        periods_used=len(recent),
    )
