"""Escalation to the Executive Continuous Improvement Board (ECIB): meetings, rules, raising
and deciding. Writes go through here; the rules themselves are pure functions in triggers.py.

`escalations_evaluate` runs every morning (governance.tasks, qip/celery.py) and whenever the
PMO asks. It is idempotent: a root cause already on the agenda for a reason is not put on it
again for that reason, and after the ECIB has decided, only new evidence (periods, requests
or KPI values after that escalation) can raise it again.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.clock import today
from kpis.models import KPI, Measurement
from kpis.selectors import kpis_in_special_cause_concern
from rootcauses.models import RootCause, Update

from . import triggers
from .models import ChangeRequest, EcibMeeting, Escalation, EscalationRule, Trigger

THURSDAY = 3  # the ECIB meets weekly; the first meeting defaults to a Thursday
DEFAULT_THRESHOLDS = {  # in the order the settings page lists them
    Trigger.OFF_TRACK: 2,
    Trigger.MISSING_UPDATES: 2,
    Trigger.DUE_DATE_CHANGES: 2,
    Trigger.KPI_CONCERN: 1,
}
MAX_THRESHOLD = 12


def _save(instance, by, **fields) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._history_user = by
    instance.save()


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


# --- Meetings ---------------------------------------------------------------------------


def ecib_meeting_for(*, programme, on: dt.date) -> EcibMeeting:
    """The first ECIB meeting on or after `on`; if none is planned, the next weekly one is added."""
    meeting = programme.ecib_meetings.filter(meets_on__gte=on).order_by("meets_on").first()
    if meeting is not None:
        return meeting
    last = programme.ecib_meetings.order_by("-meets_on").first()
    if last is not None:
        weeks = -(-(on - last.meets_on).days // 7)  # ceiling
        meets_on = last.meets_on + dt.timedelta(weeks=max(weeks, 1))
    else:
        meets_on = on + dt.timedelta(days=(THURSDAY - on.weekday()) % 7)
    meeting, _ = EcibMeeting.objects.get_or_create(programme=programme, meets_on=meets_on)
    return meeting


@transaction.atomic
def ecib_meeting_add(*, by: Any, programme, meets_on: dt.date, note: str = "") -> EcibMeeting:
    """The PMO plans an ECIB meeting (for example when the usual day moves for a bank holiday)."""
    if meets_on is None:
        raise ValidationError({"meets_on": "Enter the date of the meeting."})
    if programme.ecib_meetings.filter(meets_on=meets_on).exists():
        raise ValidationError(
            {"meets_on": f"There is already an ECIB meeting on {_day(meets_on)}."}
        )
    meeting = EcibMeeting(programme=programme, meets_on=meets_on, note=(note or "").strip())
    meeting._history_user = by
    meeting.save()
    return meeting


# --- Rules ------------------------------------------------------------------------------


@transaction.atomic
def escalation_rules_ensure(*, programme, by: Any = None) -> dict[str, EscalationRule]:
    """The programme's four rules, created with their defaults the first time."""
    rules = {rule.kind: rule for rule in programme.escalation_rules.all()}
    for kind, threshold in DEFAULT_THRESHOLDS.items():
        if kind not in rules:
            rule = EscalationRule(programme=programme, kind=kind, threshold=threshold)
            rule._history_user = by
            rule.save()
            rules[kind] = rule
    return rules


@transaction.atomic
def escalation_rule_update(
    *, by: Any, rule: EscalationRule, threshold: int, active: bool
) -> EscalationRule:
    """The PMO adjusts a rule: how many times before it fires, and whether it is on."""
    if threshold is None or not 1 <= int(threshold) <= MAX_THRESHOLD:
        raise ValidationError({"threshold": f"Enter a number from 1 to {MAX_THRESHOLD}."})
    rule = EscalationRule.objects.select_for_update().get(pk=rule.pk)
    _save(rule, by, threshold=int(threshold), active=bool(active))
    return rule


# --- Raising and deciding -----------------------------------------------------------------


def _period_for(programme_id: int, cadence: str, day: dt.date):
    """The ISG's period holding `day`, or the latest one started before it."""
    from qip.models import ReportingPeriod

    return (
        ReportingPeriod.objects.filter(
            programme_id=programme_id, cadence=cadence, starts_on__lte=day
        )
        .order_by("-starts_on")
        .first()
    )


