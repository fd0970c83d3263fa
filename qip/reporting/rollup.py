"""The roll-up: a Snapshot per ISG and one for the programme, for each reporting period that ends.

Rules (docs/decisions/0007-snapshots-frozen-when-locked.md):

- Trajectory figures follow qip.reporting.trajectory.SPANS (the rule the dashboard, the
  drill-down list and `manage.py trajectory` use as filters, counted here for every period
  at once as running sums), cumulative at the period's end and within the period
  (cumulative at its end minus cumulative at the end of the previous period).
- Status at the end of the period comes from dates (confirmed, verified, withdrawn, overdue),
  so a roll-up re-run later gives the same answer for the same plan.
- RAG: the RAG of each open root cause's latest update whose period started on or before the
  period's end.
- Missing updates: open root causes with no update for their ISG's reporting period. In a
  roll-up that is the ISG's latest period that had ended by the period's end — the period
  itself when the ISG reports on its cadence; for a month, a fortnightly ISG's last sprint
  that ended in it (counted at that sprint's end); for a sprint, Well-led's last finished
  month. On the live dashboard it is each ISG's current period ("no update yet").
- Set-based: a fixed number of aggregate queries, whatever the number of root causes or
  periods (counted in tests); idempotent (an upsert on the (period, ISG) constraint);
  atomic (one transaction); a locked period is skipped, never rewritten.
"""

import datetime as dt
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from core.clock import today as clock_today
from rootcauses.models import RootCause, Update

from ..models import ImprovementSteeringGroup, Programme, ReportingPeriod, Snapshot
from . import trajectory as tj
from .public_progress import refresh_public_progress

ONE_DAY = dt.timedelta(days=1)
RAG_VALUES = ("on_track", "at_risk", "off_track")

# Counted at the end of each period (trajectory.SPANS). "completed" follows the programme's
# colour; confirmed and verified are both counted for the status figures (one of them equals
# "completed"). Open = all − withdrawn − confirmed, which is trajectory.open_at.
END_NAMES = ("planned", "planned_current", "confirmed", "verified", "withdrawn", "overdue")
PLAN_NAMES = ("planned", "planned_current", "withdrawn")


def _filters(names) -> dict:
    """The same measures as filters for one day (trajectory.wide_counts)."""
    return {name: (lambda day, colour, span=tj.SPANS[name]: span.on(day)) for name in names}


END_MEASURES = _filters(END_NAMES)
PLAN_MEASURES = _filters(PLAN_NAMES)


def _completed_key(colour: str) -> str:
    return "verified" if colour == "blue" else "confirmed"


def _open(values: dict) -> int:
    return values["total"] - values["withdrawn"] - values["confirmed"]


FIGURE_FIELDS = [
    f.name
    for f in Snapshot._meta.concrete_fields
    if f.name not in {"id", "programme", "period", "isg"}
]


@dataclass(frozen=True)
class Target:
    """Figures wanted for one period, as at one day (its end, or today for a live view)."""

    period: ReportingPeriod
    as_of: dt.date


@dataclass
class RollupResult:
    periods: list[ReportingPeriod] = field(default_factory=list)
    snapshots: int = 0
    skipped_locked: list[ReportingPeriod] = field(default_factory=list)


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter, seen from a model that points to RootCause through `prefix`."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    clone.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in q.children
    ]
    return clone


