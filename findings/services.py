"""Writes to findings: set up by the plan import (and, later, by the PMO's forms).

Each function takes `by`, the person doing it, and an optional `reason` that the audit trail
shows beside the change ("Imported from plan.xlsx").
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Finding, FindingType

REFERENCE_MAX = Finding._meta.get_field("reference").max_length
SITE_MAX = Finding._meta.get_field("site").max_length


def _validate(
    *, programme_id: int, isg, reference: str, finding_type: str, text: str, regulation, site: str
) -> None:
    errors: dict[str, str] = {}
    if not reference:
        errors["reference"] = "Enter the finding's reference."
    elif len(reference) > REFERENCE_MAX:
        errors["reference"] = f"A reference has at most {REFERENCE_MAX} characters."
    if finding_type not in FindingType.values:
        errors["finding_type"] = "Choose Must Do or Should Do."
    if not text:
        errors["text"] = "Enter the finding as CQC wrote it."
    if finding_type == FindingType.MUST_DO and regulation is None:
        errors["regulation"] = "A Must Do needs the regulation it breaches."
    if len(site) > SITE_MAX:
        errors["site"] = f"A site has at most {SITE_MAX} characters."
    if isg is None or isg.programme_id != programme_id:
        errors["isg"] = "Choose an ISG of this programme."
    if errors:
        raise ValidationError(errors)


def _save(finding: Finding, by: Any, reason: str) -> None:
    finding._history_user = by
    if reason:
        finding._change_reason = reason
    finding.save()


@transaction.atomic
def finding_create(
    *,
    by: Any,
    programme,
    isg,
    reference: str,
    finding_type: str,
    text: str,
    source,
    core_service=None,
    site: str = "",
    key_questions: Iterable = (),
    regulation=None,
    inspection=None,
    reason: str = "",
) -> Finding:
    """Add a Must Do or Should Do to the programme."""
    reference, text, site = reference.strip(), text.strip(), site.strip()
    _validate(
        programme_id=programme.pk,
        isg=isg,
        reference=reference,
        finding_type=finding_type,
        text=text,
        regulation=regulation,
        site=site,
    )
    if Finding.objects.filter(programme=programme, reference__iexact=reference).exists():
        raise ValidationError({"reference": f"The plan already has a finding {reference}."})
    finding = Finding(
        programme=programme,
        isg=isg,
        inspection=inspection,
        reference=reference,
        finding_type=finding_type,
        text=text,
        core_service=core_service,
        site=site,
        regulation=regulation,
        source=source,
    )
    _save(finding, by, reason)
    key_questions = list(key_questions)
    if key_questions:
        finding.key_questions.set(key_questions)
    return finding


FIELDS = ("isg", "finding_type", "text", "core_service", "site", "regulation", "source")


@transaction.atomic
def finding_update(
    *, by: Any, finding: Finding, reason: str = "", key_questions: Iterable | None = None, **changes
) -> Finding:
    """Correct a finding's fields; only the fields given change."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"finding_update() cannot change {', '.join(sorted(unknown))}")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    for name, value in changes.items():
        setattr(finding, name, value.strip() if isinstance(value, str) else value)
    _validate(
        programme_id=finding.programme_id,
        isg=finding.isg,
        reference=finding.reference,
        finding_type=finding.finding_type,
        text=finding.text,
        regulation=finding.regulation,
        site=finding.site,
    )
    if changes:
        _save(finding, by, reason)
    if key_questions is not None:
        wanted = {kq.pk for kq in key_questions}
        if wanted != set(finding.key_questions.values_list("pk", flat=True)):
            finding._history_user = by
            if reason:
                finding._change_reason = reason
            finding.key_questions.set(wanted)
    return finding


@transaction.atomic
def findings_create_many(
    *, by: Any, programme, specs: list[dict], inspection=None, reason: str = ""
) -> list[Finding]:
    """Add many findings at once (the plan import): the same rules as finding_create, with the
    rows and their audit records written in bulk. Each spec holds finding_create's fields."""
    from simple_history.utils import bulk_create_with_history

    seen: set[str] = set()
    existing = {
        ref.casefold()
        for ref in Finding.objects.filter(programme=programme).values_list("reference", flat=True)
    }
    findings, key_questions = [], []
    for spec in specs:
        reference = spec["reference"].strip()
        text = spec["text"].strip()
        site = spec.get("site", "").strip()
        _validate(
            programme_id=programme.pk,
            isg=spec["isg"],
            reference=reference,
            finding_type=spec["finding_type"],
            text=text,
            regulation=spec.get("regulation"),
            site=site,
        )
        if reference.casefold() in existing | seen:
            raise ValidationError({"reference": f"The plan already has a finding {reference}."})
        seen.add(reference.casefold())
        findings.append(
            Finding(
                programme=programme,
                isg=spec["isg"],
                inspection=inspection,
                reference=reference,
                finding_type=spec["finding_type"],
                text=text,
                core_service=spec.get("core_service"),
                site=site,
                regulation=spec.get("regulation"),
                source=spec["source"],
            )
        )
        key_questions.append(list(spec.get("key_questions", ())))
    created = bulk_create_with_history(
        findings, Finding, batch_size=500, default_user=by, default_change_reason=reason or None
    )
    for finding, domains in zip(created, key_questions, strict=True):
        if domains:
            # One by one so that the audit trail records the domains too (an m2m change).
            finding._history_user = by
            if reason:
                finding._change_reason = reason
            finding.key_questions.set(domains)
    return created
