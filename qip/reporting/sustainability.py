"""The sustainability watch list: closed root causes whose KPI has not improved since closure,
or shows special-cause concern (seeds/004: sustaining an improvement matters as much as
closing the action).

For each root cause closed (closure confirmed) with a KPI, the KPI's values after the closure
day are judged against the process before it (kpis.spc.judge_change):

* on the list: special-cause concern since closure, or no improvement shown after at least
  kpis.spc.MIN_POINTS_AFTER_CHANGE (7) values since closure. Seven because the run and trend
  rules need seven points: before that a steady improvement cannot show yet, and calling it a
  failure would be unfair. A concern shows at once;
* waiting: fewer than 7 values since closure and no signal yet ("not enough data yet"), or
  fewer than kpis.spc.MIN_POINTS_BEFORE_CHANGE (6) values before closure to compare with;
* improved: special-cause improvement since closure (left off the list).

Costs four queries for any number of root causes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from kpis import spc
from kpis.models import Measurement, Rebase
from kpis.selectors import KpiAnalysis, analyse_kpi
from rootcauses.models import RootCause


@dataclass
class WatchItem:
    root_cause: RootCause
    analysis: KpiAnalysis

    @property
    def judgement(self) -> spc.ChangeJudgement | None:
        return self.analysis.judgement

    @property
    def verdict(self) -> str:
        return self.judgement.verdict if self.judgement else "no_values"

    @property
    def verdict_label(self) -> str:
        if self.judgement is None:
            return "No KPI values recorded"
        return self.judgement.verdict_label


@dataclass
class WatchList:
    watch: list[WatchItem]  # not improved, or concern
    waiting: list[WatchItem]  # not enough data yet
    improved: list[WatchItem]
    other: list[WatchItem]  # no values, neutral KPIs

    @property
    def closed(self) -> int:
        return len(self.watch) + len(self.waiting) + len(self.improved) + len(self.other)


def closed_root_causes(programme_id: int, isg_id: int | None = None):
    queryset = (
        RootCause.objects.in_programme(programme_id)
        .filter(completed_on__isnull=False, kpi__isnull=False)
        .select_related("isg", "owner", "finding", "kpi", "kpi__key_question")
        .prefetch_related(
            Prefetch("kpi__measurements", queryset=Measurement.objects.order_by("period_end")),
            Prefetch("kpi__rebases", queryset=Rebase.objects.order_by("starts_on")),
        )
        .order_by("isg__order", "completed_on", "reference")
    )
    if isg_id is not None:
        queryset = queryset.filter(isg_id=isg_id)
    return queryset


def judge(root_cause: RootCause) -> WatchItem:
    return WatchItem(root_cause, analyse_kpi(root_cause.kpi, closure_date=root_cause.completed_on))


def watch_list(programme_id: int, *, isg_id: int | None = None) -> WatchList:
    result = WatchList([], [], [], [])
    for root_cause in closed_root_causes(programme_id, isg_id):
        item = judge(root_cause)
        verdict = item.verdict
        if verdict in (spc.CONCERN, spc.NOT_IMPROVED):
            result.watch.append(item)
        elif verdict in (spc.TOO_EARLY, spc.TOO_LITTLE_BEFORE):
            result.waiting.append(item)
        elif verdict == spc.IMPROVED:
            result.improved.append(item)
        else:
            result.other.append(item)
    # Concerns first, then the longest closed.
    result.watch.sort(key=lambda i: (i.verdict != spc.CONCERN, i.root_cause.completed_on))
    return result
