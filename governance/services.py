"""Change control and the plan-changing primitives; the programme's governance settings.

Only an approved change request changes the plan (docs/decisions/0001): a person proposes
(`change_request_propose`), an executive decides at the ECIB (`change_request_approve` or
`change_request_reject`), and approval applies the change with one of the primitives below,
in the same transaction. The primitives save the root cause through the model with
`_history_user`, so the audit history records who changed what. The baseline due date is
never written here.
"""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.clock import today
from core.locking import StaleEdit, save_versioned
from qip.models import CrossCuttingTheme, ImprovementSteeringGroup, Programme
from rootcauses.models import ClosureRequest, RootCause

from .models import ChangeRequest, EcibMeeting, Escalation
from .selectors import people_for_programme

MAX_SPLIT_PARTS = 5


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _lock(root_cause: RootCause) -> RootCause:
    return (
        RootCause.objects.select_for_update(of=("self",))
        .select_related("isg", "owner", "finding", "kpi")
        .get(pk=root_cause.pk)
    )


def _save_plan(root_cause: RootCause, by: Any, **fields: Any) -> RootCause:
    """Write plan fields and bump the version, so a form opened before the change is stale."""
    for name, value in fields.items():
        setattr(root_cause, name, value)
    root_cause.version += 1
    root_cause._history_user = by
    root_cause.save()
    return root_cause


def _must_be_open(root_cause: RootCause) -> None:
    if root_cause.withdrawn_on is not None:
        raise ValidationError(f"{root_cause.reference} was withdrawn by change control.")
    if root_cause.completed_on is not None:
        raise ValidationError(f"{root_cause.reference} is complete: its plan can no longer change.")


# --- Plan-changing primitives (called when a change request is approved) -------------------


def root_cause_replan(*, by: Any, root_cause: RootCause, due_date: dt.date) -> RootCause:
    """A new current due date. The baseline stays where the plan was agreed."""
    root_cause = _lock(root_cause)
    _must_be_open(root_cause)
    if due_date is None:
        raise ValidationError({"proposed_due_date": "Enter the new due date."})
    if due_date == root_cause.current_due_date:
        raise ValidationError(
            {"proposed_due_date": f"{_day(due_date)} is already the current due date."}
        )
    return _save_plan(root_cause, by, current_due_date=due_date)


def root_cause_withdraw(*, by: Any, root_cause: RootCause, on: dt.date) -> RootCause:
    """Withdrawn: it leaves every count from `on`, the day of the decision."""
    root_cause = _lock(root_cause)
    _must_be_open(root_cause)
    if root_cause.closure_requests.filter(decision=ClosureRequest.Decision.PENDING).exists():
        raise ValidationError(
            "Closure has been requested: the ISG chair must confirm or reject it before the "
            "root cause can be withdrawn."
        )
    return _save_plan(root_cause, by, status=RootCause.Status.WITHDRAWN, withdrawn_on=on)


def root_cause_change_owner(*, by: Any, root_cause: RootCause, owner: Any) -> RootCause:
    root_cause = _lock(root_cause)
    _must_be_open(root_cause)
    if owner is None:
        raise ValidationError({"proposed_owner": "Choose the new owner."})
    if owner.pk == root_cause.owner_id:
        raise ValidationError({"proposed_owner": f"{_person(owner)} already owns it."})
    if not owner.is_active:
        raise ValidationError({"proposed_owner": f"{_person(owner)} cannot sign in any more."})
    return _save_plan(root_cause, by, owner=owner)


