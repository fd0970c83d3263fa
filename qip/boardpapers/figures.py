"""Every figure a board paper prints, read once for the paper's month.

Trajectory figures come from the month's snapshots when the month has been rolled up (frozen
once a paper is issued), otherwise from the roll-up's own live computation, and say which
(`source`, `source_words`): the same rule as the executive dashboard, whose build() this
reuses for the per-ISG rows, forecasts and the completion charts. Nothing here is typed by a
person.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Subquery

from engagement import selectors as engagement_selectors
from engagement.selectors import EngagementSummary, PublishedStory
from findings.models import Finding
from governance.models import KloeReport
from kpis.models import KPI, Measurement, Rebase
from kpis.selectors import KpiAnalysis, analyse_kpi
from rootcauses.models import RootCause, Update

from ..charts import Chart
from ..models import (
    CrossCuttingTheme,
    ImprovementSteeringGroup,
    Inspection,
    Programme,
    ReportingPeriod,
    Snapshot,
)
from ..reporting import dashboard, rollup
from ..reporting import trajectory as tj
from ..reporting.forecast import Forecast

MD, SD = tj.MUST_DO, tj.SHOULD_DO
STORIES_SHOWN = 3
KPI_CHARTS_SHOWN = 6


@dataclass
class IsgFigures:
    isg: ImprovementSteeringGroup
    snapshot: Snapshot
    forecast: Forecast | None
    findings: dict[str, int]  # {MD: n, SD: n}
    root_causes: dict[str, int]  # identified when the findings were unpacked (all of them)
    services: list[str]
    notices: list[str]  # names of the enforcement notices behind some of its findings


@dataclass
class KpiFigures:
    high_level: int
    concern: list[KpiAnalysis]
    failing: list[KpiAnalysis]

    @property
    def flagged(self) -> list[KpiAnalysis]:
        """Special-cause concern first, then consistently failing, each KPI once."""
        seen, rows = set(), []
        for row in [*self.concern, *self.failing]:
            if row.kpi.pk not in seen:
                seen.add(row.kpi.pk)
                rows.append(row)
        return rows

    @property
    def charted(self) -> list[KpiAnalysis]:
        return [row for row in self.flagged if row.analysis is not None][:KPI_CHARTS_SHOWN]


@dataclass
class ThemeRow:
    theme: CrossCuttingTheme
    total: int
    completed: int
    open: int
    overdue: int


@dataclass
class InspectionFigures:
    inspection: Inspection
    overall: str | None
    worst: str | None
    worst_domains: list[str]
    md_findings: int
    sd_findings: int
    notices: list[str]


@dataclass
class PaperFigures:
    programme: Programme
    period: ReportingPeriod
    as_of: dt.date
    source: str  # "snapshot", "live" (the month is still running) or "ended" (not rolled up)
    source_words: str
    total: Snapshot
    isgs: list[IsgFigures]
    charts: list[Chart]
    must_do_on_track: int
    previous: ReportingPeriod | None = None
    previous_total: Snapshot | None = None
    before_previous: ReportingPeriod | None = None
    before_previous_total: Snapshot | None = None
    inspection: InspectionFigures | None = None
    kloe_reports: list[KloeReport] = field(default_factory=list)
    kpis: KpiFigures | None = None
    themes: list[ThemeRow] = field(default_factory=list)
    engagement: EngagementSummary | None = None
    stories: tuple[PublishedStory, ...] = ()
    first_month: ReportingPeriod | None = None

    @property
    def is_final(self) -> bool:
        """From the roll-up's snapshot (frozen once a paper is issued), not computed live."""
        return self.source == "snapshot"

    @property
    def kloe_isgs(self) -> list[IsgFigures]:
        return [row for row in self.isgs if row.isg.structured_by_kloe]

    @property
    def sprint_isgs(self) -> list[IsgFigures]:
        return [row for row in self.isgs if not row.isg.structured_by_kloe]


def combined_percent(snapshot: Snapshot | None) -> Decimal | None:
    """Must Do and Should Do together: the seed's "% of the forecast completion trajectory"."""
    if snapshot is None:
        return None
    return tj.percent_of_trajectory(
        snapshot.md_completed + snapshot.sd_completed, snapshot.md_planned + snapshot.sd_planned
    )


