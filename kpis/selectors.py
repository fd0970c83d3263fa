"""Reads of KPIs: their series, SPC analysis and the Making Data Count summary.

Load KPIs with `KPI.objects.with_series()` (three queries for any number of KPIs); everything
here then works on the prefetched measurements and rebases without further queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, QuerySet

from . import spc
from .models import KPI, Measurement

VARIATION_LABELS = {
    "common_cause": "Common cause",
    "improvement_high": "Special cause improvement (high)",
    "improvement_low": "Special cause improvement (low)",
    "concern_high": "Special cause concern (high)",
    "concern_low": "Special cause concern (low)",
    "neutral_high": "Special cause, neither better nor worse (high)",
    "neutral_low": "Special cause, neither better nor worse (low)",
}
ASSURANCE_LABELS = {
    "consistent_pass": "Consistently passing the target",
    "consistent_fail": "Consistently failing the target",
    "inconsistent": "Hit and miss: will sometimes pass and sometimes fail",
    None: "No target",
}
# Groups a board asks about ("which KPIs are special cause concern?")
VARIATION_GROUPS = {
    "concern": ("concern_high", "concern_low"),
    "improvement": ("improvement_high", "improvement_low"),
    "neutral": ("neutral_high", "neutral_low"),
    "common_cause": ("common_cause",),
}


@dataclass
class KpiAnalysis:
    """A KPI with its values and what SPC says about them (nothing when it has no values)."""

    kpi: KPI
    measurements: list[Measurement]
    analysis: spc.Analysis | None
    closure_date: dt.date | None = None
    closure_index: int | None = None
    judgement: spc.ChangeJudgement | None = None
    rebase_indices: list[int] = field(default_factory=list)

    @property
    def dates(self) -> list[dt.date]:
        return [m.period_end for m in self.measurements]

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def variation(self) -> str | None:
        return self.analysis.variation if self.analysis else None

    @property
    def assurance(self) -> str | None:
        return self.analysis.assurance if self.analysis else None

    @property
    def variation_label(self) -> str:
        return VARIATION_LABELS.get(self.variation, "No values yet")

    @property
    def assurance_label(self) -> str:
        if self.analysis is None:
            return "No values yet"
        return ASSURANCE_LABELS[self.assurance]

    @property
    def shows_concern(self) -> bool:
        return self.variation in VARIATION_GROUPS["concern"]

    @cached_property
    def rows(self) -> list[tuple[Measurement, spc.Point]]:
        """Each measurement beside its SPC point, newest first (for tables)."""
        if self.analysis is None:
            return []
        return list(zip(self.measurements, self.analysis.points, strict=True))[::-1]


def _series(kpi: KPI) -> tuple[list[Measurement], list[float], list[int]]:
    measurements = list(kpi.measurements.all())
    measurements.sort(key=lambda m: m.period_end)
    values = [float(m.value) for m in measurements]
    starts = []
    for rebase in kpi.rebases.all():
        index = next(
            (i for i, m in enumerate(measurements) if m.period_end >= rebase.starts_on), None
        )
        if index is not None:
            starts.append(index)
    return measurements, values, sorted(set(starts))


def _target(kpi: KPI) -> float | None:
    return None if kpi.target is None else float(kpi.target)


def analyse_kpi(kpi: KPI, *, closure_date: dt.date | None = None) -> KpiAnalysis:
    """The KPI's SPC analysis; with `closure_date`, whether the values since closure improved.

    "Since closure" starts with the first value whose period ends after the closure day.
    """
    measurements, values, starts = _series(kpi)
    if not values:
        return KpiAnalysis(kpi=kpi, measurements=[], analysis=None, closure_date=closure_date)
    if closure_date is not None:
        # Judged against the process before closure: its mean and limits are carried past the
        # closure, so the chart shows what the verdict says. The chart starts at the last
        # process change (rebase) before the closure.
        closure_index = next(
            (i for i, m in enumerate(measurements) if m.period_end > closure_date), len(values)
        )
        start = max([0, *[s for s in starts if s < closure_index]])
        judgement = spc.judge_change(
            values[start:],
            closure_index - start,
            improvement=kpi.improvement,
            target=_target(kpi),
        )
        return KpiAnalysis(
            kpi=kpi,
            measurements=measurements[start:],
            analysis=judgement.against_before,
            closure_date=closure_date,
            closure_index=closure_index - start,
            judgement=judgement,
        )
    baseline = kpi.baseline_points
    analysis = spc.analyse(
        values,
        improvement=kpi.improvement,
        target=_target(kpi),
        fix_after_n_points=baseline if baseline and baseline >= spc.MIN_FIXED_BASELINE else None,
        rebase_at=starts,
    )
    return KpiAnalysis(kpi=kpi, measurements=measurements, analysis=analysis, rebase_indices=starts)


def summary_rows(kpis: Iterable[KPI]) -> list[KpiAnalysis]:
    """One analysed row per KPI. Load the KPIs with `.with_series()` first."""
    return [analyse_kpi(kpi) for kpi in kpis]


def filter_rows(
    rows: list[KpiAnalysis], *, variation: str = "", assurance: str = ""
) -> list[KpiAnalysis]:
    """Keep rows whose icons match: variation is a group (concern, improvement, …), assurance
    an icon or "none" for KPIs without one."""
    if variation:
        wanted = VARIATION_GROUPS.get(variation, (variation,))
        rows = [row for row in rows if row.variation in wanted]
    if assurance:
        rows = [
            row
            for row in rows
            if (row.assurance == assurance)
            or (assurance == "none" and row.analysis and row.assurance is None)
        ]
    return rows


def kpi_shows_special_cause_concern(kpi: KPI) -> bool:
    """The KPI's latest value is special-cause concern (the icon boards escalate on).

    Costs two queries unless the KPI was loaded with `.with_series()`.
    """
    return analyse_kpi(kpi).shows_concern


def kpis_in_special_cause_concern(kpis: QuerySet[KPI]) -> list[KPI]:
    """The KPIs among `kpis` whose latest value is special-cause concern (three queries)."""
    return [row.kpi for row in summary_rows(kpis.with_series()) if row.shows_concern]


class LockIndex:
    """Which days' values are read-only, for many KPIs at once (two queries)."""

    def __init__(self, kpis: Iterable[KPI]):
        from django.apps import apps

        kpis = list(kpis)
        isg_ids = {kpi.isg_id for kpi in kpis if kpi.isg_id}
        programme_ids = {kpi.programme_id for kpi in kpis}
        signoff = apps.get_model("qip", "PeriodSignoff")
        period = apps.get_model("qip", "ReportingPeriod")
        self._signed: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for isg_id, starts, ends in signoff.objects.filter(isg_id__in=isg_ids).values_list(
            "isg_id", "period__starts_on", "period__ends_on"
        ):
            self._signed[isg_id].append((starts, ends))
        self._locked: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for programme_id, starts, ends in period.objects.filter(
            Q(programme_id__in=programme_ids) & Q(locked_at__isnull=False)
        ).values_list("programme_id", "starts_on", "ends_on"):
            self._locked[programme_id].append((starts, ends))

    def is_locked(self, kpi: KPI, day: dt.date) -> bool:
        spans = self._signed.get(kpi.isg_id, []) + self._locked.get(kpi.programme_id, [])
        return any(starts <= day <= ends for starts, ends in spans)


def measurement_history(kpi: KPI) -> list:
    """Every saved version of the KPI's values, newest first, with who saved it (one query)."""
    return list(
        Measurement.history.filter(kpi_id=kpi.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
