"""Writes to root causes: updates, closure, verification. Views, the import, the API and the
demo all come through here, so every rule is checked once and every change is audited.

Each function takes `by`, the person doing it; permissions are checked by the caller (views
through rootcauses/rules.py), business rules here.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.clock import today
from core.locking import StaleEdit, save_versioned
from kpis.services import measurement_record

from .models import RAG, Action, ClosureRequest, EvidenceFile, RootCause, Update, Verification
from .tasks import OFF_TRACK_TASK
from .uploads import CheckedUpload, check_evidence_upload


def _save(instance, by, **fields) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._history_user = by
    instance.save()


def period_is_signed_off(root_cause: RootCause, period) -> bool:
    return period.signoffs.filter(isg_id=root_cause.isg_id).exists()


def _check_period(root_cause: RootCause, period) -> None:
    if period.programme_id != root_cause.programme_id:
        raise ValidationError("That period belongs to another programme.")
    if period.cadence != root_cause.isg.cadence:
        raise ValidationError(
            f"{root_cause.isg} reports {root_cause.isg.get_cadence_display().lower()}; "
            f"{period} is not one of its periods."
        )
    if period.starts_on > today():
        raise ValidationError(f"{period} has not started yet.")
    if period.locked_at is not None or period_is_signed_off(root_cause, period):
        raise ValidationError(
            f"{root_cause.isg} has signed off {period}: its updates are read-only."
        )


@transaction.atomic
def update_post(
    *,
    by: Any,
    root_cause: RootCause,
    period,
    rag: str,
    narrative: str,
    recovery_note: str = "",
    forecast_date: dt.date | None = None,
    kpi_value: Any = None,
    kpi_numerator: Any = None,
    kpi_denominator: Any = None,
    actions_done: Iterable[int] = (),
    evidence: Iterable["NewEvidence"] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    notify: bool = True,
) -> Update:
    """Post the owner's update for one period, or edit it until the ISG signs the period off.

    `expected_version` is the version of the update the form was opened on (0 for a new
    one); if someone saved in between, StaleEdit is raised and nothing is written.
    `evidence` files are checked before anything is written and stored with the update.
    An update that is newly off track emails the ISG chair and the accountable executive
    (rootcauses.tasks.notify_off_track, through the outbox); `notify=False` for a replay of
    past updates (the demo), which must not email anyone.
    """
    checked_evidence = _check_evidence_items(evidence, prefix="evidence_")
    root_cause = (
        RootCause.objects.select_for_update(of=("self",))
        .select_related("isg", "kpi")
        .get(pk=root_cause.pk)
    )
    _check_period(root_cause, period)
    errors: dict[str, str] = {}
    if root_cause.withdrawn_on is not None:
        raise ValidationError("This root cause was withdrawn by change control.")
    if root_cause.completed_on is not None:
        raise ValidationError("This root cause is complete: no more updates are needed.")
    if rag not in RAG.values:
        errors["rag"] = "Choose on track, at risk or off track."
    narrative = (narrative or "").strip()
    recovery_note = (recovery_note or "").strip()
    if not narrative:
        errors["narrative"] = "Say in a sentence or two what happened this period."
    if rag == RAG.OFF_TRACK:
        if not recovery_note:
            errors["recovery_note"] = (
                "Off track needs a recovery note: what will bring it back on track."
            )
        if forecast_date is None:
            errors["forecast_date"] = (
                "Off track needs a forecast date: when you now expect to finish."
            )
        elif forecast_date < period.starts_on:
            errors["forecast_date"] = "The forecast date cannot be before this period started."
    if errors:
        raise ValidationError(errors)

    fields = {
        "rag": rag,
        "narrative": narrative,
        "recovery_note": recovery_note,
        "forecast_date": forecast_date,
        "author": by,
    }
    when = at or timezone.now()
    existing = (
        Update.objects.select_for_update().filter(root_cause=root_cause, period=period).first()
    )
    was_off_track = (existing.rag if existing else root_cause.current_rag) == RAG.OFF_TRACK
    if existing is None:
        if expected_version not in (None, 0):
            raise StaleEdit(root_cause, fields)
        update = Update(
            root_cause=root_cause, period=period, posted_at=when, updated_at=when, **fields
        )
        update._history_user = by
        update.save()
    else:
        if expected_version == 0:
            # The form was opened for a new update, but someone posted one meanwhile.
            raise StaleEdit(existing, fields)
        update = save_versioned(
            existing,
            existing.version if expected_version is None else expected_version,
            by=by,
            updated_at=when,
            **fields,
        )

    for action in Action.objects.filter(
        root_cause=root_cause, pk__in=list(actions_done), done_on__isnull=True
    ):
        _save(action, by, done_on=min(today(), period.ends_on))

    if root_cause.kpi_id and (kpi_value not in (None, "") or kpi_numerator not in (None, "")):
        measurement_record(
            by=by,
            kpi=root_cause.kpi,
            period_end=period.ends_on,
            value=kpi_value,
            numerator=kpi_numerator,
            denominator=kpi_denominator,
        )

    for item, checked in checked_evidence:
        _store_evidence(by=by, root_cause=root_cause, item=item, checked=checked, update=update)

    latest = (
        Update.objects.filter(root_cause=root_cause)
        .order_by("-period__starts_on")
        .values("rag")
        .first()
    )
    changes: dict[str, Any] = {"current_rag": latest["rag"] if latest else rag}
    if root_cause.status == RootCause.Status.NOT_STARTED:
        changes["status"] = RootCause.Status.IN_PROGRESS
    _save(root_cause, by, **changes)
    if notify and rag == RAG.OFF_TRACK and not was_off_track:
        # Newly off track: the chair and the accountable executive hear of it by email. In
        # the outbox, in this transaction: sent after the commit, or later if the broker is down.
        outbox.enqueue(OFF_TRACK_TASK, update_id=update.pk)
    return update


@transaction.atomic
def closure_request(
    *,
    by: Any,
    root_cause: RootCause,
    note: str,
    evidence: Iterable["NewEvidence"] = (),
    evidence_files: Iterable[int] = (),
    at: dt.datetime | None = None,
) -> ClosureRequest:
    """The owner asks the ISG chair to confirm the root cause is fixed.

    `evidence` are new files to store as the closure evidence; `evidence_files` are ids of
    this root cause's files already uploaded (with an update, say) that the request cites.
    """
    checked_evidence = _check_evidence_items(evidence, prefix="evidence_")
    cited_ids = set(evidence_files)
    root_cause = RootCause.objects.select_for_update().get(pk=root_cause.pk)
    if root_cause.withdrawn_on is not None:
        raise ValidationError("This root cause was withdrawn by change control.")
    if root_cause.completed_on is not None:
        raise ValidationError("This root cause is already complete.")
    if root_cause.closure_requests.filter(decision=ClosureRequest.Decision.PENDING).exists():
        raise ValidationError("Closure has already been requested and is waiting for the chair.")
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": "Say how the root cause has been fixed and what the evidence shows."}
        )
    request = ClosureRequest(root_cause=root_cause, note=note, requested_by=by)
    if at is not None:
        request.requested_at = at
    cited = list(
        EvidenceFile.objects.filter(root_cause=root_cause, pk__in=cited_ids).exclude(
            closure_request__decision__in=[
                ClosureRequest.Decision.PENDING,
                ClosureRequest.Decision.CONFIRMED,
            ]
        )
    )
    if len(cited) != len(cited_ids):
        raise ValidationError(
            {"evidence_files": "Choose from this root cause's own evidence files only."}
        )
    request._history_user = by
    request.save()
    for evidence_file in cited:
        _save(evidence_file, by, closure_request=request)
    for item, checked in checked_evidence:
        _store_evidence(
            by=by, root_cause=root_cause, item=item, checked=checked, closure_request=request
        )
    _save(root_cause, by, status=RootCause.Status.CLOSURE_REQUESTED)
    return request


def _pending(closure: ClosureRequest) -> ClosureRequest:
    closure = (
        ClosureRequest.objects.select_for_update(of=("self",))
        .select_related("root_cause")
        .get(pk=closure.pk)
    )
    if closure.decision != ClosureRequest.Decision.PENDING:
        raise ValidationError(f"This request was already {closure.get_decision_display().lower()}.")
    return closure


@transaction.atomic
def closure_confirm(
    *, by: Any, closure: ClosureRequest, on: dt.date | None = None, at: dt.datetime | None = None
) -> RootCause:
    """The chair confirms closure: the root cause counts as completed on that day."""
    closure = _pending(closure)
    root_cause = RootCause.objects.select_for_update().get(pk=closure.root_cause_id)
    if root_cause.owner_id == getattr(by, "pk", None):
        raise ValidationError("You cannot confirm the closure of your own root cause.")
    confirmed_on = on or today()
    if confirmed_on > today():
        raise ValidationError("A closure cannot be confirmed in the future.")
    _save(
        closure,
        by,
        decision=ClosureRequest.Decision.CONFIRMED,
        decided_by=by,
        decided_at=at or timezone.now(),
    )
    _save(
        root_cause,
        by,
        status=RootCause.Status.COMPLETED,
        completed_on=confirmed_on,
        closure_confirmed_by=by,
    )
    return root_cause


@transaction.atomic
def closure_reject(
    *, by: Any, closure: ClosureRequest, reason: str, at: dt.datetime | None = None
) -> ClosureRequest:
    """The chair sends a closure request back, with a reason the owner sees."""
    closure = _pending(closure)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Tell the owner why closure is not confirmed yet."})
    _save(
        closure,
        by,
        decision=ClosureRequest.Decision.REJECTED,
        decided_by=by,
        decided_at=at or timezone.now(),
        decision_reason=reason,
    )
    root_cause = RootCause.objects.select_for_update().get(pk=closure.root_cause_id)
    _save(root_cause, by, status=RootCause.Status.IN_PROGRESS)
    return closure


@transaction.atomic
def verification_record(
    *,
    by: Any,
    root_cause: RootCause,
    method: str,
    checked_by: str,
    checked_on: dt.date,
    findings: str,
    outcome: str,
) -> Verification:
    """Record an independent check of a confirmed closure; a pass turns it blue."""
    root_cause = RootCause.objects.select_for_update().get(pk=root_cause.pk)
    if root_cause.completed_on is None:
        raise ValidationError("Only a root cause whose closure was confirmed can be verified.")
    if checked_on < root_cause.completed_on:
        raise ValidationError(
            {"checked_on": "The check cannot be before the closure was confirmed."}
        )
    if checked_on > today():
        raise ValidationError({"checked_on": "The check cannot be in the future."})
    if method not in Verification.Method.values:
        raise ValidationError({"method": "Choose how it was checked."})
    if outcome not in Verification.Outcome.values:
        raise ValidationError({"outcome": "Choose whether the change was found in place."})
    if not (checked_by or "").strip() or not (findings or "").strip():
        raise ValidationError("Say who carried out the check and what they found.")
    verification = Verification(
        root_cause=root_cause,
        method=method,
        checked_by=checked_by.strip(),
        checked_on=checked_on,
        findings=findings.strip(),
        outcome=outcome,
        recorded_by=by,
    )
    verification._history_user = by
    verification.save()
    latest = root_cause.verifications.order_by("-checked_on", "-pk").first()
    verified = latest.outcome == Verification.Outcome.VERIFIED
    _save(root_cause, by, verified_on=latest.checked_on if verified else None)
    return verification


@dataclass(frozen=True)
class NewEvidence:
    """A file to store as evidence, and what it evidences (the form's words)."""

    file: Any
    description: str
    effective_from: dt.date | None
    review_by: dt.date | None = None


def _check_evidence_item(item: NewEvidence, prefix: str = "") -> CheckedUpload:
    """Check the file and its details without writing anything; errors name the fields."""
    errors: dict[str, str] = {}
    checked = None
    if item.file is None:
        errors[prefix + "file"] = "Choose the file to upload."
    else:
        try:
            checked = check_evidence_upload(item.file)
        except ValidationError as exc:
            errors[prefix + "file"] = exc.messages[0]
    description = (item.description or "").strip()
    if not description:
        errors[prefix + "description"] = "Say what this file shows, in a few words."
    elif len(description) > 300:
        errors[prefix + "description"] = "Keep what this file shows to 300 characters or fewer."
    if item.effective_from is None:
        errors[prefix + "effective_from"] = "Enter the date the evidence applies from."
    if (
        item.review_by is not None
        and item.effective_from is not None
        and item.review_by <= item.effective_from
    ):
        errors[prefix + "review_by"] = "The review date must be after the date it applies from."
    if errors:
        raise ValidationError(errors)
    assert checked is not None
    return checked


def _check_evidence_items(
    items: Iterable[NewEvidence], prefix: str = ""
) -> list[tuple[NewEvidence, CheckedUpload]]:
    return [(item, _check_evidence_item(item, prefix)) for item in items]


def _store_evidence(
    *,
    by: Any,
    root_cause: RootCause,
    item: NewEvidence,
    checked: CheckedUpload,
    update: Update | None = None,
    closure_request: ClosureRequest | None = None,
) -> EvidenceFile:
    evidence = EvidenceFile(
        root_cause=root_cause,
        update=update,
        closure_request=closure_request,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=item.description.strip(),
        effective_from=item.effective_from,
        review_by=item.review_by,
        uploaded_by=by,
    )
    item.file.seek(0)
    # Stored under evidence/rc<id>/<sha256 prefix>/ in the private storage (never public).
    evidence.file.save(checked.original_name, item.file, save=False)
    evidence._history_user = by
    evidence.save()
    return evidence


@transaction.atomic
def evidence_add(
    *,
    by: Any,
    root_cause: RootCause,
    file: Any,
    description: str,
    effective_from: dt.date | None,
    review_by: dt.date | None = None,
    update: Update | None = None,
    closure_request: ClosureRequest | None = None,
) -> EvidenceFile:
    """Store one evidence file for a root cause, checked by size, name and content.

    Evidence can still be added after closure (a re-audit shows the change has lasted),
    but not to a root cause that change control withdrew.
    """
    item = NewEvidence(
        file=file, description=description, effective_from=effective_from, review_by=review_by
    )
    checked = _check_evidence_item(item)
    root_cause = RootCause.objects.select_for_update().get(pk=root_cause.pk)
    if root_cause.withdrawn_on is not None:
        raise ValidationError("This root cause was withdrawn by change control.")
    if update is not None and update.root_cause_id != root_cause.pk:
        raise ValidationError("That update belongs to another root cause.")
    if closure_request is not None and closure_request.root_cause_id != root_cause.pk:
        raise ValidationError("That closure request belongs to another root cause.")
    return _store_evidence(
        by=by,
        root_cause=root_cause,
        item=item,
        checked=checked,
        update=update,
        closure_request=closure_request,
    )


@transaction.atomic
def evidence_reviewed(
    *, by: Any, evidence: EvidenceFile, next_review_by: dt.date | None
) -> EvidenceFile:
    """Someone checked the evidence still holds: set the next review date (or none)."""
    evidence = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
    if next_review_by is not None and next_review_by <= today():
        raise ValidationError({"review_by": "The next review date must be in the future."})
    _save(evidence, by, review_by=next_review_by)
    return evidence
