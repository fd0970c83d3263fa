"""What the executive dashboard shows, read in a fixed number of queries.

Figures for the chosen period come from its snapshots when it has been rolled up (frozen
once locked), otherwise they are computed live by the roll-up's own code (rollup.compute).
Monthly charts read month snapshots where they exist and one GROUP BY for the other months.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from rootcauses.models import RAG, RootCause, Update

from ..charts import Chart, Series
from ..models import Programme, ReportingPeriod, Snapshot
from . import rollup
from . import trajectory as tj
from .forecast import Forecast, forecast
from .rag import thresholds_text, trajectory_rag

SNAPSHOT_VALUES = [
    f.attname for f in Snapshot._meta.concrete_fields
]  # every column, so a row can be a Snapshot again
CHART_MONTHS = 6  # completions by month by ISG: the latest six months, as the board paper
OFF_TRACK_SHOWN = 12


@dataclass
class Row:
    """One line of the % of trajectory table: an ISG, or the programme (isg None)."""

    name: str
    isg_id: int | None
    snapshot: Snapshot
    md_rag: str
    sd_rag: str
    links: dict = field(default_factory=dict)
    forecast: Forecast | None = None
    forecast_unit: str = "sprint"


@dataclass
class Dashboard:
    programme: Programme
    period: ReportingPeriod
    as_of: dt.date
    source: str  # "snapshot", "live", "ended"
    source_words: str
    rows: list[Row]
    total: Row
    charts: list[Chart]
    off_track: list
    links: dict
    periods: list[ReportingPeriod]
    tiles: list[dict] = field(default_factory=list)
    period_options: list = field(default_factory=list)
    thresholds: str = thresholds_text()


def _url(programme: Programme, **params) -> str:
    """The drill-down list filtered to the root causes behind a figure."""
    base = getattr(programme, "_drill_down_url", None)
    if base is None:
        base = programme._drill_down_url = reverse("rootcause-list", args=[programme.pk])
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return base + (f"?{query}" if query else "")


def choose_period(periods: list[ReportingPeriod], requested: str | None, today: dt.date):
    """The period asked for, else the month holding today, else the latest month started."""
    if requested:
        chosen = next((p for p in periods if str(p.pk) == requested), None)
        if chosen is not None:
            return chosen
    months = [p for p in periods if p.cadence == ReportingPeriod.Cadence.MONTHLY]
    return next((p for p in months if p.starts_on <= today <= p.ends_on), None) or next(
        (p for p in reversed(months) if p.starts_on <= today), months[0] if months else None
    )


def build(programme: Programme, period: ReportingPeriod, periods, isgs, today: dt.date):
    as_of = min(today, period.ends_on)
    months = [p for p in periods if p.cadence == ReportingPeriod.Cadence.MONTHLY]
    history = _history(isgs, periods, as_of)
    wanted = {p.pk: p for p in [*months, *[p for ps in history.values() for p in ps]]}
    # One query for the snapshots of the period shown and of the months and periods the
    # charts and forecasts read.
    saved = list(
        Snapshot.objects.filter(
            programme=programme,
            period__in={period.pk, *[p.pk for p in wanted.values() if p.ends_on <= as_of]},
        )
        .order_by()
        .values(*SNAPSHOT_VALUES)
    )
    snapshots = [Snapshot(**row) for row in saved if row["period_id"] == period.pk]
    if period.ends_on < today and len(snapshots) == len(isgs) + 1:
        source = "snapshot"
        stamp = max(s.computed_at for s in snapshots)
        words = f"As at the end of {period} ({period.ends_on:%d %B %Y}), from the roll-up of {stamp:%d %B %Y}"
        if period.locked_at:
            words += f"; frozen since the board paper was issued on {period.locked_at:%d %B %Y}"
    else:
        live = period.ends_on >= today
        snapshots = rollup.compute(
            programme,
            [rollup.Target(period, as_of)],
            live=live,
            today=today,
            isgs=isgs,
            periods=periods,
            in_period=False,  # the page shows cumulative figures for the period
        )
        source = "live" if live else "ended"
        words = (
            f"Live, as at {as_of:%d %B %Y} ({period} ends on {period.ends_on:%d %B %Y})"
            if live
            else f"As at the end of {period} ({period.ends_on:%d %B %Y}), computed live: not rolled up yet"
        )
    by_isg = {s.isg_id: s for s in snapshots}
    month_counts = _period_figures(programme, list(wanted.values()), isgs, as_of, saved)

    live_now = source == "live"
    rows = []
    for isg in isgs:
        snap = by_isg[isg.pk]
        rows.append(_row(programme, isg.name, isg.pk, snap, as_of, live_now))
    total = _row(programme, "Programme", None, by_isg[None], as_of, live_now)
    _forecasts(rows, isgs, periods, as_of, month_counts, history)

    charts = _charts(programme, months, isgs, as_of, month_counts, by_isg)
    off_track = _off_track(programme, today)
    links = {
        "off_track": _url(programme, rag=RAG.OFF_TRACK),
        "overdue": _url(programme, overdue=as_of),
        "missing": _url(programme, missing=as_of),
        "all": _url(programme),
    }
    t = total.snapshot
    missing_hint = (
        "Open, no update yet for this sprint or month"
        if source == "live"
        else "Open, no update for the period"
    )
    tiles = [
        {
            "value": selectors_percent(t.md_percent),
            "label": "Must Do: % of trajectory",
            "hint": f"{t.md_completed} completed of {t.md_planned} planned",
            "url": total.links["md_completed"],
        },
        {
            "value": selectors_percent(t.sd_percent),
            "label": "Should Do: % of trajectory",
            "hint": f"{t.sd_completed} completed of {t.sd_planned} planned",
            "url": total.links["sd_completed"],
        },
        {
            "value": t.overdue_count,
            "label": "Overdue root causes",
            "hint": "Open, past their current due date",
            "url": links["overdue"],
        },
        {
            "value": t.missing_updates,
            "label": "Missing updates",
            "hint": missing_hint,
            "url": links["missing"],
        },
        {
            "value": t.rag_off_track,
            "label": "Off track",
            "hint": "Open, latest update off track",
            "url": links["off_track"] if source == "live" else None,
        },
    ]
    started = [p for p in periods if p.starts_on <= today]
    period_options = [
        (
            "Months",
            [
                (p.pk, f"{p}{' (board paper issued)' if p.locked_at else ''}", p.pk == period.pk)
                for p in reversed(started)
                if p.cadence == ReportingPeriod.Cadence.MONTHLY
            ],
        ),
        (
            "Sprints",
            [
                (
                    p.pk,
                    f"{p} ({p.starts_on.day} {p.starts_on:%b} to {p.ends_on.day} {p.ends_on:%b %Y})",
                    p.pk == period.pk,
                )
                for p in reversed(started)
                if p.cadence == ReportingPeriod.Cadence.FORTNIGHTLY
            ],
        ),
    ]
    return Dashboard(
        tiles=tiles,
        period_options=period_options,
        programme=programme,
        period=period,
        as_of=as_of,
        source=source,
        source_words=words,
        rows=rows,
        total=total,
        charts=charts,
        off_track=off_track,
        links=links,
        periods=started,
    )


def _off_track(programme, today) -> list[RootCause]:
    """The first open root causes whose latest update is off track, each with the recovery
    note and forecast date of its latest off-track update (two queries)."""
    off_track = list(
        RootCause.objects.filter(tj.open_at(today), programme=programme, current_rag=RAG.OFF_TRACK)
        .select_related("isg", "owner", "finding")
        .order_by("isg__order", "current_due_date", "reference")[:OFF_TRACK_SHOWN]
    )
    latest: dict[int, Update] = {}
    for update in (
        Update.objects.filter(root_cause__in=off_track, rag=RAG.OFF_TRACK)
        .only("root_cause_id", "recovery_note", "forecast_date")
        .order_by("root_cause_id", "period__starts_on")
    ):
        latest[update.root_cause_id] = update  # the last one per root cause wins
    for root_cause in off_track:
        update = latest.get(root_cause.pk)
        root_cause.recovery_note = update.recovery_note if update else ""
        root_cause.forecast_date = update.forecast_date if update else None
    return off_track


def _row(programme, name, isg_id, snap, as_of, live_now) -> Row:
    links = {}
    for kind, prefix in ((tj.MUST_DO, "md"), (tj.SHOULD_DO, "sd")):
        links[f"{prefix}_completed"] = _url(programme, isg=isg_id, type=kind, completed_by=as_of)
        links[f"{prefix}_planned"] = _url(programme, isg=isg_id, type=kind, planned_by=as_of)
        links[f"{prefix}_planned_current"] = _url(
            programme, isg=isg_id, type=kind, planned_current_by=as_of
        )
    links["overdue"] = _url(programme, isg=isg_id, overdue=as_of)
    links["missing"] = _url(programme, isg=isg_id, missing=as_of)
    if live_now:
        links["off_track"] = _url(programme, isg=isg_id, rag=RAG.OFF_TRACK)
    return Row(
        name=name,
        isg_id=isg_id,
        snapshot=snap,
        md_rag=trajectory_rag(snap.md_percent),
        sd_rag=trajectory_rag(snap.sd_percent),
        links=links,
    )


def _history(isgs, periods, as_of) -> dict[str, list[ReportingPeriod]]:
    """Each cadence's last seven periods ended by `as_of`: six periods of completions."""
    history = {}
    for cadence in {isg.cadence for isg in isgs}:
        ended = [p for p in periods if p.cadence == cadence and p.ends_on <= as_of]
        history[cadence] = ended[-7:]
    return history


