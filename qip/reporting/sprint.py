"""The sprint page's figures and lists for one ISG and one period (a sprint, or a month).

Figures come from the one counting rule (trajectory.counts_by_isg): cumulative planned
(baseline), planned on the current plan, completed and % of trajectory at the end of the
period, Must Do and Should Do apart. Lists are built in Python from one query of the ISG's
root causes with their period updates, pending closures, escalations and change requests
prefetched, so the page costs the same number of queries however many root causes it shows.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from governance.models import ChangeRequest, Escalation
from rootcauses.brag import brag_of
from rootcauses.models import ClosureRequest, RootCause, Update

from ..models import ImprovementSteeringGroup, PeriodSignoff, ReportingPeriod
from .trajectory import FINDING_TYPES, MUST_DO, Counts, completion_field, counts_by_isg

LABELS = {MUST_DO: "Must Do", "SHOULD_DO": "Should Do"}


@dataclass(frozen=True)
class KindFigures:
    """One finding type's figures at the end of the period."""

    kind: str
    label: str
    cumulative: Counts
    previous: Counts | None
    planned_in_period: int
    completed_in_period: int

    @property
    def percent(self) -> Decimal | None:
        return self.cumulative.percent

    @property
    def previous_percent(self) -> Decimal | None:
        return self.previous.percent if self.previous is not None else None

    @property
    def tile_label(self) -> str:
        return f"{self.label}: % of trajectory"

    @property
    def summary(self) -> str:
        """22 completed of 26 planned"""
        return f"{self.cumulative.completed} completed of {self.cumulative.planned} planned"

    @property
    def behind(self) -> int:
        """How many planned root causes are not yet completed."""
        return max(self.cumulative.planned - self.cumulative.completed, 0)


@dataclass
class SprintReport:
    isg: ImprovementSteeringGroup
    period: ReportingPeriod
    previous: ReportingPeriod | None
    next: ReportingPeriod | None
    periods: list[ReportingPeriod]
    signoff: PeriodSignoff | None
    colour: str
    figures: list[KindFigures]
    planned: list[RootCause] = field(default_factory=list)
    completed: list[RootCause] = field(default_factory=list)
    newly_off_track: list[RootCause] = field(default_factory=list)
    still_off_track: list[RootCause] = field(default_factory=list)
    missing: list[RootCause] = field(default_factory=list)
    closures_waiting: list[ClosureRequest] = field(default_factory=list)
    due_next: list[RootCause] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    pending_changes: list[ChangeRequest] = field(default_factory=list)
    today: dt.date = dt.date.min

    @property
    def is_current(self) -> bool:
        return self.period.starts_on <= self.today <= self.period.ends_on

    @property
    def has_started(self) -> bool:
        return self.period.starts_on <= self.today


def _in_plan(rc: RootCause, day: dt.date) -> bool:
    return rc.withdrawn_on is None or rc.withdrawn_on > day


def _open_at(rc: RootCause, day: dt.date) -> bool:
    return (rc.completed_on is None or rc.completed_on > day) and _in_plan(rc, day)


def _between(value: dt.date | None, period: ReportingPeriod) -> bool:
    return value is not None and period.starts_on <= value <= period.ends_on


def root_causes_for_sprint(isg, period: ReportingPeriod, previous: ReportingPeriod | None):
    """The ISG's root causes with what the sprint page shows of each, in a fixed number of queries."""
    period_ids = [period.pk] + ([previous.pk] if previous is not None else [])
    return (
        RootCause.objects.filter(isg=isg)
        .select_related("finding", "owner", "theme", "isg")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=Update.objects.filter(period_id__in=period_ids),
                to_attr="period_updates",
            ),
            Prefetch(
                "closure_requests",
                queryset=ClosureRequest.objects.filter(
                    decision=ClosureRequest.Decision.PENDING
                ).select_related("requested_by"),
                to_attr="pending_closures",
            ),
            Prefetch(
                "escalations",
                queryset=Escalation.objects.filter(
                    Q(status=Escalation.Status.OPEN) | Q(decided_at__date__gte=period.starts_on)
                ).select_related("rule", "meeting", "decided_by", "raised_by"),
                to_attr="sprint_escalations",
            ),
            Prefetch(
                "change_requests",
                queryset=ChangeRequest.objects.filter(
                    status=ChangeRequest.Status.PROPOSED
                ).select_related("proposed_by", "proposed_owner", "proposed_isg", "merge_into"),
                to_attr="pending_changes",
            ),
        )
        .order_by("finding__finding_type", "baseline_due_date", "reference")
    )


