"""The roll-up: a Snapshot per ISG and one for the programme, for each reporting period that ends.

Rules (docs/decisions/0006-snapshots-frozen-when-locked.md):

- Trajectory figures follow qip.reporting.trajectory (the same Q builders the dashboard, the
  drill-down list and `manage.py trajectory` use), cumulative at the period's end and within
  the period (cumulative at its end minus cumulative the day before it started).
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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core.clock import today as clock_today
from rootcauses.models import RootCause, Update

from ..models import ImprovementSteeringGroup, Programme, ReportingPeriod, Snapshot
from . import trajectory as tj

ONE_DAY = dt.timedelta(days=1)

STATUS_MEASURES = {
    **tj.TRAJECTORY_MEASURES,
    "open": lambda day, colour: tj.open_at(day),
    "overdue": lambda day, colour: tj.overdue_at(day),
    "completed_any": lambda day, colour: tj.completed_by(day, "green"),
    "verified": lambda day, colour: tj.completed_by(day, "blue"),
    "withdrawn": lambda day, colour: Q(withdrawn_on__lte=day),
}

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


def rag_counts_at(programme_id: int, days: Sequence[dt.date]) -> dict:
    """{(day, isg id, rag): open root causes whose latest update up to `day` has that RAG}.

    One query for any number of days: each update is in force from the start of its period
    until the start of the root cause's next update (a window function), and is counted for
    each day it is in force while its root cause is still open. The open test repeats
    trajectory.open_at in SQL.
    """
    if not days:
        return {}
    cast = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    day_rows = " UNION ALL ".join(f"SELECT {cast} AS d" for _ in days)
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
        ), days AS ({day_rows})
        SELECT days.d, seg.isg_id, seg.rag, COUNT(*)
        FROM seg JOIN days ON seg.s <= days.d AND (seg.nxt IS NULL OR seg.nxt > days.d)
        WHERE (seg.c IS NULL OR seg.c > days.d) AND (seg.w IS NULL OR seg.w > days.d)
        GROUP BY days.d, seg.isg_id, seg.rag
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [programme_id, *[d.isoformat() for d in days]])
        return {(_day(d), isg_id, rag): n for d, isg_id, rag, n in cursor.fetchall()}


def compute(
    programme: Programme,
    targets: Sequence[Target],
    *,
    live: bool = False,
    today: dt.date | None = None,
    isgs: Sequence[ImprovementSteeringGroup] | None = None,
    periods: Sequence[ReportingPeriod] | None = None,
) -> list[Snapshot]:
    """Unsaved snapshots (one per ISG and one for the programme) for each target.

    The dashboard calls it with live=True for a period with no snapshot yet; the roll-up
    with live=False for ended periods. Pass `isgs` and `periods` if already loaded.
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

    dates = {t.as_of for t in targets} | {t.period.starts_on - ONE_DAY for t in targets}
    dates |= {at for _period, at in due.values()}
    root_causes = RootCause.objects.filter(programme=programme)
    wide = tj.wide_counts(root_causes, dates, STATUS_MEASURES, programme.trajectory_colour)

    updated = _updated_open(programme, {(p.pk, at) for p, at in due.values()})
    rags = _rags(programme, targets, today)

    snapshots = []
    now = timezone.now()
    for t_index, target in enumerate(targets):
        rows = []
        for isg in isgs:
            snap = Snapshot(programme=programme, period=target.period, isg=isg)
            _fill(snap, target, isg.pk, wide, rags, now)
            period_at = due.get((t_index, isg.pk))
            if period_at is not None:
                period, at = period_at
                open_then = _sum(wide[at], isg.pk, "open")
                snap.missing_updates = open_then - updated.get((period.pk, at, isg.pk), 0)
            rows.append(snap)
        total = Snapshot(programme=programme, period=target.period, isg=None)
        _fill(total, target, None, wide, rags, now)
        total.missing_updates = sum(s.missing_updates for s in rows)
        snapshots += [*rows, total]
    return snapshots