def due_period(
    periods_by_cadence: dict[str, list[ReportingPeriod]], cadence: str, day: dt.date, live: bool
) -> ReportingPeriod | None:
    """The ISG's period whose update counts as missing (see the module docstring)."""
    periods = periods_by_cadence.get(cadence, [])
    if live:
        return next((p for p in periods if p.starts_on <= day <= p.ends_on), None)
    ended = [p for p in periods if p.ends_on <= day]
    return ended[-1] if ended else None


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def rag_counts_at(programme_id: int, days: Sequence[dt.date], isg_ids: Sequence[int]) -> dict:
    """{(day, isg id, rag): open root causes whose latest update up to `day` has that RAG}.

    One query for any number of days, as a running sum: each update is in force from the
    start of its period until the start of the root cause's next update (a window
    function), its closure or its withdrawal, whichever is first. It adds one on the day it
    starts and takes one away on the day it ends; the count on a day is the sum of what
    happened on or before it. The closure test is trajectory.open_at, in SQL.
    """
    if not days or not isg_ids:
        return {}
    date = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    keys = [(isg_id, rag) for isg_id in isg_ids for rag in RAG_VALUES]
    day_values = ", ".join(f"({date})" for _ in days)
    key_values = ", ".join("(%s, %s)" for _ in keys)
    sql = f"""
        WITH seg AS (
            SELECT rc.isg_id AS isg_id, u.rag AS rag, p.starts_on AS s,
                   LEAD(p.starts_on) OVER (
                       PARTITION BY u.root_cause_id ORDER BY p.starts_on
                   ) AS nxt,
                   rc.completed_on AS c, rc.withdrawn_on AS w
            FROM {Update._meta.db_table} u
            JOIN {ReportingPeriod._meta.db_table} p ON p.id = u.period_id
            JOIN {RootCause._meta.db_table} rc ON rc.id = u.root_cause_id
            WHERE rc.programme_id = %s
        ), bounded AS (
            SELECT isg_id, rag, s,
                   CASE
                     WHEN nxt IS NOT NULL AND (c IS NULL OR nxt <= c) AND (w IS NULL OR nxt <= w)
                       THEN nxt
                     WHEN c IS NOT NULL AND (w IS NULL OR c <= w) THEN c
                     ELSE w
                   END AS e
            FROM seg
        ), days (d) AS (VALUES {day_values}),
        keys (isg_id, rag) AS (VALUES {key_values}),
        events AS (
            SELECT isg_id, rag, s AS d, 1 AS delta, 0 AS is_day FROM bounded
            UNION ALL
            SELECT isg_id, rag, CASE WHEN e < s THEN s ELSE e END, -1, 0
            FROM bounded WHERE e IS NOT NULL
            UNION ALL
            SELECT keys.isg_id, keys.rag, days.d, 0, 1 FROM days CROSS JOIN keys
        ), by_day AS (
            SELECT isg_id, rag, d, is_day, SUM(delta) AS delta
            FROM events GROUP BY isg_id, rag, d, is_day
        ), running AS (
            SELECT isg_id, rag, d, is_day,
                   SUM(delta) OVER (
                       PARTITION BY isg_id, rag ORDER BY d, is_day
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                   ) AS n
            FROM by_day
        )
        SELECT d, isg_id, rag, n FROM running WHERE is_day = 1 AND n <> 0
    """  # nosec B608 # noqa: S608 - table names from the models, values as parameters
    params: list[Any] = [programme_id, *[day.isoformat() for day in days]]
    for isg_id, rag in keys:
        params += [isg_id, rag]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # int(): PostgreSQL sums integers as numeric.
        return {(_day(d), isg_id, rag): int(n) for d, isg_id, rag, n in cursor.fetchall()}