def root_cause_change_isg(
    *, by: Any, root_cause: RootCause, isg: ImprovementSteeringGroup
) -> RootCause:
    """Move it to another ISG; its KPI follows it."""
    root_cause = _lock(root_cause)
    _must_be_open(root_cause)
    if isg is None:
        raise ValidationError({"proposed_isg": "Choose the ISG it should move to."})
    if isg.programme_id != root_cause.programme_id:
        raise ValidationError({"proposed_isg": "That ISG belongs to another programme."})
    if isg.pk == root_cause.isg_id:
        raise ValidationError({"proposed_isg": f"It is already in {isg}."})
    old_isg_id = root_cause.isg_id
    _save_plan(root_cause, by, isg=isg)
    kpi = root_cause.kpi
    if kpi is not None and kpi.isg_id == old_isg_id:
        kpi.isg = isg
        kpi._history_user = by
        kpi.save()
    return root_cause


_RC_NUMBER = re.compile(r"^(?P<stem>.*?RC)(?P<n>\d+)$")


def _next_reference(root_cause: RootCause, taken: set[str]) -> str:
    stem = f"{root_cause.finding.reference} RC"
    n = 1
    for reference in taken:
        match = _RC_NUMBER.match(reference)
        if match and match.group("stem") == stem:
            n = max(n, int(match.group("n")) + 1)
    return f"{stem}{n}"


def _clean_parts(parts: Iterable[dict]) -> list[dict]:
    cleaned = []
    for part in parts or []:
        title = (part.get("title") or "").strip()
        due = part.get("due_date")
        if isinstance(due, str) and due:
            due = dt.date.fromisoformat(due)
        if not title and not due:
            continue
        if not title or not due:
            raise ValidationError(
                {"split_parts": "Give each new root cause both a title and a due date."}
            )
        cleaned.append({"title": title, "due_date": due})
    if not cleaned:
        raise ValidationError(
            {"split_parts": "Describe at least one new root cause it should be split into."}
        )
    if len(cleaned) > MAX_SPLIT_PARTS:
        raise ValidationError({"split_parts": f"Split into at most {MAX_SPLIT_PARTS} at a time."})
    return cleaned


def root_cause_split(*, by: Any, root_cause: RootCause, parts: Iterable[dict]) -> list[RootCause]:
    """Part of the work becomes new root causes under the same finding.

    The original keeps its baseline, KPI and history. Each new root cause is a new commitment:
    its baseline and current due dates are the agreed date (the board's past figures do not
    change), and the PMO gives it a KPI.
    """
    root_cause = _lock(root_cause)
    _must_be_open(root_cause)
    cleaned = _clean_parts(parts)
    taken = set(
        RootCause.objects.filter(programme_id=root_cause.programme_id).values_list(
            "reference", flat=True
        )
    )
    created = []
    for part in cleaned:
        reference = _next_reference(root_cause, taken)
        taken.add(reference)
        new = RootCause(
            programme_id=root_cause.programme_id,
            isg_id=root_cause.isg_id,
            finding_id=root_cause.finding_id,
            reference=reference,
            title=part["title"],
            description=f"Split from {root_cause.reference} by change control.",
            owner_id=root_cause.owner_id,
            assessment_item_id=root_cause.assessment_item_id,
            theme_id=root_cause.theme_id,
            delivered_by=root_cause.delivered_by,
            baseline_due_date=part["due_date"],
            current_due_date=part["due_date"],
        )
        new._history_user = by
        new.save()
        created.append(new)
    _save_plan(root_cause, by)  # bumps the version: the plan around it changed
    return created


def root_cause_merge(*, by: Any, root_cause: RootCause, into: RootCause, on: dt.date) -> RootCause:
    """Merged into another root cause: this one is withdrawn from `on`; the other carries on."""
    if into is None:
        raise ValidationError({"merge_into": "Choose the root cause it merges into."})
    if into.pk == root_cause.pk:
        raise ValidationError({"merge_into": "A root cause cannot merge into itself."})
    target = _lock(into)
    if target.programme_id != root_cause.programme_id:
        raise ValidationError({"merge_into": "That root cause belongs to another programme."})
    if target.completed_on is not None or target.withdrawn_on is not None:
        raise ValidationError({"merge_into": f"{target.reference} is already closed."})
    return root_cause_withdraw(by=by, root_cause=root_cause, on=on)


# --- Change requests ------------------------------------------------------------------------