@transaction.atomic
def escalation_raise(
    *, by: Any, root_cause: RootCause, reason: str, at: dt.datetime | None = None
) -> Escalation:
    """An ISG chair (or the PMO) puts a root cause on the next ECIB agenda, saying why."""
    root_cause = (
        RootCause.objects.select_for_update(of=("self",))
        .select_related("isg", "programme")
        .get(pk=root_cause.pk)
    )
    if root_cause.withdrawn_on is not None:
        raise ValidationError("This root cause was withdrawn by change control.")
    if root_cause.completed_on is not None:
        raise ValidationError("This root cause is complete: there is nothing to escalate.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say why the ECIB needs to look at it, and what you need from them."}
        )
    existing = (
        Escalation.objects.filter(
            root_cause=root_cause, trigger=Trigger.MANUAL, status=Escalation.Status.OPEN
        )
        .select_related("meeting")
        .first()
    )
    if existing is not None:
        raise ValidationError(f"It is already on the agenda of the {existing.meeting}.")
    day = today()
    period = _period_for(root_cause.programme_id, root_cause.isg.cadence, day)
    if period is None:
        raise ValidationError("The programme's calendar has not started yet.")
    escalation = Escalation(
        programme=root_cause.programme,
        root_cause=root_cause,
        trigger=Trigger.MANUAL,
        period=period,
        reason=reason,
        meeting=ecib_meeting_for(programme=root_cause.programme, on=day),
        raised_by=by,
    )
    if at is not None:
        escalation.raised_at = at
    escalation._history_user = by
    escalation.save()
    return escalation