def sprint_report(
    isg: ImprovementSteeringGroup, period: ReportingPeriod, today: dt.date
) -> SprintReport:
    programme = isg.programme
    colour = programme.trajectory_colour
    periods = list(
        ReportingPeriod.objects.filter(programme_id=isg.programme_id, cadence=isg.cadence).order_by(
            "starts_on"
        )
    )
    index = next(i for i, p in enumerate(periods) if p.pk == period.pk)
    previous = periods[index - 1] if index > 0 else None
    following = periods[index + 1] if index + 1 < len(periods) else None

    in_isg = RootCause.objects.filter(isg=isg)
    at_end = counts_by_isg(in_isg, period.ends_on, colour)
    at_previous_end = counts_by_isg(in_isg, previous.ends_on, colour) if previous else None

    done_field = completion_field(colour)
    root_causes = list(root_causes_for_sprint(isg, period, previous))
    report = SprintReport(
        isg=isg,
        period=period,
        previous=previous,
        next=following,
        periods=periods,
        signoff=PeriodSignoff.objects.filter(isg=isg, period=period)
        .select_related("signed_by")
        .first(),
        colour=colour,
        figures=[],
        today=today,
    )
    for rc in root_causes:
        rc.brag = brag_of(rc, today)
        updates = {u.period_id: u for u in rc.period_updates}
        rc.this_update = updates.get(period.pk)
        rc.previous_update = updates.get(previous.pk) if previous else None
        rc.pending_closure = rc.pending_closures[0] if rc.pending_closures else None
        done_on = getattr(rc, done_field)
        end = period.ends_on
        if _between(rc.baseline_due_date, period) and _in_plan(rc, end):
            report.planned.append(rc)
        if _between(done_on, period) and _in_plan(rc, end):
            report.completed.append(rc)
        this_rag = rc.this_update.rag if rc.this_update else None
        previous_rag = rc.previous_update.rag if rc.previous_update else None
        if this_rag == "off_track":
            if previous_rag == "off_track":
                report.still_off_track.append(rc)
            else:
                report.newly_off_track.append(rc)
        if rc.this_update is None and _open_at(rc, min(end, today)) and period.starts_on <= today:
            report.missing.append(rc)
        if rc.pending_closure is not None:
            report.closures_waiting.append(rc.pending_closure)
            rc.pending_closure.root_cause = rc
        if (
            following is not None
            and _between(rc.current_due_date, following)
            and rc.completed_on is None
            and rc.withdrawn_on is None
        ):
            report.due_next.append(rc)
        for escalation in rc.sprint_escalations:
            escalation.root_cause = rc
            report.escalations.append(escalation)
        for change in rc.pending_changes:
            change.root_cause = rc
            report.pending_changes.append(change)

    counted = {MUST_DO: {"planned": 0, "completed": 0}, "SHOULD_DO": {"planned": 0, "completed": 0}}
    for rc in report.planned:
        counted[rc.finding.finding_type]["planned"] += 1
    for rc in report.completed:
        counted[rc.finding.finding_type]["completed"] += 1
    for kind in FINDING_TYPES:
        report.figures.append(
            KindFigures(
                kind=kind,
                label=LABELS[kind],
                cumulative=at_end.get((isg.pk, kind), Counts()),
                previous=at_previous_end.get((isg.pk, kind), Counts())
                if at_previous_end is not None
                else None,
                planned_in_period=counted[kind]["planned"],
                completed_in_period=counted[kind]["completed"],
            )
        )
    report.closures_waiting.sort(key=lambda c: c.requested_at)
    report.escalations.sort(key=lambda e: (e.meeting.meets_on, e.raised_at))
    report.pending_changes.sort(key=lambda c: c.proposed_at)
    return report