def months_of(periods: list[ReportingPeriod]) -> list[ReportingPeriod]:
    return [p for p in periods if p.cadence == ReportingPeriod.Cadence.MONTHLY]


def _month_totals(programme, months: list[ReportingPeriod], isgs, periods) -> dict:
    """The programme row at the end of each of these ended months: the snapshot, or computed
    as the roll-up would (one query for the snapshots, one computation for the rest)."""
    saved = {
        s.period_id: s
        for s in Snapshot.objects.filter(period__in=months, isg__isnull=True).select_related(
            "period"
        )
    }
    missing = [m for m in months if m.pk not in saved]
    if missing:
        computed = rollup.compute(
            programme,
            [rollup.Target(m, m.ends_on) for m in missing],
            isgs=isgs,
            periods=periods,
            in_period=False,
        )
        for snap in computed:
            if snap.isg_id is None:
                saved[snap.period_id] = snap
    return saved


def must_do_on_track(programme: Programme, as_of: dt.date) -> int:
    """Open Must Do root causes whose latest update up to `as_of` says on track (one query).

    The roll-up's RAG rule (the latest update whose period started by the day), for Must Do
    only, as the seed counts it ("137 Must Do Root Causes are marked as on track")."""
    latest = Subquery(
        Update.objects.filter(root_cause=OuterRef("pk"), period__starts_on__lte=as_of)
        .order_by("-period__starts_on")
        .values("rag")[:1]
    )
    return (
        RootCause.objects.filter(tj.open_at(as_of), programme=programme, finding__finding_type=MD)
        .annotate(latest_rag=latest)
        .filter(latest_rag="on_track")
        .count()
    )


def _inspection(programme: Programme) -> InspectionFigures | None:
    inspection = (
        programme.inspections.select_related("overall_rating")
        .prefetch_related("ratings__rating", "ratings__key_question")
        .first()
    )
    if inspection is None:
        return None
    domain_ratings = [
        r
        for r in inspection.ratings.all()
        if r.key_question_id and r.core_service_id is None and not r.location and r.rating_id
    ]
    worst_order = max((r.rating.order for r in domain_ratings), default=None)
    worst = [r for r in domain_ratings if r.rating.order == worst_order]
    worst.sort(key=lambda r: r.key_question.order)
    counts = {
        row["finding_type"]: row["n"]
        for row in Finding.objects.filter(programme=programme)
        .order_by()
        .values("finding_type")
        .annotate(n=Count("pk"))
    }
    notices = list(
        Finding.objects.filter(programme=programme, source__code__endswith="NOTICE")
        .order_by("source__order")
        .values_list("source__name", flat=True)
        .distinct()
    )
    return InspectionFigures(
        inspection=inspection,
        overall=inspection.overall_rating.name if inspection.overall_rating else None,
        worst=worst[0].rating.name if worst else None,
        worst_domains=[r.key_question.name for r in worst],
        md_findings=counts.get(MD, 0),
        sd_findings=counts.get(SD, 0),
        notices=notices,
    )


def _kpis(programme: Programme, as_of: dt.date) -> KpiFigures:
    """High-level KPIs as they stood at `as_of`: values after it are not read."""
    kpis = (
        KPI.objects.filter(programme=programme, level=KPI.Level.HIGH_LEVEL)
        .select_related("key_question", "isg", "owner")
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.filter(period_end__lte=as_of).order_by("period_end"),
            ),
            Prefetch("rebases", queryset=Rebase.objects.order_by("starts_on")),
        )
        .order_by("isg__order", "key_question__order", "name")
    )
    rows = [analyse_kpi(kpi) for kpi in kpis]
    return KpiFigures(
        high_level=len(rows),
        concern=[row for row in rows if row.shows_concern],
        failing=[row for row in rows if row.assurance == "consistent_fail"],
    )