@transaction.atomic
def escalation_decide(
    *,
    by: Any,
    escalation: Escalation,
    decision: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> Escalation:
    """The ECIB records its decision. "Ask for more" puts it on the next meeting's agenda again."""
    escalation = (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("meeting", "programme", "root_cause")
        .get(pk=escalation.pk)
    )
    if escalation.status != Escalation.Status.OPEN:
        raise ValidationError("The ECIB has already decided this escalation.")
    if decision not in Escalation.Decision.values:
        raise ValidationError(
            {"decision": "Choose accept the recovery plan, ask for more, or re-plan."}
        )
    note = (note or "").strip()
    if decision == Escalation.Decision.MORE and not note:
        raise ValidationError({"note": "Say what more the ECIB needs, so the owner can bring it."})
    if decision == Escalation.Decision.REPLAN and not note:
        raise ValidationError({"note": "Say what should be re-planned, for the change request."})
    when = at or timezone.now()
    _save(
        escalation,
        by,
        status=Escalation.Status.DECIDED,
        decision=decision,
        decision_note=note,
        decided_by=by,
        decided_at=when,
    )
    if decision == Escalation.Decision.MORE:
        follow_up = Escalation(
            programme=escalation.programme,
            root_cause=escalation.root_cause,
            trigger=escalation.trigger,
            rule=escalation.rule,
            period=escalation.period,
            reason=f"The ECIB asked for more on {_day(escalation.meeting.meets_on)}: {note}",
            meeting=ecib_meeting_for(
                programme=escalation.programme,
                on=escalation.meeting.meets_on + dt.timedelta(days=1),
            ),
            raised_by=by,
            raised_at=when,
            follows=escalation,
        )
        follow_up._history_user = by
        follow_up.save()
    return escalation


# --- The rules, evaluated -----------------------------------------------------------------


@dataclass
class Evaluation:
    """What one run of the rules did."""

    raised: list[Escalation] = field(default_factory=list)
    kpi_rule_available: bool = True

    def __len__(self) -> int:
        return len(self.raised)


@dataclass
class _Last:
    period_starts_on: dt.date | None = None
    period_ends_on: dt.date | None = None
    raised_at: dt.datetime | None = None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _labels(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


@transaction.atomic
def escalations_evaluate(
    *, programme, on: dt.date | None = None, by: Any = None, analyse: Any = "default"
) -> Evaluation:
    """Run the programme's active rules over its open root causes; put those that fire on the agenda.

    The KPI rule uses the same analysis as the KPI pages (kpis.selectors: the KPI's own
    baseline and rebases), so the ECIB sees what the board's summary table shows. `analyse` is
    for tests: a stand-in for kpis.spc.analyse(values, improvement=…, target=…), or None when
    no SPC is available.
    """
    from qip.models import ReportingPeriod

    day = on or today()
    rules = {
        kind: rule
        for kind, rule in escalation_rules_ensure(programme=programme, by=by).items()
        if rule.active
    }
    result = Evaluation()
    if not rules:
        return result
    as_kpi_pages = analyse == "default"
    if Trigger.KPI_CONCERN in rules and analyse is None:
        result.kpi_rule_available = False

    periods_by_cadence: dict[str, list] = defaultdict(list)
    periods_by_id = {}
    for period in ReportingPeriod.objects.filter(programme=programme, starts_on__lte=day).order_by(
        "starts_on"
    ):
        periods_by_cadence[period.cadence].append(period)
        periods_by_id[period.pk] = period

    root_causes = list(
        RootCause.objects.filter(programme=programme)
        .open()
        .select_related("isg", "kpi")
        .order_by("isg__order", "reference")
    )
    ids = [rc.pk for rc in root_causes]
    updates: dict[int, dict[int, tuple[str, dt.datetime]]] = defaultdict(dict)
    for row in Update.objects.filter(root_cause_id__in=ids).values(
        "root_cause_id", "period_id", "rag", "updated_at"
    ):
        updates[row["root_cause_id"]][row["period_id"]] = (row["rag"], row["updated_at"])

    open_reasons: set[tuple[int, str]] = set()
    last: dict[tuple[int, str], _Last] = defaultdict(_Last)
    for row in Escalation.objects.filter(root_cause_id__in=ids).values(
        "root_cause_id", "trigger", "status", "period__starts_on", "period__ends_on", "raised_at"
    ):
        key = (row["root_cause_id"], row["trigger"])
        if row["status"] == Escalation.Status.OPEN:
            open_reasons.add(key)
        seen = last[key]
        if seen.period_starts_on is None or row["period__starts_on"] > seen.period_starts_on:
            seen.period_starts_on = row["period__starts_on"]
            seen.period_ends_on = row["period__ends_on"]
        if seen.raised_at is None or row["raised_at"] > seen.raised_at:
            seen.raised_at = row["raised_at"]

    date_requests: dict[int, list[dt.datetime]] = defaultdict(list)
    replanned_at: dict[int, dt.datetime] = {}
    for row in ChangeRequest.objects.filter(
        root_cause_id__in=ids, kind=ChangeRequest.Kind.NEW_DUE_DATE
    ).values("root_cause_id", "proposed_at", "status", "decided_at"):
        date_requests[row["root_cause_id"]].append(row["proposed_at"])
        if row["status"] == ChangeRequest.Status.APPROVED:
            previous = replanned_at.get(row["root_cause_id"])
            if previous is None or row["decided_at"] > previous:
                replanned_at[row["root_cause_id"]] = row["decided_at"]

    concern_kpi_ids: set[int] = set()
    if Trigger.KPI_CONCERN in rules and as_kpi_pages:
        concern_kpi_ids = {
            kpi.pk
            for kpi in kpis_in_special_cause_concern(
                KPI.objects.filter(pk__in=[rc.kpi_id for rc in root_causes if rc.kpi_id])
            )
        }
    values: dict[int, list[tuple[dt.date, Any]]] = defaultdict(list)
    if Trigger.KPI_CONCERN in rules and analyse is not None:
        for row in (
            Measurement.objects.filter(kpi__root_cause__in=ids, period_end__lte=day)
            .order_by("period_end")
            .values("kpi_id", "period_end", "value")
        ):
            values[row["kpi_id"]].append((row["period_end"], row["value"]))

    meeting = None

    def raise_for(rc: RootCause, trigger: str, period, reason: str) -> None:
        nonlocal meeting
        if meeting is None:
            meeting = ecib_meeting_for(programme=programme, on=day)
        escalation = Escalation(
            programme=programme,
            root_cause=rc,
            trigger=trigger,
            rule=rules[trigger],
            period=period,
            reason=reason,
            meeting=meeting,
            raised_by=None,
        )
        escalation._history_user = by
        open_reasons.add((rc.pk, trigger))
        try:
            with transaction.atomic():
                escalation.save()
        except IntegrityError:
            return  # a run at the same moment raised it first: it is on the agenda once
        result.raised.append(escalation)

    for rc in root_causes:
        periods = periods_by_cadence.get(rc.isg.cadence, [])
        if not periods:
            continue
        current = periods[-1]
        rc_updates = updates.get(rc.pk, {})

        rule = rules.get(Trigger.OFF_TRACK)
        if rule and (rc.pk, Trigger.OFF_TRACK) not in open_reasons:
            after = last[(rc.pk, Trigger.OFF_TRACK)].period_starts_on
            replan = replanned_at.get(rc.pk)
            seq = []
            for p in periods:
                if after is not None and p.starts_on <= after:
                    continue
                rag, updated_at = rc_updates.get(p.pk, (None, None))
                if rag is not None and replan is not None and updated_at < replan:
                    rag = "before_replan"  # an update about the old plan does not count
                seq.append(triggers.PeriodRag(p.pk, p.starts_on, p.ends_on, rag, p.ends_on < day))
            run = triggers.off_track_run(seq, rule.threshold)
            if run:
                labels = [periods_by_id[item.period_id].label for item in run]
                raise_for(
                    rc,
                    Trigger.OFF_TRACK,
                    periods_by_id[run[-1].period_id],
                    f"Off track in {_labels(labels)}.",
                )

        rule = rules.get(Trigger.MISSING_UPDATES)
        if rule and (rc.pk, Trigger.MISSING_UPDATES) not in open_reasons:
            after = last[(rc.pk, Trigger.MISSING_UPDATES)].period_starts_on
            reported = [p.starts_on for p in periods if p.pk in rc_updates]
            # Reporting starts with the first update, or with the period the root cause was
            # added in: root causes due far ahead may start reporting later in the plan.
            expected_from = min(reported) if reported else timezone.localdate(rc.created_at)
            seq = [
                triggers.PeriodRag(
                    p.pk,
                    p.starts_on,
                    p.ends_on,
                    rc_updates.get(p.pk, (None, None))[0],
                    p.ends_on < day,
                )
                for p in periods
                if p.ends_on >= expected_from and (after is None or p.starts_on > after)
            ]
            missed = triggers.missed_updates(seq, rule.threshold)
            if missed:
                labels = [periods_by_id[item.period_id].label for item in missed]
                raise_for(
                    rc,
                    Trigger.MISSING_UPDATES,
                    periods_by_id[missed[-1].period_id],
                    f"No update for {_labels(labels)}.",
                )

        rule = rules.get(Trigger.DUE_DATE_CHANGES)
        if rule and (rc.pk, Trigger.DUE_DATE_CHANGES) not in open_reasons:
            requested = date_requests.get(rc.pk, [])
            hit = triggers.due_date_requests(
                requested, rule.threshold, last[(rc.pk, Trigger.DUE_DATE_CHANGES)].raised_at
            )
            if hit is not None:
                raise_for(
                    rc,
                    Trigger.DUE_DATE_CHANGES,
                    current,
                    f"Asked for a new due date {len(requested)} times, most recently on "
                    f"{_day(timezone.localdate(hit))}.",
                )

        rule = rules.get(Trigger.KPI_CONCERN)
        if (
            rule
            and analyse is not None
            and rc.kpi_id
            and (rc.pk, Trigger.KPI_CONCERN) not in open_reasons
        ):
            series = values.get(rc.kpi_id, [])
            since = last[(rc.pk, Trigger.KPI_CONCERN)].period_ends_on
            if series and (since is None or series[-1][0] > since):
                concern = (
                    rc.kpi_id in concern_kpi_ids
                    if as_kpi_pages
                    else triggers.kpi_concern(
                        [float(value) for _, value in series],
                        improvement=rc.kpi.improvement,
                        target=float(rc.kpi.target) if rc.kpi.target is not None else None,
                        analyse=analyse,
                    )
                )
                if concern:
                    raise_for(
                        rc,
                        Trigger.KPI_CONCERN,
                        _period_for(programme.pk, rc.isg.cadence, series[-1][0]) or current,
                        f"Its KPI ({rc.kpi.name}) shows special-cause concern at "
                        f"{_day(series[-1][0])}.",
                    )
    return result