def _period_figures(programme, wanted, isgs, as_of, saved):
    """Per period: {period id: {isg id or None: {type: {planned, planned_current,
    completed}, "in_plan": n}}}, from the periods' snapshots where they exist (one query),
    else one running-sum query for the periods without one. `saved`: snapshot rows (values)."""
    ended = {p.pk for p in wanted if p.ends_on <= as_of}
    have: dict[int, dict] = {}
    for row in saved:
        if row["period_id"] in ended:
            have.setdefault(row["period_id"], {})[row["isg_id"]] = row
    complete = {pk for pk, rows in have.items() if len(rows) == len(isgs) + 1}
    # Ended periods without a snapshot: every measure. Later ones only draw the plan lines.
    counted = rollup.period_counts(
        programme, [p for p in wanted if p.pk not in complete and p.ends_on <= as_of]
    )
    later = [p for p in wanted if p.ends_on > as_of]
    by_day = tj.wide_counts(
        RootCause.objects.filter(programme=programme),
        [p.ends_on for p in later],
        rollup.PLAN_MEASURES,
    )
    counted.update((p.pk, by_day[p.ends_on]) for p in later)
    completed = "verified" if programme.trajectory_colour == "blue" else "confirmed"
    figures: dict[int, dict] = {}
    for period in wanted:
        per: dict = {}
        if period.pk in complete:
            for isg_id, snap in have[period.pk].items():
                per[isg_id] = {
                    kind: {
                        "planned": snap[f"{p}_planned"],
                        "planned_current": snap[f"{p}_planned_current"],
                        "completed": snap[f"{p}_completed"],
                    }
                    for kind, p in ((tj.MUST_DO, "md"), (tj.SHOULD_DO, "sd"))
                }
        else:
            groups = counted.get(period.pk, {})
            for isg_id in [*[i.pk for i in isgs], None]:
                mine = [
                    (g_kind, v)
                    for (g_isg, g_kind), v in groups.items()
                    if isg_id is None or g_isg == isg_id
                ]
                per[isg_id] = {
                    kind: {
                        "planned": sum(v["planned"] for k, v in mine if k == kind),
                        "planned_current": sum(v["planned_current"] for k, v in mine if k == kind),
                        "completed": sum(v.get(completed, 0) for k, v in mine if k == kind),
                    }
                    for kind in tj.FINDING_TYPES
                }
                per[isg_id]["in_plan"] = sum(v["total"] - v["withdrawn"] for _k, v in mine)
        figures[period.pk] = per
    return figures


