"""The trajectory counting rule, used by every figure the board sees.

- planned by a date: baseline due date on or before it;
- planned (current): current due date on or before it;
- completed: closure confirmed (or, if the programme counts blue, verified) on or before it;
- a root cause withdrawn by change control leaves all counts from the day of the decision;
- % of trajectory = completed ÷ planned × 100, rounded half up to one decimal; none when
  nothing is planned. Must Do and Should Do are counted apart.

The arithmetic is a pure function; the counting is one aggregate query, for one date or for
many (`counts_at`: one column per date and measure, so a roll-up of every period of a
programme reads the root causes once). The Q builders below are the rule: the dashboard,
the drill-down list, the snapshots and `manage.py trajectory` all use them.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from rootcauses.models import RootCause

MUST_DO = "MUST_DO"
SHOULD_DO = "SHOULD_DO"
FINDING_TYPES = (MUST_DO, SHOULD_DO)

# How many dates one wide query counts at once: keeps the SQL (and SQLite's column limit)
# small while a roll-up of three years of periods still needs only a handful of queries.
DATES_PER_QUERY = 60


def percent_of_trajectory(completed: int, planned: int) -> Decimal | None:
    if planned <= 0:
        return None
    return (Decimal(completed) * 100 / Decimal(planned)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Counts:
    planned: int = 0
    planned_current: int = 0
    completed: int = 0

    @property
    def percent(self) -> Decimal | None:
        return percent_of_trajectory(self.completed, self.planned)

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.planned + other.planned,
            self.planned_current + other.planned_current,
            self.completed + other.completed,
        )

    def __sub__(self, other: "Counts") -> "Counts":
        return Counts(
            self.planned - other.planned,
            self.planned_current - other.planned_current,
            self.completed - other.completed,
        )

    def as_dict(self) -> dict:
        percent = self.percent
        return {
            "planned": self.planned,
            "planned_current": self.planned_current,
            "completed": self.completed,
            "percent": float(percent) if percent is not None else None,
        }


def completion_field(colour: str) -> str:
    """Which date counts a root cause as completed: confirmation (green) or verification (blue)."""
    return "verified_on" if colour == "blue" else "completed_on"


# The rule, as filters. `as_of` is a date or a date-valued expression (F("…")); "by" means
# on or before the end of that day.


def in_plan(as_of: Any) -> Q:
    """Not withdrawn by change control on or before `as_of`."""
    return Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=as_of)


def planned_by(as_of: Any) -> Q:
    return in_plan(as_of) & Q(baseline_due_date__lte=as_of)


def planned_current_by(as_of: Any) -> Q:
    return in_plan(as_of) & Q(current_due_date__lte=as_of)


def completed_by(as_of: Any, colour: str = "green") -> Q:
    return in_plan(as_of) & Q(**{f"{completion_field(colour)}__lte": as_of})


def open_at(as_of: Any) -> Q:
    """Still being worked on at the end of `as_of`: closure not confirmed, not withdrawn."""
    return (Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)) & in_plan(as_of)


def overdue_at(as_of: Any) -> Q:
    """Open, and its current due date has passed (RootCauseQuerySet.overdue, as of a date)."""
    return open_at(as_of) & Q(current_due_date__lt=as_of)


TRAJECTORY_MEASURES: dict[str, Callable[[Any, str], Q]] = {
    "planned": lambda day, colour: planned_by(day),
    "planned_current": lambda day, colour: planned_current_by(day),
    "completed": completed_by,
}


def wide_counts(
    root_causes: QuerySet,
    dates: Iterable[dt.date],
    measures: dict[str, Callable[[Any, str], Q]],
    colour: str = "green",
) -> dict[dt.date, dict[tuple[int, str], dict[str, int]]]:
    """{date: {(isg id, finding type): {measure: count, "total": count}}}: GROUP BY ISG and
    type, one column per date and measure, so the root causes are read once for many dates."""
    days = sorted(set(dates))
    result: dict[dt.date, dict[tuple[int, str], dict[str, int]]] = {day: {} for day in days}
    for start in range(0, len(days), DATES_PER_QUERY):  # no query when there are no dates
        chunk = days[start : start + DATES_PER_QUERY]
        aggregates = {
            f"m{i}_{name}": Count("pk", filter=rule(day, colour))
            for i, day in enumerate(chunk)
            for name, rule in measures.items()
        }
        rows = (
            root_causes.order_by()
            .values("isg_id", "finding__finding_type")
            .annotate(total=Count("pk"), **aggregates)
        )
        for row in rows:
            key = (row["isg_id"], row["finding__finding_type"])
            for i, day in enumerate(chunk):
                values = {name: row[f"m{i}_{name}"] for name in measures}
                values["total"] = row["total"]
                result[day][key] = values
    return result


def counts_at(
    root_causes: QuerySet, dates: Sequence[dt.date], colour: str = "green"
) -> dict[dt.date, dict[tuple[int, str], Counts]]:
    """Trajectory counts at many dates: {date: {(isg id, finding type): Counts}}."""
    wide = wide_counts(root_causes, dates, TRAJECTORY_MEASURES, colour)
    return {
        day: {
            key: Counts(row["planned"], row["planned_current"], row["completed"])
            for key, row in groups.items()
        }
        for day, groups in wide.items()
    }


def counts_by_isg(
    root_causes: QuerySet, as_of: dt.date, colour: str = "green"
) -> dict[tuple[int, str], Counts]:
    """{(isg id, finding type): Counts} as of the end of `as_of`, in one GROUP BY query."""
    return counts_at(root_causes, [as_of], colour)[as_of]


def programme_totals(by_isg: dict[tuple[int, str], Counts]) -> dict[str, Counts]:
    totals = {kind: Counts() for kind in FINDING_TYPES}
    for (_isg, kind), counts in by_isg.items():
        totals[kind] = totals[kind] + counts
    return totals


def trajectory_as_of(programme, as_of: dt.date) -> dict:
    """The figures `manage.py trajectory --json` prints, computed live from the plan."""
    by_isg = counts_by_isg(
        RootCause.objects.filter(programme=programme), as_of, programme.trajectory_colour
    )
    totals = programme_totals(by_isg)
    isgs = []
    for isg in programme.isgs.order_by("order", "name"):
        isgs.append(
            {
                "name": isg.name,
                **{
                    kind.lower(): by_isg.get((isg.pk, kind), Counts()).as_dict()
                    for kind in FINDING_TYPES
                },
            }
        )
    combined = totals[MUST_DO] + totals[SHOULD_DO]
    return {
        "as_of": as_of.isoformat(),
        "programme": {
            "must_do": totals[MUST_DO].as_dict(),
            "should_do": totals[SHOULD_DO].as_dict(),
            "combined": combined.as_dict(),
        },
        "isgs": isgs,
    }