def _must_be_free_to_join(programme_id: int, person: Any, field: str) -> None:
    """A root cause or theme goes only to someone of this programme or of none yet."""
    if not people_for_programme(programme_id).filter(pk=person.pk).exists():
        raise ValidationError(
            {field: f"{_person(person)} takes part in another programme, not this one."}
        )


def _validate_proposal(
    root_cause: RootCause,
    kind: str,
    *,
    proposed_due_date: dt.date | None,
    proposed_owner: Any,
    proposed_isg: ImprovementSteeringGroup | None,
    merge_into: RootCause | None,
    split_parts: list[dict],
) -> list[dict]:
    _must_be_open(root_cause)
    if kind == ChangeRequest.Kind.NEW_DUE_DATE:
        if proposed_due_date is None:
            raise ValidationError({"proposed_due_date": "Enter the new due date."})
        if proposed_due_date < today():
            raise ValidationError({"proposed_due_date": "The new due date cannot be in the past."})
        if proposed_due_date == root_cause.current_due_date:
            raise ValidationError(
                {"proposed_due_date": f"{_day(proposed_due_date)} is already the current due date."}
            )
    elif kind == ChangeRequest.Kind.CHANGE_OWNER:
        if proposed_owner is None:
            raise ValidationError({"proposed_owner": "Choose the new owner."})
        if proposed_owner.pk == root_cause.owner_id:
            raise ValidationError({"proposed_owner": f"{_person(proposed_owner)} already owns it."})
        _must_be_free_to_join(root_cause.programme_id, proposed_owner, "proposed_owner")
    elif kind == ChangeRequest.Kind.CHANGE_ISG:
        if proposed_isg is None:
            raise ValidationError({"proposed_isg": "Choose the ISG it should move to."})
        if proposed_isg.programme_id != root_cause.programme_id:
            raise ValidationError({"proposed_isg": "That ISG belongs to another programme."})
        if proposed_isg.pk == root_cause.isg_id:
            raise ValidationError({"proposed_isg": f"It is already in {proposed_isg}."})
    elif kind == ChangeRequest.Kind.MERGE:
        if merge_into is None:
            raise ValidationError({"merge_into": "Choose the root cause it merges into."})
        if merge_into.pk == root_cause.pk:
            raise ValidationError({"merge_into": "A root cause cannot merge into itself."})
        if merge_into.programme_id != root_cause.programme_id:
            raise ValidationError({"merge_into": "That root cause belongs to another programme."})
        if merge_into.is_closed:
            raise ValidationError({"merge_into": f"{merge_into.reference} is already closed."})
    elif kind == ChangeRequest.Kind.SPLIT:
        parts = _clean_parts(split_parts)
        if any(part["due_date"] < today() for part in parts):
            raise ValidationError({"split_parts": "A new root cause cannot be due in the past."})
        return [{"title": p["title"], "due_date": p["due_date"].isoformat()} for p in parts]
    elif kind != ChangeRequest.Kind.WITHDRAW:
        raise ValidationError({"kind": "Choose what should change."})
    return []