def _both(fig: dict, measure: str) -> int:
    return fig[tj.MUST_DO][measure] + fig[tj.SHOULD_DO][measure]


def _forecasts(rows, isgs, periods, as_of, figures, history) -> None:
    """Each ISG's forecast from its own last six periods (sprints, or months for a monthly
    ISG), Must Do and Should Do together."""
    months = [p for p in periods if p.cadence == ReportingPeriod.Cadence.MONTHLY]
    next_month = next((m for m in months if m.starts_on > as_of), None)
    last_month = months[-1] if months else None
    month_counts = figures
    for row, isg in zip(rows, isgs, strict=True):
        cumulative = [_both(figures[p.pk][isg.pk], "completed") for p in history[isg.cadence]]
        completions = [b - a for a, b in zip(cumulative, cumulative[1:], strict=False)]
        if 0 < len(cumulative) < 7:
            completions = [cumulative[0], *completions]  # the programme's first periods
        snap = row.snapshot
        planned_now = snap.md_planned + snap.sd_planned
        planned_next = (
            _both(month_counts[next_month.pk][isg.pk], "planned") if next_month else planned_now
        )
        last = month_counts[last_month.pk][isg.pk] if last_month else {}
        plan_total = last.get("in_plan", _both(last, "planned") if last else 0)
        length = (
            (history[isg.cadence][-1].ends_on - history[isg.cadence][-1].starts_on).days + 1
            if history[isg.cadence]
            else 14
        )
        row.forecast = forecast(
            name=isg.name,
            as_of=as_of,
            completions=completions,
            completed=snap.md_completed + snap.sd_completed,
            planned=planned_now,
            plan_total=plan_total,
            planned_by_next_month_end=planned_next,
            period_days=length,
        )
        row.forecast_unit = "sprint" if isg.cadence == "fortnightly" else "month"