def _themes(programme: Programme, as_of: dt.date) -> list[ThemeRow]:
    themes = list(
        CrossCuttingTheme.objects.filter(programme=programme)
        .select_related("reporting_isg", "lead")
        .order_by("name")
    )
    counts = {
        row["theme_id"]: row
        for row in RootCause.objects.filter(tj.in_plan(as_of), theme__in=themes)
        .order_by()
        .values("theme_id")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=tj.completed_by(as_of, programme.trajectory_colour)),
            open=Count("pk", filter=tj.open_at(as_of)),
            overdue=Count("pk", filter=tj.overdue_at(as_of)),
        )
    }
    empty = {"total": 0, "completed": 0, "open": 0, "overdue": 0}
    return [
        ThemeRow(
            theme=theme,
            **{
                k: counts.get(theme.pk, empty)[k] for k in ("total", "completed", "open", "overdue")
            },
        )
        for theme in themes
    ]


def collect(programme: Programme, period: ReportingPeriod, *, today: dt.date) -> PaperFigures:
    """The figures of a paper reporting `period` (a month), as the builder shows them today."""
    isgs = list(
        programme.isgs.order_by("order", "name").prefetch_related(
            Prefetch("core_services", to_attr="service_list")
        )
    )
    periods = list(programme.periods.order_by("starts_on"))
    board = dashboard.build(programme, period, periods, isgs, today)
    as_of = board.as_of

    months = months_of(periods)
    index = next(i for i, m in enumerate(months) if m.pk == period.pk)
    previous = months[index - 1] if index >= 1 else None
    before_previous = months[index - 2] if index >= 2 else None
    totals = _month_totals(
        programme, [m for m in (previous, before_previous) if m is not None], isgs, periods
    )

    findings = {
        (row["isg_id"], row["finding_type"]): row["n"]
        for row in Finding.objects.filter(programme=programme)
        .order_by()
        .values("isg_id", "finding_type")
        .annotate(n=Count("pk"))
    }
    root_causes = {
        (row["isg_id"], row["finding__finding_type"]): row["n"]
        for row in RootCause.objects.filter(programme=programme)
        .order_by()
        .values("isg_id", "finding__finding_type")
        .annotate(n=Count("pk"))
    }
    notices: dict[int, list[str]] = {}
    for isg_id, name in (
        Finding.objects.filter(programme=programme, source__code__endswith="NOTICE")
        .order_by("source__order")
        .values_list("isg_id", "source__name")
        .distinct()
    ):
        notices.setdefault(isg_id, [])
        if name not in notices[isg_id]:
            notices[isg_id].append(name)

    rows = []
    for isg, row in zip(isgs, board.rows, strict=True):
        rows.append(
            IsgFigures(
                isg=isg,
                snapshot=row.snapshot,
                forecast=row.forecast,
                findings={kind: findings.get((isg.pk, kind), 0) for kind in (MD, SD)},
                root_causes={kind: root_causes.get((isg.pk, kind), 0) for kind in (MD, SD)},
                services=[s.name for s in isg.service_list],
                notices=notices.get(isg.pk, []),
            )
        )

    kloe_isgs = [isg for isg in isgs if isg.structured_by_kloe]
    kloe_reports = (
        list(
            KloeReport.objects.filter(isg__in=kloe_isgs, period=period)
            .select_related("assessment_item", "isg")
            .prefetch_related("lines")
            .order_by("isg__order", "assessment_item__order", "assessment_item__code")
        )
        if kloe_isgs
        else []
    )
    stories = engagement_selectors.publishable_stories(
        programme, board_paper=True, published_to=as_of
    )[:STORIES_SHOWN]
    return PaperFigures(
        programme=programme,
        period=period,
        as_of=as_of,
        source=board.source,
        source_words=board.source_words,
        total=board.total.snapshot,
        isgs=rows,
        charts=board.charts,
        must_do_on_track=must_do_on_track(programme, as_of),
        previous=previous,
        previous_total=totals.get(previous.pk) if previous else None,
        before_previous=before_previous,
        before_previous_total=totals.get(before_previous.pk) if before_previous else None,
        inspection=_inspection(programme),
        kloe_reports=kloe_reports,
        kpis=_kpis(programme, as_of),
        themes=_themes(programme, as_of),
        engagement=engagement_selectors.engagement_summary(programme, period.starts_on, as_of),
        stories=stories,
        first_month=months[0] if months else None,
    )