@transaction.atomic
def change_request_propose(
    *,
    by: Any,
    root_cause: RootCause,
    kind: str,
    rationale: str,
    proposed_due_date: dt.date | None = None,
    proposed_owner: Any = None,
    proposed_isg: ImprovementSteeringGroup | None = None,
    merge_into: RootCause | None = None,
    split_parts: Iterable[dict] = (),
    escalation: Escalation | None = None,
    at: dt.datetime | None = None,
) -> ChangeRequest:
    """An owner, ISG chair or the PMO proposes a change to the plan, for the ECIB to decide."""
    root_cause = _lock(root_cause)
    rationale = (rationale or "").strip()
    errors: dict[str, str] = {}
    if not rationale:
        errors["rationale"] = "Say why the plan should change: the ECIB decides on this."
    try:
        parts = _validate_proposal(
            root_cause,
            kind,
            proposed_due_date=proposed_due_date,
            proposed_owner=proposed_owner,
            proposed_isg=proposed_isg,
            merge_into=merge_into,
            split_parts=list(split_parts or []),
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages[0])
        parts = []
    if errors:
        raise ValidationError(errors)
    if ChangeRequest.objects.filter(
        root_cause=root_cause, kind=kind, status=ChangeRequest.Status.PROPOSED
    ).exists():
        raise ValidationError(
            "A change of this kind is already waiting for the ECIB for this root cause."
        )
    if escalation is not None and escalation.root_cause_id != root_cause.pk:
        raise ValidationError("That escalation is about another root cause.")
    change = ChangeRequest(
        programme_id=root_cause.programme_id,
        root_cause=root_cause,
        kind=kind,
        proposed_due_date=proposed_due_date if kind == ChangeRequest.Kind.NEW_DUE_DATE else None,
        proposed_owner=proposed_owner if kind == ChangeRequest.Kind.CHANGE_OWNER else None,
        proposed_isg=proposed_isg if kind == ChangeRequest.Kind.CHANGE_ISG else None,
        merge_into=merge_into if kind == ChangeRequest.Kind.MERGE else None,
        split_parts=parts,
        rationale=rationale,
        escalation=escalation,
        proposed_by=by,
    )
    if at is not None:
        change.proposed_at = at
    change._history_user = by
    change.save()
    return change


def _pending_change(change_request: ChangeRequest) -> ChangeRequest:
    change = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("root_cause", "programme", "proposed_owner", "proposed_isg", "merge_into")
        .get(pk=change_request.pk)
    )
    if change.status != ChangeRequest.Status.PROPOSED:
        raise ValidationError(f"This change was already {change.get_status_display().lower()}.")
    return change


def _decision_day(at: dt.datetime | None) -> dt.date:
    day = timezone.localdate(at) if at is not None else today()
    if day > today():
        raise ValidationError("A decision cannot be recorded in the future.")
    return day


def _meeting_on(programme_id: int, day: dt.date) -> EcibMeeting | None:
    return EcibMeeting.objects.filter(programme_id=programme_id, meets_on=day).first()


def _check_decider(by: Any, change: ChangeRequest) -> None:
    if getattr(by, "pk", None) == change.proposed_by_id:
        raise ValidationError("You proposed this change: another executive must decide it.")


@transaction.atomic
def change_request_approve(
    *, by: Any, change_request: ChangeRequest, note: str = "", at: dt.datetime | None = None
) -> ChangeRequest:
    """The ECIB approves: the change is applied to the plan now, in the same transaction."""
    change = _pending_change(change_request)
    _check_decider(by, change)
    day = _decision_day(at)
    root_cause = change.root_cause
    kind = change.kind
    previous: dict[str, Any] = {}
    outcome: dict[str, Any] = {}
    if kind == ChangeRequest.Kind.NEW_DUE_DATE:
        previous["current_due_date"] = root_cause.current_due_date.isoformat()
        root_cause_replan(by=by, root_cause=root_cause, due_date=change.proposed_due_date)
    elif kind == ChangeRequest.Kind.WITHDRAW:
        previous["status"] = root_cause.get_status_display()
        root_cause_withdraw(by=by, root_cause=root_cause, on=day)
    elif kind == ChangeRequest.Kind.MERGE:
        previous["status"] = root_cause.get_status_display()
        root_cause_merge(by=by, root_cause=root_cause, into=change.merge_into, on=day)
    elif kind == ChangeRequest.Kind.CHANGE_OWNER:
        previous["owner"] = _person(root_cause.owner)
        root_cause_change_owner(by=by, root_cause=root_cause, owner=change.proposed_owner)
    elif kind == ChangeRequest.Kind.CHANGE_ISG:
        previous["isg"] = str(root_cause.isg)
        root_cause_change_isg(by=by, root_cause=root_cause, isg=change.proposed_isg)
    elif kind == ChangeRequest.Kind.SPLIT:
        created = root_cause_split(by=by, root_cause=root_cause, parts=change.split_parts)
        outcome["created"] = [rc.reference for rc in created]
    change.status = ChangeRequest.Status.APPROVED
    change.decided_by = by
    change.decided_at = at or timezone.now()
    change.decided_on = day
    change.decision_note = (note or "").strip()
    change.meeting = _meeting_on(change.programme_id, day)
    change.previous_values = previous
    change.outcome = outcome
    change._history_user = by
    change.save()
    return change