def _label(month: ReportingPeriod) -> str:
    return f"{month.starts_on:%b %Y}"


def _charts(programme, months, isgs, as_of, month_counts, by_isg) -> list[Chart]:
    shown = list(months)
    x = [_label(m) for m in shown]

    def completed_at(month):
        if month.starts_on > as_of:
            return None
        if month.starts_on <= as_of <= month.ends_on:
            snap = by_isg[None]
            return snap.md_completed + snap.sd_completed
        return _both(month_counts[month.pk][None], "completed")

    baseline = [_both(month_counts[m.pk][None], "planned") for m in shown]
    current = [_both(month_counts[m.pk][None], "planned_current") for m in shown]
    same = (
        " The current plan matches the baseline, so their lines lie on top of each other."
        if baseline == current
        else ""
    )
    trajectory = Chart(
        title="Programme trajectory: root causes planned and completed, cumulative, by month",
        description=(
            "Lines for the baseline plan, the current plan after approved changes, and root "
            f"causes actually completed, at the end of each month up to {as_of:%d %B %Y}. "
            f"Must Do and Should Do together.{same}"
        ),
        x_labels=x,
        series=[
            Series(
                "Baseline plan",
                baseline,
                [_url(programme, planned_by=m.ends_on) for m in shown],
            ),
            Series(
                "Current plan",
                current,
                [_url(programme, planned_current_by=m.ends_on) for m in shown],
            ),
            Series(
                "Completed",
                [completed_at(m) for m in shown],
                [_url(programme, completed_by=min(m.ends_on, as_of)) for m in shown],
            ),
        ],
        kind="line",
        y_label="Root causes",
        slug="trajectory",
    )
    recent = [m for m in months if m.starts_on <= as_of][-CHART_MONTHS:]
    charts = [trajectory]
    for kind, words, slug in (
        (tj.MUST_DO, "Must Do", "must-do-by-month"),
        (tj.SHOULD_DO, "Should Do", "should-do-by-month"),
    ):
        series = []
        position = {month.pk: i for i, month in enumerate(months)}
        for isg in isgs:
            values, links = [], []
            for month in recent:
                index = position[month.pk]
                before = (
                    month_counts[months[index - 1].pk][isg.pk][kind]["completed"] if index else 0
                )
                if month.starts_on <= as_of <= month.ends_on:
                    snap = by_isg[isg.pk]
                    now = snap.md_completed if kind == tj.MUST_DO else snap.sd_completed
                else:
                    now = month_counts[month.pk][isg.pk][kind]["completed"]
                values.append(now - before)
                links.append(
                    _url(
                        programme,
                        isg=isg.pk,
                        type=kind,
                        completed_after=month.starts_on - dt.timedelta(days=1),
                        completed_by=min(month.ends_on, as_of),
                    )
                )
            series.append(Series(isg.name, values, links))
        charts.append(
            Chart(
                title=f"{words} root causes completed, by month and {programme.group_label_short}",
                description=(
                    f"Bars for each {programme.group_label_short}: {words} root causes whose "
                    f"closure was confirmed in each month, {len(recent)} "
                    f"month{'' if len(recent) == 1 else 's'} to {as_of:%d %B %Y}."
                ),
                x_labels=[_label(m) for m in recent],
                series=series,
                kind="bar",
                y_label="Completed in the month",
                slug=slug,
            )
        )
    return charts


def selectors_percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}%"


def board_charts(programme: Programme, period: ReportingPeriod, today: dt.date) -> list[Chart]:
    """The dashboard's charts for a period (trajectory; Must Do and Should Do completions by
    month and ISG), for the board paper to render as PNG with qip.charts.png.render."""
    isgs = list(programme.isgs.order_by("order", "name"))
    periods = list(programme.periods.order_by("starts_on"))
    return build(programme, period, periods, isgs, today).charts
