"""Reads for the owner's pages and the reminders, with their joins in one place.

"This period" for a root cause is the reporting period of its ISG's cadence (sprint or
month) that holds today. rootcauses sits below qip, so periods are reached by model label
(apps.get_model), never by importing qip.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from .brag import Brag, brag_of
from .models import Action, ClosureRequest, EvidenceFile, RootCause, Update, Verification


def _periods():
    return apps.get_model("qip", "ReportingPeriod").objects


def current_period(root_cause: RootCause, day: dt.date):
    """The sprint (or month) of the root cause's ISG that holds `day`, or None."""
    return (
        _periods()
        .filter(programme_id=root_cause.programme_id, cadence=root_cause.isg.cadence)
        .containing(day)
        .first()
    )


def current_periods(pairs: Iterable[tuple[int, str]], day: dt.date) -> dict[tuple[int, str], Any]:
    """{(programme id, cadence): period holding `day`} for several pairs, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    query = Q()
    for programme_id, cadence in pairs:
        query |= Q(programme_id=programme_id, cadence=cadence)
    return {
        (period.programme_id, period.cadence): period
        for period in _periods().filter(query).containing(day)
    }


def period_is_signed_off(root_cause: RootCause, period) -> bool:
    return period.locked_at is not None or period.signoffs.filter(isg_id=root_cause.isg_id).exists()


def _update_in_period_holding(day: dt.date) -> QuerySet:
    """Updates of the outer root cause in its ISG's period that holds `day`."""
    return Update.objects.filter(
        root_cause_id=OuterRef("pk"),
        period__cadence=OuterRef("isg__cadence"),
        period__starts_on__lte=day,
        period__ends_on__gte=day,
    )


def owned_by(user: Any, day: dt.date) -> QuerySet:
    """The root causes this person owns, with what the "My root causes" page shows of each."""
    return (
        RootCause.objects.filter(owner=user)
        .select_related("finding", "isg", "programme")
        .annotate(
            has_current_update=Exists(_update_in_period_holding(day)),
            evidence_to_review=Count(
                "evidence_files", filter=Q(evidence_files__review_by__lt=day), distinct=True
            ),
        )
    )


@dataclass
class DueGroup:
    """Updates still to post for periods ending on one day ("3 updates due by Sunday 28 April")."""

    ends_on: dt.date
    period_label: str
    count: int

    @property
    def label(self) -> str:
        """ "updates due by Sunday 28 April" (the tile shows the count above it)."""
        noun = "update" if self.count == 1 else "updates"
        return f"{noun} due by {self.ends_on:%A} {self.ends_on.day} {self.ends_on:%B}"

    @property
    def sentence(self) -> str:
        return f"{self.count} {self.label}"


@dataclass
class OwnerSummary:
    due: list[DueGroup] = field(default_factory=list)
    overdue: int = 0
    waiting_for_chair: int = 0
    evidence_to_review: int = 0
    open: int = 0


def needs_update(root_cause: RootCause) -> bool:
    return not root_cause.is_closed


def decorate(
    rows: list[RootCause], day: dt.date, periods: dict | None = None
) -> tuple[list[RootCause], dict]:
    """Attach BRAG, this period and flags to each row (no queries but one for the periods)."""
    if periods is None:
        periods = current_periods({(rc.programme_id, rc.isg.cadence) for rc in rows}, day)
    for rc in rows:
        rc.brag = brag_of(rc, day)
        rc.period = periods.get((rc.programme_id, rc.isg.cadence))
        rc.update_due = needs_update(rc) and rc.period is not None and not rc.has_current_update
        rc.is_overdue = not rc.is_closed and rc.current_due_date < day
        rc.waiting_for_chair = rc.status == RootCause.Status.CLOSURE_REQUESTED
        rc.due_date_moved = rc.current_due_date != rc.baseline_due_date
    return rows, periods


