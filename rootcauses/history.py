"""The audit trail of one root cause, from simple-history: who changed what, and when.

Records of the root cause, its updates, actions, closure requests, evidence files and
verifications are read in one query per model; field-level differences are worked out in
memory between consecutive records of the same object, and the names behind foreign keys
(people, periods, ISGs) are loaded once per model.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.text import capfirst

from .models import Action, ClosureRequest, EvidenceFile, RootCause, Update, Verification

# model: (what to call it, fields shown and compared, in this order)
TRACKED: dict[type[models.Model], list[str]] = {
    RootCause: [
        "reference",
        "title",
        "description",
        "owner",
        "isg",
        "finding",
        "baseline_due_date",
        "current_due_date",
        "status",
        "current_rag",
        "completed_on",
        "closure_confirmed_by",
        "verified_on",
        "withdrawn_on",
        "kpi",
        "assessment_item",
        "theme",
        "delivered_by",
    ],
    Update: ["period", "rag", "narrative", "recovery_note", "forecast_date", "author"],
    Action: ["description", "owner", "due_date", "done_on"],
    ClosureRequest: ["note", "decision", "decided_by", "decision_reason"],
    EvidenceFile: [
        "original_name",
        "description",
        "effective_from",
        "review_by",
        "closure_request",
    ],
    Verification: ["method", "checked_by", "checked_on", "findings", "outcome"],
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
LABELS = {
    "current_rag": "RAG (latest update)",
    "rag": "RAG",
    "isg": "Steering group",
    "kpi": "KPI",
    "original_name": "File name",
    "description": "Description",
    "closure_request": "Cited in",
    "decision_reason": "Reason",
    "recovery_note": "Recovery note",
    "forecast_date": "Forecast date",
}


def _label(f: models.Field) -> str:
    return LABELS.get(f.name) or capfirst(str(f.verbose_name))


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: dt.datetime
    who: Any
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)
    history_id: int = 0
    model: str = ""


def _history_rows(model: type[models.Model], root_cause: RootCause) -> list:
    manager = model.history  # type: ignore[attr-defined]
    rows = (
        manager.filter(id=root_cause.pk)
        if model is RootCause
        else manager.filter(root_cause_id=root_cause.pk)
    )
    return list(rows.select_related("history_user").order_by("history_date", "history_id"))


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in TRACKED[model]]


def _names_for(records_by_model: dict) -> dict[tuple[type, Any], str]:
    """{(related model, pk): its name} for every foreign key value in the records."""
    wanted: dict[type, set] = defaultdict(set)
    for model, records in records_by_model.items():
        for f in _fields(model):
            if f.is_relation:
                for record in records:
                    value = getattr(record, f.attname)
                    if value is not None:
                        wanted[f.related_model].add(value)
    names = {}
    for related, pks in wanted.items():
        manager = related._base_manager
        for obj in manager.filter(pk__in=pks):
            names[(related, obj.pk)] = _object_name(obj)
    return names


def _object_name(obj: Any) -> str:
    if hasattr(obj, "get_full_name"):
        return obj.get_full_name() or obj.get_username()
    if isinstance(obj, ClosureRequest):
        return f"closure request of {obj.requested_at:%d/%m/%Y}"
    return str(obj)


def _show(f: models.Field, value: Any, names: dict) -> str:
    if value is None or value == "":
        return "(blank)"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value} (deleted)")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _subject(model: type[models.Model], record: Any, names: dict) -> str:
    if model is RootCause:
        return "Root cause"
    if model is Update:
        period = names.get((Update._meta.get_field("period").related_model, record.period_id))
        return f"Update for {period}" if period else "Update"
    if model is Action:
        text = record.description
        return f"Action: {text[:60]}{'…' if len(text) > 60 else ''}"
    if model is ClosureRequest:
        return "Closure request"
    if model is EvidenceFile:
        return f"Evidence file {record.original_name}"
    return "Verification"


def entries_for(root_cause: RootCause) -> list[Entry]:
    """Every audited change to the root cause and what belongs to it, newest first."""
    records_by_model = {model: _history_rows(model, root_cause) for model in TRACKED}
    names = _names_for(records_by_model)
    entries: list[Entry] = []
    for model, records in records_by_model.items():
        fields = _fields(model)
        previous: dict[Any, Any] = {}
        for record in records:
            before = previous.get(record.id)
            changes = []
            for f in fields:
                new = getattr(record, f.attname)
                if record.history_type == "+" or before is None:
                    if new not in (None, "") and record.history_type != "-":
                        changes.append(Change(_label(f), "", _show(f, new, names)))
                    continue
                old = getattr(before, f.attname)
                if old != new:
                    changes.append(Change(_label(f), _show(f, old, names), _show(f, new, names)))
            previous[record.id] = record
            if record.history_type == "~" and before is not None and not changes:
                continue  # a save that changed nothing we show (e.g. only a timestamp)
            entries.append(
                Entry(
                    when=record.history_date,
                    who=record.history_user,
                    subject=_subject(model, record, names),
                    action=ACTIONS.get(record.history_type, "changed"),
                    changes=changes,
                    history_id=record.history_id,
                    model=model._meta.model_name,
                )
            )
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return entries