def compute(
    programme: Programme,
    targets: Sequence[Target],
    *,
    live: bool = False,
    today: dt.date | None = None,
    isgs: Sequence[ImprovementSteeringGroup] | None = None,
    periods: Sequence[ReportingPeriod] | None = None,
    in_period: bool = True,
) -> list[Snapshot]:
    """Unsaved snapshots (one per ISG and one for the programme) for each target.

    The dashboard calls it with live=True for a period with no snapshot yet; the roll-up
    with live=False for ended periods. Pass `isgs` and `periods` if already loaded; with
    in_period=False the "in the period" figures are not computed (left at 0), for a page
    that does not show them.
    """
    today = today or clock_today()
    isgs = list(isgs if isgs is not None else programme.isgs.all())
    if periods is None:
        periods = list(programme.periods.order_by("starts_on"))
    by_cadence: dict[str, list[ReportingPeriod]] = defaultdict(list)
    for period in sorted(periods, key=lambda p: p.starts_on):
        by_cadence[period.cadence].append(period)

    # Which period each ISG's updates are judged on, and at which day it is counted.
    due: dict[tuple[int, int], tuple[ReportingPeriod, dt.date]] = {}
    for t_index, target in enumerate(targets):
        for isg in isgs:
            period = due_period(by_cadence, isg.cadence, target.as_of, live)
            if period is not None:
                due[(t_index, isg.pk)] = (period, min(target.as_of, period.ends_on))

    # Counts at a period's end come from one running-sum query (trajectory.span_counts);
    # at another day (a live view) from trajectory.wide_counts. Same rules, same measures.
    def key(period: ReportingPeriod, day: dt.date) -> tuple:
        return ("period", period.pk) if day == period.ends_on else ("day", day)

    by_pk = {p.pk: p for p in periods}
    previous = {
        later.pk: earlier
        for series in by_cadence.values()
        for earlier, later in zip(series, series[1:], strict=False)
    }
    wanted = {key(t.period, t.as_of) for t in targets}
    if in_period:
        wanted |= {("period", previous[t.period.pk].pk) for t in targets if t.period.pk in previous}
    wanted |= {key(period, at) for period, at in due.values()}
    counts: dict[tuple, dict] = {("none", None): {}}
    counts.update(
        (("period", pk), groups)
        for pk, groups in period_counts(
            programme, [by_pk[v] for k, v in wanted if k == "period"]
        ).items()
    )
    days = [v for k, v in wanted if k == "day"]
    root_causes = RootCause.objects.filter(programme=programme)
    counts.update(
        (("day", day), groups)
        for day, groups in tj.wide_counts(root_causes, days, END_MEASURES).items()
    )
    for k in wanted:
        counts.setdefault(k, {})  # a period with no root causes at all
    completed = _completed_key(programme.trajectory_colour)

    updated = _updated_open(programme, {p.pk for p, _at in due.values()}, live, targets)
    rags = _rags(programme, targets, today, isgs)

    totals = {k: _totals(groups) for k, groups in counts.items()}
    snapshots = []
    now = timezone.now()
    for t_index, target in enumerate(targets):
        pred = previous.get(target.period.pk) if in_period else None
        end = totals[key(target.period, target.as_of)]
        before = totals[("period", pred.pk)] if pred else {}
        rows = []
        for isg in isgs:
            snap = Snapshot(programme=programme, period=target.period, isg=isg)
            _fill(snap, target, isg.pk, end, before, rags, now, completed)
            period_at = due.get((t_index, isg.pk))
            if period_at is not None:
                period, at = period_at
                open_then = _sum(totals[key(period, at)], isg.pk, _open)
                snap.missing_updates = open_then - updated.get((period.pk, isg.pk), 0)
            rows.append(snap)
        total = Snapshot(programme=programme, period=target.period, isg=None)
        _fill(total, target, None, end, before, rags, now, completed)
        total.missing_updates = sum(s.missing_updates for s in rows)
        snapshots += [*rows, total]
    return snapshots


def period_counts(
    programme: Programme, periods: Sequence[ReportingPeriod], names: Sequence[str] = END_NAMES
) -> dict[int, dict]:
    """{period id: {(isg id, finding type): {measure: count, "total": n}}} at each period's
    end: one running-sum query over the programme's root causes (trajectory.span_counts)."""
    if not periods:
        return {}
    by_day = tj.span_counts(programme.pk, [p.ends_on for p in periods], names)
    return {p.pk: by_day[p.ends_on] for p in periods}


def _totals(groups: dict) -> dict:
    """{(isg id or None, type or None): {measure: sum}} for one set of counts, so each
    snapshot field is one look-up rather than a loop over the groups."""
    totals: dict = defaultdict(lambda: defaultdict(int))
    for (isg_id, kind), values in groups.items():
        for key in ((isg_id, kind), (isg_id, None), (None, kind), (None, None)):
            bucket = totals[key]
            for measure, n in values.items():
                bucket[measure] += n
    return totals


def _sum(totals: dict, isg_id: int | None, measure, kind: str | None = None) -> int:
    """A measure summed over an ISG (or all) and a finding type (or both), from _totals."""
    values = totals.get((isg_id, kind))
    if values is None:
        return 0
    return measure(values) if callable(measure) else values[measure]