def _sum(groups: dict, isg_id: int | None, measure: str, kind: str | None = None) -> int:
    return sum(
        values[measure]
        for (g_isg, g_kind), values in groups.items()
        if (isg_id is None or g_isg == isg_id) and (kind is None or g_kind == kind)
    )


def _fill(snap: Snapshot, target: Target, isg_id, wide, rags, now) -> None:
    end, before = wide[target.as_of], wide[target.period.starts_on - ONE_DAY]
    snap.as_of = target.as_of
    snap.computed_at = now
    for prefix, kind in (("md", tj.MUST_DO), ("sd", tj.SHOULD_DO)):
        for measure in ("planned", "planned_current", "completed"):
            cumulative = _sum(end, isg_id, measure, kind)
            setattr(snap, f"{prefix}_{measure}", cumulative)
            setattr(
                snap,
                f"{prefix}_{measure}_in_period",
                cumulative - _sum(before, isg_id, measure, kind),
            )
        setattr(
            snap,
            f"{prefix}_percent",
            tj.percent_of_trajectory(
                getattr(snap, f"{prefix}_completed"), getattr(snap, f"{prefix}_planned")
            ),
        )
    snap.open_count = _sum(end, isg_id, "open")
    snap.overdue_count = _sum(end, isg_id, "overdue")
    snap.completed_count = _sum(end, isg_id, "completed_any")
    snap.verified_count = _sum(end, isg_id, "verified")
    snap.withdrawn_count = _sum(end, isg_id, "withdrawn")
    for rag in ("on_track", "at_risk", "off_track"):
        setattr(
            snap,
            f"rag_{rag}",
            sum(
                n
                for (day, g_isg, g_rag), n in rags.items()
                if day == target.as_of and g_rag == rag and (isg_id is None or g_isg == isg_id)
            ),
        )
    snap.rag_none = snap.open_count - snap.rag_on_track - snap.rag_at_risk - snap.rag_off_track


def _updated_open(programme, due: set[tuple[int, dt.date]]) -> dict[tuple[int, dt.date, int], int]:
    """{(period id, day, isg id): open root causes at `day` with an update for that period}."""
    if not due:
        return {}
    aggregates = {
        f"n{i}": Count("pk", filter=Q(period_id=pk) & _prefixed(tj.open_at(day), "root_cause__"))
        for i, (pk, day) in enumerate(sorted(due))
    }
    rows = (
        Update.objects.filter(root_cause__programme=programme, period_id__in={pk for pk, _ in due})
        .order_by()
        .values("root_cause__isg_id")
        .annotate(**aggregates)
    )
    keys = sorted(due)
    return {
        (pk, day, row["root_cause__isg_id"]): row[f"n{i}"]
        for row in rows
        for i, (pk, day) in enumerate(keys)
    }


def _rags(programme, targets: Sequence[Target], today: dt.date) -> dict:
    """RAG counts for every target day; for today, the latest RAG is RootCause.current_rag."""
    past = sorted({t.as_of for t in targets if t.as_of < today})
    rags = rag_counts_at(programme.pk, past)
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
    snapshots = compute(programme, [Target(p, p.ends_on) for p in result.periods])
    _upsert(snapshots, result.periods)
    result.snapshots = len(snapshots)
    return result


def _upsert(snapshots: list[Snapshot], periods: list[ReportingPeriod]) -> None:
    """Insert or update on the (period, ISG) constraints; row ids survive a re-run."""
    per_isg = [s for s in snapshots if s.isg_id is not None]
    Snapshot.objects.bulk_create(
        per_isg,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["period", "isg"],
        update_fields=FIGURE_FIELDS,
    )
    # The programme rows (no ISG) have their own partial unique constraint, which an
    # ON CONFLICT clause cannot name portably: update those that exist, create the rest.
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