def summarise(rows: list[RootCause]) -> OwnerSummary:
    """The counts at the top of "My root causes", from decorated rows."""
    summary = OwnerSummary()
    due: dict[dt.date, DueGroup] = {}
    for rc in rows:
        if not rc.is_closed:
            summary.open += 1
        if rc.update_due:
            group = due.setdefault(
                rc.period.ends_on, DueGroup(rc.period.ends_on, rc.period.label, 0)
            )
            group.count += 1
        summary.overdue += rc.is_overdue
        summary.waiting_for_chair += rc.waiting_for_chair
        summary.evidence_to_review += rc.evidence_to_review
    summary.due = sorted(due.values(), key=lambda group: group.ends_on)
    return summary


@dataclass
class RootCausePage:
    """Everything the root cause page shows, loaded in a fixed number of queries."""

    root_cause: RootCause
    brag: Brag
    period: Any
    period_signed_off: bool
    current_update: Update | None
    actions: list[Action]
    updates: list[Update]
    evidence_files: list[EvidenceFile]
    closure_requests: list[ClosureRequest]
    pending_closure: ClosureRequest | None
    verifications: list[Verification]
    finding: Any


def root_cause_page(root_cause: RootCause, day: dt.date) -> RootCausePage:
    evidence = EvidenceFile.objects.select_related("uploaded_by").order_by(
        "-effective_from", "-uploaded_at"
    )
    updates = list(
        root_cause.updates.select_related("period", "author")
        .prefetch_related(Prefetch("evidence_files", queryset=evidence))
        .order_by("-period__starts_on")
    )
    closure_requests = list(
        root_cause.closure_requests.select_related("requested_by", "decided_by")
        .prefetch_related(Prefetch("evidence_files", queryset=evidence))
        .order_by("-requested_at")
    )
    evidence_files = list(
        root_cause.evidence_files.select_related(
            "uploaded_by", "update__period", "closure_request"
        ).order_by("-effective_from", "-uploaded_at")
    )
    for evidence_file in evidence_files:
        evidence_file.review_overdue = (
            evidence_file.review_by is not None and evidence_file.review_by < day
        )
    period = current_period(root_cause, day)
    signed_off = period is not None and period_is_signed_off(root_cause, period)
    current_update = next((u for u in updates if period and u.period_id == period.pk), None)
    return RootCausePage(
        root_cause=root_cause,
        brag=brag_of(root_cause, day),
        period=period,
        period_signed_off=signed_off,
        current_update=current_update,
        actions=list(root_cause.actions.select_related("owner")),
        updates=updates,
        evidence_files=evidence_files,
        closure_requests=closure_requests,
        pending_closure=next(
            (c for c in closure_requests if c.decision == ClosureRequest.Decision.PENDING), None
        ),
        verifications=list(root_cause.verifications.select_related("recorded_by")),
        finding=type(root_cause.finding)
        .objects.select_related("core_service", "regulation", "source")
        .prefetch_related("key_questions")
        .get(pk=root_cause.finding_id),
    )


def missing_updates(*, period, isg_ids: Iterable[int] | None = None) -> QuerySet:
    """Root causes that should have an update for `period` and have none.

    Those open at the end of the period, in ISGs of the period's programme and cadence.
    """
    queryset = (
        RootCause.objects.filter(programme_id=period.programme_id, isg__cadence=period.cadence)
        .exclude(completed_on__lte=period.ends_on)
        .exclude(withdrawn_on__lte=period.ends_on)
        .exclude(Exists(Update.objects.filter(root_cause_id=OuterRef("pk"), period=period)))
        .select_related("isg", "owner", "finding")
        .order_by("isg__order", "reference")
    )
    if isg_ids is not None:
        queryset = queryset.filter(isg_id__in=list(isg_ids))
    return queryset


def evidence_past_review(day: dt.date) -> QuerySet:
    """Evidence whose review date has passed, of root causes that were not withdrawn."""
    return (
        EvidenceFile.objects.filter(review_by__lt=day, root_cause__withdrawn_on__isnull=True)
        .select_related("root_cause__owner")
        .order_by("root_cause__owner_id", "review_by", "pk")
    )


def group_by_owner(root_causes: Iterable[RootCause]) -> dict[Any, list[RootCause]]:
    grouped: dict[Any, list[RootCause]] = defaultdict(list)
    for rc in root_causes:
        grouped[rc.owner].append(rc)
    return grouped