def _fill(snap: Snapshot, target: Target, isg_id, end, before, rags, now, completed: str) -> None:
    snap.as_of = target.as_of
    snap.computed_at = now
    for prefix, kind in (("md", tj.MUST_DO), ("sd", tj.SHOULD_DO)):
        for name, measure in (
            ("planned", "planned"),
            ("planned_current", "planned_current"),
            ("completed", completed),
        ):
            cumulative = _sum(end, isg_id, measure, kind)
            setattr(snap, f"{prefix}_{name}", cumulative)
            setattr(
                snap, f"{prefix}_{name}_in_period", cumulative - _sum(before, isg_id, measure, kind)
            )
        setattr(
            snap,
            f"{prefix}_percent",
            tj.percent_of_trajectory(
                getattr(snap, f"{prefix}_completed"), getattr(snap, f"{prefix}_planned")
            ),
        )
    snap.open_count = _sum(end, isg_id, _open)
    snap.overdue_count = _sum(end, isg_id, "overdue")
    snap.completed_count = _sum(end, isg_id, "confirmed")
    snap.verified_count = _sum(end, isg_id, "verified")
    snap.withdrawn_count = _sum(end, isg_id, "withdrawn")
    for rag in ("on_track", "at_risk", "off_track"):
        setattr(snap, f"rag_{rag}", rags.get((target.as_of, isg_id, rag), 0))
    snap.rag_none = snap.open_count - snap.rag_on_track - snap.rag_at_risk - snap.rag_off_track


def _updated_open(
    programme, period_ids: set[int], live: bool, targets
) -> dict[tuple[int, int], int]:
    """{(period id, isg id): root causes with an update for that period, open at its end
    (or, live, open today)}."""
    if not period_ids:
        return {}
    day = targets[0].as_of if live else F("period__ends_on")
    rows = (
        Update.objects.filter(root_cause__programme=programme, period_id__in=period_ids)
        .order_by()
        .values("period_id", "root_cause__isg_id")
        .annotate(n=Count("pk", filter=_prefixed(tj.open_at(day), "root_cause__")))
    )
    return {(row["period_id"], row["root_cause__isg_id"]): row["n"] for row in rows}


def _rags(programme, targets: Sequence[Target], today: dt.date, isgs) -> dict:
    """RAG counts for every target day; for today, the latest RAG is RootCause.current_rag."""
    past = sorted({t.as_of for t in targets if t.as_of < today})
    rags = rag_counts_at(programme.pk, past, [isg.pk for isg in isgs])
    if any(t.as_of >= today for t in targets):
        rows = (
            RootCause.objects.filter(tj.open_at(today), programme=programme)
            .exclude(current_rag="")
            .order_by()
            .values("isg_id", "current_rag")
            .annotate(n=Count("pk"))
        )
        for day in {t.as_of for t in targets if t.as_of >= today}:
            for row in rows:
                rags[(day, row["isg_id"], row["current_rag"])] = row["n"]
    # Programme totals under isg id None, so each snapshot reads one key.
    for (day, _isg, rag), n in list(rags.items()):
        rags[(day, None, rag)] = rags.get((day, None, rag), 0) + n
    return rags


@transaction.atomic
def rollup_periods(*, programme: Programme, periods: Iterable[ReportingPeriod]) -> RollupResult:
    """Write (or rewrite) the snapshots of these ended periods; locked periods are left alone."""
    ids = [p.pk for p in periods]
    rows = list(
        ReportingPeriod.objects.select_for_update()
        .filter(pk__in=ids, programme=programme)
        .order_by("pk")
    )
    if len(rows) != len(set(ids)):
        raise ValidationError("Some of those periods belong to another programme.")
    result = RollupResult(
        periods=[p for p in rows if p.locked_at is None],
        skipped_locked=[p for p in rows if p.locked_at is not None],
    )
    not_ended = [p for p in result.periods if p.ends_on >= clock_today()]
    if not_ended:
        raise ValidationError(
            f"{not_ended[0]} has not ended yet (it ends on {not_ended[0].ends_on:%d %B %Y})."
        )
    if not result.periods:
        return result
    if connection.vendor == "postgresql":
        # A batch job: let the sorts and hashes of the big GROUP BYs stay in memory
        # (the default 4 MB spills them to disk at ten times the seed trust).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
    snapshots = compute(programme, [Target(p, p.ends_on) for p in result.periods])
    _fault_pause_after_part(snapshots, result.periods)
    _upsert(snapshots, result.periods)
    result.snapshots = len(snapshots)
    # The public progress page shows the last full month: refresh its cached copy once the
    # new snapshots are committed.
    transaction.on_commit(lambda: refresh_public_progress(programme))
    return result


