"""Setting up root causes from the plan (the spreadsheet import): create, correct, and record
a closure or withdrawal the trust confirmed before it used the tracker.

Kept apart from rootcauses/services.py, which holds the day-to-day writes (updates, closure
requests). The rules here are the plan's:

- the baseline due date never moves after set-up (docs/decisions/0001): a change is refused
  unless the caller says this is the original baseline;
- a completed root cause has the day its closure was confirmed, a withdrawn one the day of
  the withdrawal; a completed or withdrawn root cause is never reopened here;
- the root cause's KPI is created or renamed with it.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.clock import today
from kpis.models import KPI

from .models import RootCause

Status = RootCause.Status
OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.CLOSURE_REQUESTED)
REFERENCE_MAX = RootCause._meta.get_field("reference").max_length
TITLE_MAX = RootCause._meta.get_field("title").max_length


def split_text(full: str) -> tuple[str, str]:
    """A plan row's description as (title, description): long text keeps its whole in the description."""
    full = full.strip()
    if len(full) <= TITLE_MAX:
        return full, ""
    cut = full[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…", full


def plan_text(root_cause: RootCause) -> str:
    """The root cause as one line of the plan: the inverse of split_text."""
    title, description = root_cause.title, root_cause.description
    if title.endswith("…") and description.startswith(title[:-1]):
        return description
    return title


def _closure_fields(status: str, closed_on: dt.date | None) -> dict:
    if status == Status.COMPLETED:
        if closed_on is None:
            raise ValidationError("A completed root cause needs the day its closure was confirmed.")
        if closed_on > today():
            raise ValidationError("A closure cannot be confirmed in the future.")
        return {"status": status, "completed_on": closed_on, "withdrawn_on": None}
    if status == Status.WITHDRAWN:
        if closed_on is None:
            raise ValidationError("A withdrawn root cause needs the day it was withdrawn.")
        if closed_on > today():
            raise ValidationError("A withdrawal cannot be dated in the future.")
        return {"status": status, "completed_on": None, "withdrawn_on": closed_on}
    if status not in (Status.NOT_STARTED, Status.IN_PROGRESS):
        raise ValidationError(f"'{status}' is not a status the plan can set.")
    if closed_on is not None:
        raise ValidationError("Only a completed or withdrawn root cause has a closure date.")
    return {"status": status, "completed_on": None, "withdrawn_on": None}


def _kpi_unit(target_is_percent: bool, existing: str | None = None) -> str:
    if target_is_percent:
        return KPI.Unit.PERCENTAGE
    return existing or KPI.Unit.COUNT


def _save(instance, by: Any, reason: str) -> None:
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save()


@transaction.atomic
def root_cause_create_from_plan(
    *,
    by: Any,
    finding,
    reference: str,
    text: str,
    owner,
    baseline_due_date: dt.date,
    current_due_date: dt.date | None = None,
    status: str = Status.NOT_STARTED,
    closed_on: dt.date | None = None,
    kpi_name: str = "",
    kpi_target: Decimal | None = None,
    kpi_target_is_percent: bool = False,
    kpi_improvement: str | None = None,
    assessment_item=None,
    theme=None,
    reason: str = "",
) -> RootCause:
    """Add a root cause to a finding, as the plan sets it up (with its KPI, if named)."""
    reference, text = reference.strip(), text.strip()
    errors: dict[str, str] = {}
    if not reference or len(reference) > REFERENCE_MAX:
        errors["reference"] = f"Enter a reference of at most {REFERENCE_MAX} characters."
    if not text:
        errors["title"] = "Say what the root cause is."
    if errors:
        raise ValidationError(errors)
    if RootCause.objects.filter(
        programme_id=finding.programme_id, reference__iexact=reference
    ).exists():
        raise ValidationError({"reference": f"The plan already has a root cause {reference}."})
    if theme is not None and theme.programme_id != finding.programme_id:
        raise ValidationError({"theme": "That theme belongs to another programme."})
    title, description = split_text(text)
    root_cause = RootCause(
        programme_id=finding.programme_id,
        isg_id=finding.isg_id,
        finding=finding,
        reference=reference,
        title=title,
        description=description,
        owner=owner,
        baseline_due_date=baseline_due_date,
        current_due_date=current_due_date or baseline_due_date,
        assessment_item=assessment_item,
        theme=theme,
        **_closure_fields(status, closed_on),
    )
    if kpi_name.strip():
        root_cause.kpi = _kpi_create(
            by=by,
            root_cause=root_cause,
            name=kpi_name,
            target=kpi_target,
            is_percent=kpi_target_is_percent,
            improvement=kpi_improvement,
            reason=reason,
        )
    _save(root_cause, by, reason)
    return root_cause


def _kpi_create(*, by, root_cause, name, target, is_percent, improvement, reason) -> KPI:
    kpi = KPI(
        programme_id=root_cause.programme_id,
        level=KPI.Level.ROOT_CAUSE,
        isg_id=root_cause.isg_id,
        name=name.strip(),
        unit=_kpi_unit(is_percent),
        improvement=improvement or KPI.Improvement.INCREASE,
        target=target,
        owner=root_cause.owner,
    )
    _save(kpi, by, reason)
    return kpi


@transaction.atomic
def root_cause_update_from_plan(
    *,
    by: Any,
    root_cause: RootCause,
    reason: str = "",
    original_baseline: bool = False,
    **changes: Any,
) -> RootCause:
    """Apply a corrected or newer plan row to a root cause; only the fields given change.

    Fields: finding, text, owner, baseline_due_date, current_due_date, status + closed_on,
    assessment_item, theme, kpi (a dict of name, target, is_percent, improvement).
    """
    allowed = {
        "finding",
        "text",
        "owner",
        "baseline_due_date",
        "current_due_date",
        "status",
        "closed_on",
        "assessment_item",
        "theme",
        "kpi",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"root_cause_update_from_plan() cannot change {', '.join(sorted(unknown))}")
    root_cause = (
        RootCause.objects.select_for_update(of=("self",))
        .select_related("kpi")
        .get(pk=root_cause.pk)
    )
    fields: dict[str, Any] = {}
    if (
        "baseline_due_date" in changes
        and changes["baseline_due_date"] != root_cause.baseline_due_date
    ):
        if not original_baseline:
            raise ValidationError(
                {
                    "baseline_due_date": f"The baseline due date of {root_cause.reference} is "
                    f"{root_cause.baseline_due_date:%d/%m/%Y}. After set-up it moves only by "
                    "change control."
                }
            )
        fields["baseline_due_date"] = changes["baseline_due_date"]
    if "current_due_date" in changes:
        fields["current_due_date"] = changes["current_due_date"]
    if "finding" in changes:
        finding = changes["finding"]
        if finding.programme_id != root_cause.programme_id:
            raise ValidationError({"finding": "That finding belongs to another programme."})
        fields["finding"] = finding
        fields["isg_id"] = finding.isg_id
    if "text" in changes and changes["text"].strip() != plan_text(root_cause):
        title, description = split_text(changes["text"])
        fields["title"] = title
        if description:
            fields["description"] = description
    for name in ("owner", "assessment_item", "theme"):
        if name in changes:
            fields[name] = changes[name]
    if "status" in changes:
        fields.update(_status_change(root_cause, changes["status"], changes.get("closed_on")))
    if fields:
        for name, value in fields.items():
            setattr(root_cause, name, value)
        _save(root_cause, by, reason)
    if changes.get("kpi"):
        _kpi_apply(by=by, root_cause=root_cause, reason=reason, **changes["kpi"])
    elif root_cause.kpi is not None and root_cause.kpi.isg_id != root_cause.isg_id:
        # The root cause moved to another ISG: its KPI follows it.
        root_cause.kpi.isg_id = root_cause.isg_id
        _save(root_cause.kpi, by, reason)
    return root_cause


def _status_change(root_cause: RootCause, status: str, closed_on: dt.date | None) -> dict:
    current = root_cause.status
    if current == Status.COMPLETED:
        if status == Status.COMPLETED and closed_on == root_cause.completed_on:
            return {}
        raise ValidationError(
            f"{root_cause.reference} is complete (closure confirmed on "
            f"{root_cause.completed_on:%d/%m/%Y}); the plan cannot reopen it or change that date."
        )
    if current == Status.WITHDRAWN:
        if status == Status.WITHDRAWN and closed_on == root_cause.withdrawn_on:
            return {}
        raise ValidationError(
            f"{root_cause.reference} was withdrawn on {root_cause.withdrawn_on:%d/%m/%Y}; the "
            "plan cannot reinstate it or change that date."
        )
    if current == Status.CLOSURE_REQUESTED and status in (Status.COMPLETED, Status.WITHDRAWN):
        raise ValidationError(
            f"Closure of {root_cause.reference} has been requested and waits for the ISG chair: "
            "confirm or reject it in the tracker."
        )
    if status == Status.NOT_STARTED and current != Status.NOT_STARTED:
        return {}  # the tracker knows better: updates have been posted
    if status == Status.IN_PROGRESS and current == Status.CLOSURE_REQUESTED:
        return {}
    return _closure_fields(status, closed_on)


def _kpi_apply(
    *, by, root_cause: RootCause, reason: str, name: str, target, is_percent: bool, improvement
) -> None:
    kpi = root_cause.kpi
    if kpi is None:
        root_cause.kpi = _kpi_create(
            by=by,
            root_cause=root_cause,
            name=name,
            target=target,
            is_percent=is_percent,
            improvement=improvement,
            reason=reason,
        )
        _save(root_cause, by, reason)
        return
    wanted = {
        "name": name.strip(),
        "target": target,
        "unit": _kpi_unit(is_percent, kpi.unit),
        "improvement": improvement or kpi.improvement,
        "isg_id": root_cause.isg_id,
    }
    if any(getattr(kpi, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(kpi, field, value)
        _save(kpi, by, reason)


@transaction.atomic
def root_causes_create_from_plan_many(
    *, by: Any, rows: list[dict], reason: str = ""
) -> list[RootCause]:
    """Add many root causes at once (the plan import): the same rules as
    root_cause_create_from_plan, with the rows, their KPIs and their audit records written in
    bulk. Each row holds root_cause_create_from_plan's fields."""
    from simple_history.utils import bulk_create_with_history

    if not rows:
        return []
    programme_ids = {row["finding"].programme_id for row in rows}
    if len(programme_ids) != 1:
        raise ValidationError("All root causes must belong to one programme.")
    existing = {
        ref.casefold()
        for ref in RootCause.objects.filter(programme_id__in=programme_ids).values_list(
            "reference", flat=True
        )
    }
    root_causes, kpis = [], []
    for row in rows:
        finding = row["finding"]
        reference, text = row["reference"].strip(), row["text"].strip()
        if not reference or len(reference) > REFERENCE_MAX:
            raise ValidationError(
                {"reference": f"Enter a reference of at most {REFERENCE_MAX} characters."}
            )
        if not text:
            raise ValidationError({"title": "Say what the root cause is."})
        if reference.casefold() in existing:
            raise ValidationError({"reference": f"The plan already has a root cause {reference}."})
        existing.add(reference.casefold())
        theme = row.get("theme")
        if theme is not None and theme.programme_id != finding.programme_id:
            raise ValidationError({"theme": "That theme belongs to another programme."})
        title, description = split_text(text)
        root_cause = RootCause(
            programme_id=finding.programme_id,
            isg_id=finding.isg_id,
            finding=finding,
            reference=reference,
            title=title,
            description=description,
            owner=row["owner"],
            baseline_due_date=row["baseline_due_date"],
            current_due_date=row.get("current_due_date") or row["baseline_due_date"],
            assessment_item=row.get("assessment_item"),
            theme=theme,
            **_closure_fields(row.get("status", Status.NOT_STARTED), row.get("closed_on")),
        )
        root_causes.append(root_cause)
        name = (row.get("kpi_name") or "").strip()
        kpis.append(
            KPI(
                programme_id=finding.programme_id,
                level=KPI.Level.ROOT_CAUSE,
                isg_id=finding.isg_id,
                name=name,
                unit=_kpi_unit(row.get("kpi_target_is_percent", False)),
                improvement=row.get("kpi_improvement") or KPI.Improvement.INCREASE,
                target=row.get("kpi_target"),
                owner=row["owner"],
            )
            if name
            else None
        )
    created_kpis = iter(
        bulk_create_with_history(
            [kpi for kpi in kpis if kpi is not None],
            KPI,
            batch_size=500,
            default_user=by,
            default_change_reason=reason or None,
        )
    )
    for root_cause, kpi in zip(root_causes, kpis, strict=True):
        if kpi is not None:
            root_cause.kpi = next(created_kpis)
    return bulk_create_with_history(
        root_causes,
        RootCause,
        batch_size=500,
        default_user=by,
        default_change_reason=reason or None,
    )