@transaction.atomic
def change_request_reject(
    *, by: Any, change_request: ChangeRequest, note: str, at: dt.datetime | None = None
) -> ChangeRequest:
    """The ECIB says no, with a reason the proposer sees. The plan stays as it was."""
    change = _pending_change(change_request)
    _check_decider(by, change)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why the change is not approved."})
    day = _decision_day(at)
    change.status = ChangeRequest.Status.REJECTED
    change.decided_by = by
    change.decided_at = at or timezone.now()
    change.decided_on = day
    change.decision_note = note
    change.meeting = _meeting_on(change.programme_id, day)
    change._history_user = by
    change.save()
    return change


# --- Themes and settings --------------------------------------------------------------------


@transaction.atomic
def root_cause_theme_set(
    *,
    by: Any,
    root_cause: RootCause,
    theme: CrossCuttingTheme | None,
    delivered_by: str,
    expected_version: int | None = None,
) -> RootCause:
    """The PMO records the cross-cutting theme and the service that delivers a root cause.

    `expected_version` is the root cause's version the form was opened on: if its plan
    changed since (someone else saved), StaleEdit is raised and nothing is written.
    """
    root_cause = _lock(root_cause)
    if expected_version is not None and root_cause.version != expected_version:
        raise StaleEdit(root_cause, {"theme": theme, "delivered_by": delivered_by})
    if theme is not None and theme.programme_id != root_cause.programme_id:
        raise ValidationError({"theme": "That theme belongs to another programme."})
    delivered_by = (delivered_by or "").strip()
    if len(delivered_by) > 200:
        raise ValidationError({"delivered_by": "Keep the service's name under 200 characters."})
    return _save_plan(root_cause, by, theme=theme, delivered_by=delivered_by)


@transaction.atomic
def theme_update(
    *,
    by: Any,
    theme: CrossCuttingTheme,
    reporting_isg: ImprovementSteeringGroup,
    lead: Any = None,
    description: str | None = None,
    expected_version: int | None = None,
) -> CrossCuttingTheme:
    """The PMO chooses the ISG a theme's task-and-finish group reports through, and its chair.

    `expected_version` is the theme's version the form was opened on: if someone saved in
    between, StaleEdit is raised and nothing is written.
    """
    theme = CrossCuttingTheme.objects.select_for_update().get(pk=theme.pk)
    if reporting_isg is None:
        raise ValidationError({"reporting_isg": "Choose the ISG the group reports through."})
    if reporting_isg.programme_id != theme.programme_id:
        raise ValidationError({"reporting_isg": "That ISG belongs to another programme."})
    if lead is not None and lead.pk != theme.lead_id:
        _must_be_free_to_join(theme.programme_id, lead, "lead")
    fields: dict[str, Any] = {"reporting_isg": reporting_isg, "lead": lead}
    if description is not None:
        fields["description"] = description.strip()
    return save_versioned(
        theme, theme.version if expected_version is None else expected_version, by=by, **fields
    )


@transaction.atomic
def programme_trajectory_colour_set(*, by: Any, programme: Programme, colour: str) -> Programme:
    """Which colour counts a root cause as completed on the trajectory: green or blue."""
    if colour not in Programme.TrajectoryColour.values:
        raise ValidationError(
            {"trajectory_colour": "Choose green (confirmed) or blue (confirmed and verified)."}
        )
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    programme.trajectory_colour = colour
    programme._history_user = by
    programme.save()
    return programme