# --- FAULT INJECTION, for tests/qip/test_rollup_killed.py only ---------------------------
# With QIP_FAULT_PAUSE_AFTER_SNAPSHOTS=N in the environment, the roll-up writes its first N
# snapshots, says so on stderr and sleeps (QIP_FAULT_PAUSE_SECONDS, default 300) inside its
# transaction, so that a test can kill the process part-way and check that nothing of it
# was kept. Read from the environment only (never a setting); unset, it does nothing.
FAULT_PAUSE_ENV = "QIP_FAULT_PAUSE_AFTER_SNAPSHOTS"


def _fault_pause_after_part(snapshots: list[Snapshot], periods: list[ReportingPeriod]) -> None:
    part = os.environ.get(FAULT_PAUSE_ENV, "")
    if not part:
        return
    written = snapshots[: int(part)]
    _upsert(written, periods)
    sys.stderr.write(f"FAULT: paused after writing {len(written)} snapshots\n")
    sys.stderr.flush()
    time.sleep(float(os.environ.get("QIP_FAULT_PAUSE_SECONDS", "300")))


# --- end of fault injection ---------------------------------------------------------------


def _upsert(snapshots: list[Snapshot], periods: list[ReportingPeriod]) -> None:
    """Insert or update on the (period, ISG) constraint; row ids survive a re-run.

    PostgreSQL's unique (period, isg) is NULLS NOT DISTINCT, so one ON CONFLICT covers the
    programme rows (no ISG) too. SQLite cannot say that: there a partial unique constraint
    guards the programme rows, which are updated or created apart.
    """
    together = connection.features.supports_nulls_distinct_unique_constraints
    Snapshot.objects.bulk_create(
        [s for s in snapshots if together or s.isg_id is not None],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["period", "isg"],
        update_fields=FIGURE_FIELDS,
    )
    if together:
        return
    existing = {
        s.period_id: s for s in Snapshot.objects.filter(period__in=periods, isg__isnull=True)
    }
    to_update, to_create = [], []
    for snap in (s for s in snapshots if s.isg_id is None):
        current = existing.get(snap.period_id)
        if current is None:
            to_create.append(snap)
            continue
        for name in FIGURE_FIELDS:
            setattr(current, name, getattr(snap, name))
        to_update.append(current)
    Snapshot.objects.bulk_update(to_update, FIGURE_FIELDS, batch_size=200)
    Snapshot.objects.bulk_create(to_create, batch_size=500)


def periods_due(*, today: dt.date, programme: Programme | None = None):
    """Ended, unlocked periods with no snapshot yet."""
    periods = ReportingPeriod.objects.filter(ends_on__lt=today, locked_at__isnull=True).exclude(
        Exists(Snapshot.objects.filter(period=OuterRef("pk")))
    )
    if programme is not None:
        periods = periods.filter(programme=programme)
    return periods.order_by("programme_id", "starts_on")


def rollup_due(*, today: dt.date | None = None, programme: Programme | None = None) -> list:
    """Roll up every ended period that has no snapshot yet, programme by programme."""
    today = today or clock_today()
    grouped: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in periods_due(today=today, programme=programme):
        grouped[period.programme_id].append(period)
    programmes = Programme.objects.in_bulk(list(grouped))
    return [
        rollup_periods(programme=programmes[pid], periods=periods)
        for pid, periods in grouped.items()
    ]


@transaction.atomic
def period_lock(
    *, by: Any, period: ReportingPeriod, at: dt.datetime | None = None
) -> ReportingPeriod:
    """Lock a period when a board paper reporting it is issued: its snapshots freeze.

    The period is rolled up first, so the frozen figures are the latest; after this the
    roll-up never rewrites them.
    """
    period = (
        ReportingPeriod.objects.select_for_update().select_related("programme").get(pk=period.pk)
    )
    if period.locked_at is not None:
        raise ValidationError(f"{period} was already locked on {period.locked_at:%d %B %Y}.")
    if period.ends_on >= clock_today():
        raise ValidationError(
            f"{period} has not ended yet: a board paper can report it only after {period.ends_on:%d %B %Y}."
        )
    rollup_periods(programme=period.programme, periods=[period])
    period.locked_at = at or timezone.now()
    period._history_user = by
    period.save(update_fields=["locked_at"])
    return period
