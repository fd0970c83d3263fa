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


# The rule as spans of days: a root cause counts for a measure on each day from its start
# date (the day after it, if strict) until the first of its end dates that is set. Each
# span renders as a filter for one day (`on`, used by the dashboard, the drill-down list
# and `manage.py trajectory`) and as events for many days at once (`span_counts`, used by
# the roll-up): one definition, two renderings, tested equal.


@dataclass(frozen=True)
class Span:
    start: str | None  # a date field; None: from the beginning
    ends: tuple[str, ...] = ()  # date fields; counting stops on the first that is set
    strict_start: bool = False  # counts from the day after `start`

    def on(self, day: Any, prefix: str = "") -> Q:
        """Counts at the end of `day` (a date or a date-valued expression)."""
        q = Q()
        if self.start:
            lookup = "lt" if self.strict_start else "lte"
            q &= Q(**{f"{prefix}{self.start}__{lookup}": day})
        for end in self.ends:
            q &= Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": day})
        return q


SPANS = {
    # Planned (baseline / current): due on or before the day, not withdrawn by then.
    "planned": Span("baseline_due_date", ("withdrawn_on",)),
    "planned_current": Span("current_due_date", ("withdrawn_on",)),
    # Completed: closure confirmed (green) or independently verified (blue), not withdrawn.
    "confirmed": Span("completed_on", ("withdrawn_on",)),
    "verified": Span("verified_on", ("withdrawn_on",)),
    # Withdrawn by change control from the day of the decision.
    "withdrawn": Span("withdrawn_on"),
    # Open: neither confirmed nor withdrawn yet; overdue: open and past its current due date.
    "open": Span(None, ("completed_on", "withdrawn_on")),
    "overdue": Span("current_due_date", ("completed_on", "withdrawn_on"), strict_start=True),
}


def in_plan(as_of: Any) -> Q:
    """Not withdrawn by change control on or before `as_of`."""
    return ~SPANS["withdrawn"].on(as_of)


def planned_by(as_of: Any) -> Q:
    return SPANS["planned"].on(as_of)


def planned_current_by(as_of: Any) -> Q:
    return SPANS["planned_current"].on(as_of)


def completed_by(as_of: Any, colour: str = "green") -> Q:
    return SPANS["verified" if colour == "blue" else "confirmed"].on(as_of)


def open_at(as_of: Any) -> Q:
    """Still being worked on at the end of `as_of`: closure not confirmed, not withdrawn."""
    return SPANS["open"].on(as_of)


def overdue_at(as_of: Any) -> Q:
    """Open, and its current due date has passed (RootCauseQuerySet.overdue, as of a date)."""
    return SPANS["overdue"].on(as_of)


def _first_set(columns: list[str]) -> str:
    """SQL for the earliest of some nullable date columns, NULL when none is set."""
    if not columns:
        return "NULL"
    expr = columns[0]
    for column in columns[1:]:
        expr = (
            f"CASE WHEN {expr} IS NULL THEN {column} WHEN {column} IS NULL THEN {expr} "
            f"WHEN {column} < {expr} THEN {column} ELSE {expr} END"
        )
    return expr


def span_counts(
    programme_id: int, days: Sequence[dt.date], measures: Sequence[str] | None = None
) -> dict[dt.date, dict[tuple[int, str], dict[str, int]]]:
    """{day: {(isg id, finding type): {measure: count, "total": count}}} for many days in one
    query, as running sums: each root cause adds one on the day a span starts and takes it
    away on the day it ends. The cost grows with root causes plus days, not their product."""
    from django.db import connection

    days = sorted(set(days))
    names = list(measures or SPANS)
    if not days:
        return {}
    rc, finding = RootCause._meta.db_table, RootCause._meta.get_field("finding").related_model
    date = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    events, params = [], []
    for name in names:
        span = SPANS[name]
        start = f"r.{span.start}" if span.start else date
        end = _first_set([f"r.{e}" for e in span.ends])
        order = 2 if span.strict_start else 0  # day rows sort at 1
        start_params = [] if span.start else ["0001-01-01"]
        events.append(
            f"SELECT r.isg_id, r.kind, %s AS m, {start} AS d, {order} AS o, 1 AS delta "  # nosec B608 # noqa: S608
            f"FROM r WHERE {start} IS NOT NULL AND NOT ({end} IS NOT NULL AND {end} <= {start})"
        )
        params += [name, *start_params, *start_params, *start_params]
        if span.ends:
            events.append(
                f"SELECT r.isg_id, r.kind, %s, {end}, 0, -1 "  # nosec B608 # noqa: S608
                f"FROM r WHERE {end} IS NOT NULL AND {end} > {start}"
            )
            params += [name, *start_params]
    day_values = ", ".join(f"({date})" for _ in days)
    sql = f"""
        WITH r AS (
            SELECT rc.isg_id AS isg_id, f.finding_type AS kind, rc.baseline_due_date,
                   rc.current_due_date, rc.completed_on, rc.verified_on, rc.withdrawn_on
            FROM {rc} rc JOIN {finding._meta.db_table} f ON f.id = rc.finding_id
            WHERE rc.programme_id = %s
        ), keys AS (
            SELECT DISTINCT isg_id, kind FROM r
        ), days (d) AS (VALUES {day_values}),
        measures (m) AS (VALUES {", ".join("(%s)" for _ in names)}),
        events AS (
            {" UNION ALL ".join(events)}
            UNION ALL
            SELECT keys.isg_id, keys.kind, measures.m, days.d, 1, 0
            FROM keys CROSS JOIN measures CROSS JOIN days
        ), by_day AS (
            SELECT isg_id, kind, m, d, o, SUM(delta) AS delta
            FROM events GROUP BY isg_id, kind, m, d, o
        ), running AS (
            SELECT isg_id, kind, m, d, o,
                   SUM(delta) OVER (
                       PARTITION BY isg_id, kind, m ORDER BY d, o
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                   ) AS n
            FROM by_day
        )
        SELECT d, isg_id, kind, m, n FROM running WHERE o = 1
        UNION ALL
        SELECT NULL, isg_id, kind, 'total', COUNT(*) FROM r GROUP BY isg_id, kind
    """  # nosec B608 # noqa: S608 - table and column names from the models, values as parameters
    all_params = [programme_id, *[d.isoformat() for d in days], *names, *params]
    result: dict[dt.date, dict[tuple[int, str], dict[str, int]]] = {day: {} for day in days}
    totals: dict[tuple[int, str], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        for day, isg_id, kind, measure, n in cursor.fetchall():
            n = int(n)  # PostgreSQL sums integers as numeric
            if measure == "total":
                totals[(isg_id, kind)] = n
                continue
            day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
            result[day].setdefault((isg_id, kind), {})[measure] = n
    for groups in result.values():
        for key, values in groups.items():
            values["total"] = totals.get(key, 0)
    return result


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
